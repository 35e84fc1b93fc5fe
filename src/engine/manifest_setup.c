/*
 * manifest_setup.c: setup.cfg (INI: [options] install_requires and
 * [options.extras_require]) and setup.py, which is never run: a small
 * Python tokenizer finds install_requires=[...] / extras_require={...}
 * (also as 'install_requires': [...] in a dict, or through a module-level
 * NAME = [...]) and reads the string literals in them.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "manifest_int.h"
#include "banned.h"

#define MAX_TOKENS 1000000

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* setup.cfg */

static const char *const marker_words[] = {
	"python_version", "python_full_version", "sys_platform", "platform_",
	"os_name",        "implementation_",     "extra",
};

static int looks_like_marker(const char *s, const char *end)
{
	size_t i, n;

	while (s < end && is_ws(*s))
		s++;
	for (i = 0; i < sizeof(marker_words) / sizeof(*marker_words); i++) {
		n = strlen(marker_words[i]);
		if ((size_t)(end - s) >= n && !memcmp(s, marker_words[i], n))
			return 1;
	}
	return 0;
}

static int cfg_value(struct mf_ctx *ctx,
                     const char *s,
                     const char *end,
                     const char *group,
                     unsigned line)
{
	const char *semi;
	int error;

	while (s < end && is_ws(*s))
		s++;
	while (end > s && is_ws(end[-1]))
		end--;
	if (s == end)
		return 0;
	if (end - s >= 5 && !memcmp(s, "file:", 5)) {
		for (s += 5; s < end;) {
			const char *f;

			while (s < end && (is_ws(*s) || *s == ','))
				s++;
			f = s;
			while (s < end && !is_ws(*s) && *s != ',')
				s++;
			if (s > f &&
			    (error = mf_include(ctx, f, (size_t)(s - f), line,
			                        PYO_MANIFEST_REQUIREMENTS,
			                        group, 0)) < 0)
				return error;
		}
		return 0;
	}
	/* "a; b" on one line, unless what follows ';' is a marker */
	while ((semi = memchr(s, ';', (size_t)(end - s))) &&
	       !looks_like_marker(semi + 1, end)) {
		if ((error = mf_pep508(ctx, s, (size_t)(semi - s), group, line,
		                       1)) < 0)
			return error;
		s = semi + 1;
	}
	return mf_pep508(ctx, s, (size_t)(end - s), group, line, 1);
}

static size_t cut_comment(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] == '#' && is_ws(s[i - 1]))
			return i;
	return n;
}

int mf_parse_setup_cfg(struct mf_ctx *ctx, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	char section[64] = "", group[128];
	const char *cur_group = NULL;
	unsigned line = 0;
	int active = 0, error = 0;

	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *le = nl ? nl : end, *eq, *k, *ke;

		line++;
		p = nl ? nl + 1 : end;
		while (le > s && is_ws(le[-1]))
			le--;
		if (s == le || *s == '#' || *s == ';')
			continue;
		if (is_ws(*s)) { /* continuation of the previous value */
			if (active) {
				while (s < le && is_ws(*s))
					s++;
				if (*s == '#' || *s == ';')
					continue;
				error = cfg_value(
				        ctx, s,
				        s + cut_comment(s, (size_t)(le - s)),
				        cur_group, line);
			}
			continue;
		}
		active = 0;
		if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(le - s));
			size_t n = close ? (size_t)(close - s - 1) : 0;

			if (n >= sizeof(section))
				n = 0;
			memcpy(section, s + 1, n);
			section[n] = '\0';
			continue;
		}
		for (eq = s; eq < le && *eq != '=' && *eq != ':'; eq++)
			;
		if (eq == le)
			continue;
		k = s;
		ke = eq;
		while (ke > k && is_ws(ke[-1]))
			ke--;
		if (!strcmp(section, "options") && ke - k == 16 &&
		    !memcmp(k, "install_requires", 16)) {
			active = 1;
			cur_group = NULL;
		} else if (!strcmp(section, "options.extras_require") &&
		           (size_t)(ke - k) < sizeof(group) && ke > k) {
			memcpy(group, k, (size_t)(ke - k));
			group[ke - k] = '\0';
			active = 1;
			cur_group = group;
		}
		if (active)
			error = cfg_value(
			        ctx, eq + 1,
			        eq + 1 +
			                cut_comment(eq + 1,
			                            (size_t)(le - eq - 1)),
			        cur_group, line);
	}
	return error;
}

/* setup.py */

enum { T_NAME, T_STRING, T_OP };

struct ptok {
	int type;
	const char *s;
	size_t len;
	unsigned line;
};

struct ptoks {
	struct ptok *items;
	size_t nr, alloc;
};

static int
push(struct ptoks *t, int type, const char *s, size_t len, unsigned line)
{
	if (t->nr == t->alloc) {
		size_t n = t->alloc ? t->alloc * 2 : 256;
		struct ptok *items = realloc(t->items, n * sizeof(*items));

		if (!items)
			return pyo_error_oom();
		t->items = items;
		t->alloc = n;
	}
	t->items[t->nr].type = type;
	t->items[t->nr].s = s;
	t->items[t->nr].len = len;
	t->items[t->nr].line = line;
	t->nr++;
	return 0;
}

/* Length of a string prefix (r, b, u, f, rb, ...) before a quote, or 0. */
static size_t string_prefix(const char *p, const char *end)
{
	size_t n = 0;

	while (n < 2 && p + n < end && strchr("rRbBuUfF", p[n]))
		n++;
	if (p + n < end && (p[n] == '"' || p[n] == '\''))
		return n ? n : 0;
	return 0;
}

static int
tokenize(struct mf_ctx *ctx, struct ptoks *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	unsigned line = 1;
	int error;

	while (p < end) {
		const char *s = p;
		unsigned first = line;
		size_t pre;

		if (t->nr >= MAX_TOKENS) {
			mf_warn(ctx, line, "file too large; rest not read");
			return 0;
		}
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (is_ws(*p) || *p == '\\') {
			p++;
			continue;
		}
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		pre = string_prefix(p, end);
		if (pre || *p == '"' || *p == '\'') {
			char q;
			int triple;

			p += pre;
			q = *p;
			triple = end - p >= 3 && p[1] == q && p[2] == q;
			p += triple ? 3 : 1;
			s = p;
			for (;;) {
				if (p >= end || (!triple && *p == '\n')) {
					mf_warn(ctx, first,
					        "unterminated string; rest not read");
					return 0;
				}
				if (*p == '\\' && p + 1 < end) {
					if (p[1] == '\n')
						line++;
					p += 2;
					continue;
				}
				if (*p == '\n')
					line++;
				if (*p == q &&
				    (!triple ||
				     (end - p >= 3 && p[1] == q && p[2] == q)))
					break;
				p++;
			}
			if ((error = push(t, T_STRING, s, (size_t)(p - s),
			                  first)) < 0)
				return error;
			p += triple ? 3 : 1;
			continue;
		}
		if (is_ident(*p)) {
			while (p < end && is_ident(*p))
				p++;
			if ((error = push(t, T_NAME, s, (size_t)(p - s),
			                  line)) < 0)
				return error;
			continue;
		}
		if ((error = push(t, T_OP, p, 1, line)) < 0)
			return error;
		p++;
	}
	return 0;
}

static int tok_is(const struct ptok *t, int type, const char *s)
{
	return t->type == type && t->len == strlen(s) &&
	       !memcmp(t->s, s, t->len);
}

static int is_open(const struct ptok *t)
{
	return t->type == T_OP && strchr("[({", t->s[0]);
}

static int is_close(const struct ptok *t)
{
	return t->type == T_OP && strchr("])}", t->s[0]);
}

/* The index after the bracket group opening at `i`. */
static size_t skip_group(const struct ptoks *t, size_t i)
{
	size_t depth = 0;

	for (; i < t->nr; i++) {
		if (is_open(&t->items[i]))
			depth++;
		else if (is_close(&t->items[i]) && --depth == 0)
			return i + 1;
	}
	return t->nr;
}

/* The string literals of the list (or tuple) opening at `i`. */
static int read_list(struct mf_ctx *ctx,
                     const struct ptoks *t,
                     size_t i,
                     const char *group)
{
	size_t end = skip_group(t, i), k;
	int error;

	for (k = i + 1; k < end; k++) {
		const struct ptok *tk = &t->items[k];

		/* "a" "b" implicit concatenation and f-strings: skip */
		if (tk->type != T_STRING ||
		    (k + 1 < end && t->items[k + 1].type == T_STRING))
			continue;
		if ((error = mf_pep508(ctx, tk->s, tk->len, group, tk->line,
		                       1)) < 0)
			return error;
	}
	return 0;
}

/* Index of the value of module-level `NAME = <open>`, or t->nr. */
static size_t
find_assignment(const struct ptoks *t, const struct ptok *name, char open)
{
	size_t i;

	for (i = 0; i + 2 < t->nr; i++)
		if (t->items[i].type == T_NAME &&
		    t->items[i].len == name->len &&
		    !memcmp(t->items[i].s, name->s, name->len) &&
		    tok_is(&t->items[i + 1], T_OP, "=") &&
		    t->items[i + 2].type == T_OP &&
		    t->items[i + 2].s[0] == open)
			return i + 2;
	return t->nr;
}

/* The value at `i`: the bracket itself, or a NAME bound to one. */
static size_t resolve_value(const struct ptoks *t, size_t i, char open)
{
	if (i >= t->nr)
		return t->nr;
	if (t->items[i].type == T_OP && t->items[i].s[0] == open)
		return i;
	if (t->items[i].type == T_NAME)
		return find_assignment(t, &t->items[i], open);
	return t->nr;
}

static int read_extras(struct mf_ctx *ctx, const struct ptoks *t, size_t i)
{
	size_t end = skip_group(t, i), k;
	char group[128];
	int error;

	for (k = i + 1; k + 2 < end; k++) {
		const struct ptok *key = &t->items[k];
		size_t v;

		if (key->type != T_STRING ||
		    !tok_is(&t->items[k + 1], T_OP, ":") ||
		    key->len >= sizeof(group) || !key->len)
			continue;
		memcpy(group, key->s, key->len);
		group[key->len] = '\0';
		v = resolve_value(t, k + 2, '[');
		if (v == t->nr)
			v = resolve_value(t, k + 2, '(');
		if (v < t->nr && (error = read_list(ctx, t, v, group)) < 0)
			return error;
		k += 2;
	}
	return 0;
}

/* install_requires=..., or 'install_requires': ... */
static size_t keyword_value(const struct ptoks *t, size_t i, const char *kw)
{
	const struct ptok *a = &t->items[i];

	if (i + 2 >= t->nr)
		return t->nr;
	if ((tok_is(a, T_NAME, kw) && tok_is(&t->items[i + 1], T_OP, "=") &&
	     !tok_is(&t->items[i + 2], T_OP, "=")) ||
	    (tok_is(a, T_STRING, kw) && tok_is(&t->items[i + 1], T_OP, ":")))
		return i + 2;
	return t->nr;
}

/* Each list is read once, even when named twice (REQS = [...] and
 * install_requires=REQS). */
struct seen {
	size_t at[64];
	size_t nr;
};

static int first_time(struct seen *seen, size_t at)
{
	size_t i;

	for (i = 0; i < seen->nr; i++)
		if (seen->at[i] == at)
			return 0;
	if (seen->nr < sizeof(seen->at) / sizeof(*seen->at))
		seen->at[seen->nr++] = at;
	return 1;
}

int mf_parse_setup_py(struct mf_ctx *ctx, const char *data, size_t len)
{
	struct seen seen = { { 0 }, 0 };
	struct ptoks t = { 0 };
	size_t i, v, at;
	int error;

	if ((error = tokenize(ctx, &t, data, len)) < 0)
		goto done;
	for (i = 0; i < t.nr; i++) {
		if ((v = keyword_value(&t, i, "install_requires")) < t.nr) {
			at = resolve_value(&t, v, '[');
			if (at == t.nr)
				at = resolve_value(&t, v, '(');
			if (at == t.nr)
				mf_warn(ctx, t.items[i].line,
				        "install_requires is not a literal list; not read");
			else if (first_time(&seen, at) &&
			         (error = read_list(ctx, &t, at, NULL)) < 0)
				goto done;
		} else if ((v = keyword_value(&t, i, "extras_require")) <
		           t.nr) {
			at = resolve_value(&t, v, '{');
			if (at < t.nr && first_time(&seen, at) &&
			    (error = read_extras(ctx, &t, at)) < 0)
				goto done;
		}
	}
done:
	free(t.items);
	return error;
}
