/*
 * manifest_gomod.c: go.mod and go.work. The grammar is line-based with
 * `//` comments and parenthesised blocks for every directive but module,
 * go and toolchain. Requirements become "go" deps (module path as-is,
 * version as constraint, "// indirect" -> is_direct = 0). The go and
 * toolchain lines become "go-toolchain" deps named "go" and "toolchain".
 * replace, exclude, retract, godebug, tool, ignore and use are read
 * and not reported.
 */
#include <string.h>

#include "pyorgo/manifest.h"
#include "manifest_int.h"
#include "banned.h"

#define MAX_TOKENS 8

struct tok {
	const char *s;
	size_t len;
};

struct gomod_line {
	struct tok t[MAX_TOKENS];
	size_t n;
	int indirect;
	int bad; /* an unterminated quote */
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int tok_is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

static void lex(struct gomod_line *gl, const char *p, const char *end)
{
	memset(gl, 0, sizeof(*gl));
	while (p < end) {
		const char *s;

		while (p < end && is_ws(*p))
			p++;
		if (p >= end)
			break;
		if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
			p += 2;
			while (p < end && is_ws(*p))
				p++;
			if (end - p >= 8 && !memcmp(p, "indirect", 8) &&
			    (end - p == 8 || is_ws(p[8]) || p[8] == ';'))
				gl->indirect = 1;
			break;
		}
		s = p;
		if (*p == '"' || *p == '`') {
			char q = *p++;

			while (p < end && *p != q) {
				if (q == '"' && *p == '\\' && p + 1 < end)
					p++;
				p++;
			}
			if (p >= end) {
				gl->bad = 1;
				break;
			}
			p++;
			if (gl->n < MAX_TOKENS) {
				gl->t[gl->n].s = s + 1;
				gl->t[gl->n].len = (size_t)(p - s - 2);
				gl->n++;
			}
			continue;
		}
		if (*p == '(' || *p == ')') {
			p++;
		} else {
			while (p < end && !is_ws(*p) && *p != '(' &&
			       *p != ')' &&
			       !(end - p >= 2 && p[0] == '/' && p[1] == '/'))
				p++;
		}
		if (gl->n < MAX_TOKENS) {
			gl->t[gl->n].s = s;
			gl->t[gl->n].len = (size_t)(p - s);
			gl->n++;
		}
	}
}

static const char *const known[] = { "module",  "go",      "toolchain",
	                             "require", "replace", "exclude",
	                             "retract", "godebug", "tool",
	                             "ignore",  "use" };

static int is_known(const struct tok *t)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (tok_is(t, known[i]))
			return 1;
	return 0;
}

static int directive(struct mf_ctx *ctx,
                     const struct tok *verb,
                     const struct tok *args,
                     size_t n,
                     int indirect,
                     unsigned line)
{
	struct mf_dep d = { 0 };

	d.line = line;
	d.is_direct = 1;
	if (tok_is(verb, "go") || tok_is(verb, "toolchain")) {
		if (n != 1) {
			mf_warn(ctx, line, "'%.*s' needs one version",
			        (int)verb->len, verb->s);
			return 0;
		}
		d.ecosystem = "go-toolchain";
		d.name = verb->s;
		d.name_len = verb->len;
		d.constraint = args[0].s;
		d.constraint_len = args[0].len;
		return mf_add(ctx, &d);
	}
	if (tok_is(verb, "require")) {
		if (n != 2 || !args[0].len) {
			mf_warn(ctx, line,
			        "require needs a module and a version");
			return 0;
		}
		d.ecosystem = "go";
		d.name = args[0].s;
		d.name_len = args[0].len;
		d.constraint = args[1].s;
		d.constraint_len = args[1].len;
		d.is_direct = !indirect;
		return mf_add(ctx, &d);
	}
	return 0; /* module, replace, exclude, retract, ...: not deps */
}

int mf_parse_gomod(struct mf_ctx *ctx,
                   const char *data,
                   size_t len,
                   int is_work)
{
	const char *p = data, *end = data + len;
	struct tok block = { 0 };
	struct gomod_line gl;
	unsigned line = 0, block_line = 0;
	int error = 0;

	(void)is_work; /* same grammar; go.work has "use", not "require" */
	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		line++;
		lex(&gl, p, le);
		p = nl ? nl + 1 : end;
		if (gl.bad) {
			mf_warn(ctx, line, "unterminated quoted string");
			continue;
		}
		if (!gl.n)
			continue;
		if (block.len) {
			if (gl.n == 1 && tok_is(&gl.t[0], ")")) {
				block.len = 0;
				continue;
			}
			error = directive(ctx, &block, gl.t, gl.n, gl.indirect,
			                  line);
			continue;
		}
		if (!is_known(&gl.t[0])) {
			mf_warn(ctx, line, "unknown directive '%.*s'",
			        (int)(gl.t[0].len > 40 ? 40 : gl.t[0].len),
			        gl.t[0].s);
			continue;
		}
		if (gl.n == 2 && tok_is(&gl.t[1], "(")) {
			block = gl.t[0];
			block_line = line;
			continue;
		}
		error = directive(ctx, &gl.t[0], gl.t + 1, gl.n - 1,
		                  gl.indirect, line);
	}
	if (block.len)
		mf_warn(ctx, block_line, "unterminated '%.*s' block",
		        (int)block.len, block.s);
	return error;
}
