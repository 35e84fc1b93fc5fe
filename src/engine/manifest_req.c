/*
 * manifest_req.c: pip requirements files (requirements*.txt, *.in,
 * constraints*.txt) and their -r/-c includes. Processing follows pip:
 * join backslash continuations, strip " #" comments, then read each
 * logical line as an option, a URL or path, or a PEP 508 requirement.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "strutil.h"
#include "manifest_int.h"
#include "banned.h"

static const char *const group_words[] = { "dev",  "test", "tests", "testing",
	                                   "lint", "docs", "doc",   "ci" };

const char *mf_req_group(const char *path)
{
	const char *p = path, *tok;
	size_t i, n;

	while (*p) {
		while (*p && strchr("/_.-", *p))
			p++;
		tok = p;
		while (*p && !strchr("/_.-", *p))
			p++;
		n = (size_t)(p - tok);
		for (i = 0; i < sizeof(group_words) / sizeof(*group_words);
		     i++) {
			const char *w = group_words[i];
			size_t k;

			if (strlen(w) != n)
				continue;
			for (k = 0; k < n; k++)
				if ((tok[k] | 0x20) != w[k])
					break;
			if (k == n)
				return w;
		}
	}
	return NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* "scheme://", "./x", "../x", "/x", "~/x", "C:\x": not a bare name. */
static int is_url_or_path(const char *s, size_t len)
{
	size_t i = 0;

	if (!len)
		return 0;
	if (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '\\')
		return 1;
	if (len > 2 && s[1] == ':' && (s[2] == '\\' || s[2] == '/'))
		return 1;
	while (i < len && (is_name_char(s[i]) || s[i] == '+'))
		i++;
	return i > 0 && len - i >= 3 && !memcmp(s + i, "://", 3);
}

static const char *const archive_exts[] = { ".whl", ".tar.gz",  ".tgz",
	                                    ".zip", ".tar.bz2", ".tar.xz",
	                                    ".tar" };

/* A name from a URL or path: #egg=, an archive's basename, a VCS repo. */
static int add_from_url(struct mf_ctx *ctx,
                        const char *s,
                        size_t len,
                        const char *group,
                        unsigned line,
                        int is_direct)
{
	const char *egg, *end = s + len, *base, *p;
	size_t i, n;

	if ((egg = pyo_memmem(s, len, "egg=", 4)) && egg > s &&
	    (egg[-1] == '#' || egg[-1] == '&')) {
		egg += 4;
		for (p = egg; p < end && is_name_char(*p); p++)
			;
		while (p > egg && strchr("._-", p[-1]))
			p--;
		return mf_add_pypi(ctx, egg, (size_t)(p - egg), NULL, 0, group,
		                   line, is_direct, 0);
	}
	/* cut a #fragment and ?query */
	for (p = s; p < end && *p != '#' && *p != '?'; p++)
		;
	end = p;
	while (end > s && (end[-1] == '/'))
		end--;
	for (base = end; base > s && base[-1] != '/' && base[-1] != '\\';)
		base--;
	n = (size_t)(end - base);
	for (i = 0; i < sizeof(archive_exts) / sizeof(*archive_exts); i++) {
		size_t el = strlen(archive_exts[i]);

		if (n > el && !pyo_strcasecmp(end - el, archive_exts[i])) {
			/* name-1.2.3.tar.gz, name-1.0-py3-none-any.whl */
			for (p = base; p + 1 < end; p++)
				if (*p == '-' && p[1] >= '0' && p[1] <= '9')
					break;
			if (p + 1 >= end)
				return 0;
			return mf_add_pypi(ctx, base, (size_t)(p - base), NULL,
			                   0, group, line, is_direct, 0);
		}
	}
	if (len > 4 && (!memcmp(s, "git+", 4) || !memcmp(s, "hg+", 3) ||
	                !memcmp(s, "svn+", 4) || !memcmp(s, "bzr+", 4))) {
		/* git+https://host/org/repo.git@v1: the repo name */
		const char *at;

		at = memchr(base, '@', n);
		if (at)
			end = at;
		if (end - base > 4 && !memcmp(end - 4, ".git", 4))
			end -= 4;
		for (p = base; p < end && is_name_char(*p); p++)
			;
		if (p == end && end > base)
			return mf_add_pypi(ctx, base, (size_t)(end - base),
			                   NULL, 0, group, line, is_direct, 0);
	}
	return 0; /* a local directory or a plain URL: no name */
}

static const char *const ignored_opts[] = {
	"-i",
	"--index-url",
	"--extra-index-url",
	"--no-index",
	"-f",
	"--find-links",
	"--no-binary",
	"--only-binary",
	"--prefer-binary",
	"--require-hashes",
	"--pre",
	"--trusted-host",
	"--use-feature",
	"--no-deps-for",
	"--hash",
	"--config-settings",
	"--global-option",
	"--install-option",
	"--no-deps",
};

static int opt_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(s, name, n);
}

static int option_line(struct mf_ctx *ctx,
                       const char *s,
                       size_t len,
                       unsigned line,
                       const char *group,
                       int is_direct)
{
	const char *end = s + len, *p = s, *val;
	size_t n, i;

	while (p < end && !is_ws(*p) && *p != '=')
		p++;
	n = (size_t)(p - s);
	/* "-rfile", "-cfile", "-efile": short option glued to its value */
	if (n > 2 && s[1] != '-' &&
	    (s[1] == 'r' || s[1] == 'c' || s[1] == 'e')) {
		p = s + 2;
		n = 2;
	}
	val = p;
	while (val < end && (is_ws(*val) || *val == '='))
		val++;
	for (p = val; p < end && !is_ws(*p); p++)
		;
	if (opt_is(s, n, "-r") || opt_is(s, n, "--requirement"))
		return mf_include(ctx, val, (size_t)(p - val), line,
		                  PYO_MANIFEST_REQUIREMENTS,
		                  is_direct ? NULL : group, !is_direct);
	if (opt_is(s, n, "-c") || opt_is(s, n, "--constraint"))
		return mf_include(ctx, val, (size_t)(p - val), line,
		                  PYO_MANIFEST_CONSTRAINTS, "constraints", 1);
	if (opt_is(s, n, "-e") || opt_is(s, n, "--editable")) {
		if (is_url_or_path(val, (size_t)(p - val)))
			return add_from_url(ctx, val, (size_t)(p - val), group,
			                    line, is_direct);
		return 0;
	}
	for (i = 0; i < sizeof(ignored_opts) / sizeof(*ignored_opts); i++)
		if (opt_is(s, n, ignored_opts[i]))
			return 0;
	mf_warn(ctx, line, "unknown option '%.*s' ignored",
	        (int)(n > 40 ? 40 : n), s);
	return 0;
}

int mf_req_line(struct mf_ctx *ctx,
                const char *s,
                size_t len,
                unsigned line,
                const char *group,
                int is_direct)
{
	const char *end = s + len, *p, *tok;

	while (s < end && is_ws(*s))
		s++;
	while (end > s && is_ws(end[-1]))
		end--;
	if (s == end)
		return 0;
	if (*s == '-')
		return option_line(ctx, s, (size_t)(end - s), line, group,
		                   is_direct);
	/* per-requirement options (--hash=..., --config-settings) */
	for (p = s; p + 2 < end; p++)
		if (is_ws(*p) && p[1] == '-' && p[2] == '-') {
			end = p;
			break;
		}
	for (tok = s; tok < end && !is_ws(*tok) && *tok != ';'; tok++)
		;
	if (is_url_or_path(s, (size_t)(tok - s)))
		return add_from_url(ctx, s, (size_t)(tok - s), group, line,
		                    is_direct);
	return mf_pep508(ctx, s, (size_t)(end - s), group, line, is_direct);
}

/* Cuts a comment: '#' at the start or after whitespace (pip's rule). */
static size_t strip_comment(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '#' && (i == 0 || is_ws(s[i - 1])))
			return i;
	return len;
}

static int is_comment_line(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_ws(s[i]))
		i++;
	return i < len && s[i] == '#';
}

int mf_parse_requirements(struct mf_ctx *ctx,
                          const char *data,
                          size_t len,
                          const char *group,
                          int is_direct)
{
	const char *p = data, *end = data + len;
	struct pyo_buf b = { 0 };
	unsigned line = 1;
	int error = 0;

	while (p < end) {
		unsigned first = line;
		int too_long = 0;

		pyo_buf_clear(&b);
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			size_t n;
			int cont;

			if (b.len && is_comment_line(p, (size_t)(le - p)))
				break; /* a comment line ends a continuation */
			n = (size_t)(le - p);
			if (n && p[n - 1] == '\r')
				n--;
			cont = n && p[n - 1] == '\\';
			if (cont)
				n--;
			if (!too_long && b.len + n > MF_MAX_LINE)
				too_long = 1;
			if (!too_long && pyo_buf_put(&b, p, n) < 0) {
				error = PYO_ERROR;
				goto done;
			}
			p = nl ? nl + 1 : end;
			if (nl)
				line++;
			if (!cont || p >= end)
				break;
		}
		if (too_long) {
			mf_warn(ctx, first,
			        "line longer than %d bytes; skipped",
			        MF_MAX_LINE);
			continue;
		}
		if (!b.len)
			continue;
		if ((error = mf_req_line(ctx, b.ptr,
		                         strip_comment(b.ptr, b.len), first,
		                         group, is_direct)) < 0)
			goto done;
	}
done:
	pyo_buf_release(&b);
	return error;
}
