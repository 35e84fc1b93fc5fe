/*
 * manifest_conda.c: conda environment.yml. A YAML reader for this shape
 * only: the top-level `dependencies:` list (block or [flow] form) of conda
 * MatchSpecs, and its nested `- pip:` list of requirement lines, which go
 * through the requirements reader (so -r and -e work there too).
 */
#include <string.h>

#include "pyorgo/manifest.h"
#include "manifest_int.h"
#include "banned.h"

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Cuts a " #" comment and surrounding blanks and quotes. */
static void clean(const char **s, const char **end)
{
	const char *p;

	while (*s < *end && is_ws(**s))
		(*s)++;
	for (p = *s; p < *end; p++) {
		if (*p == '"' || *p == '\'') {
			const char *q =
			        memchr(p + 1, *p, (size_t)(*end - p - 1));

			if (q) {
				p = q;
				continue;
			}
		}
		if (*p == '#' && (p == *s || is_ws(p[-1]))) {
			*end = p;
			break;
		}
	}
	while (*end > *s && is_ws((*end)[-1]))
		(*end)--;
	if (*end - *s >= 2 && (**s == '"' || **s == '\'') &&
	    (*end)[-1] == **s) {
		(*s)++;
		(*end)--;
	}
}

static int is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* [channel[/subdir]::]name[ version[ build]] and its = / == / >= forms */
static int
conda_spec(struct mf_ctx *ctx, const char *s, const char *end, unsigned line)
{
	struct mf_dep d = { 0 };
	char name[256];
	const char *p, *n;
	size_t i;

	for (p = s; p + 1 < end; p++)
		if (p[0] == ':' && p[1] == ':') {
			s = p + 2;
			break;
		}
	n = s;
	for (p = s; p < end && is_name_char(*p); p++)
		;
	if (p == n || (size_t)(p - n) >= sizeof(name)) {
		mf_warn(ctx, line, "cannot parse conda package '%.*s'",
		        (int)(end - s > 60 ? 60 : end - s), s);
		return 0;
	}
	for (i = 0; i < (size_t)(p - n); i++)
		name[i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a'
		                                            : n[i]);
	while (p < end && is_ws(*p))
		p++;
	d.ecosystem = "conda";
	d.name = name;
	d.name_len = i;
	d.constraint = p;
	d.constraint_len = (size_t)(end - p);
	d.line = line;
	d.is_direct = 1;
	return mf_add(ctx, &d);
}

/* "[a, b, c]" */
static int flow_list(struct mf_ctx *ctx,
                     const char *s,
                     const char *end,
                     unsigned line,
                     int pip)
{
	int error;

	if (s >= end || *s != '[' || end[-1] != ']') {
		mf_warn(ctx, line, "unsupported YAML value");
		return 0;
	}
	for (s++, end--; s < end;) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *ie = comma ? comma : end, *is = s;

		clean(&is, &ie);
		if (ie > is) {
			error = pip ? mf_req_line(ctx, is, (size_t)(ie - is),
			                          line, NULL, 1)
			            : conda_spec(ctx, is, ie, line);
			if (error < 0)
				return error;
		}
		s = comma ? comma + 1 : end;
	}
	return 0;
}

int mf_parse_conda(struct mf_ctx *ctx, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	long item_indent = -1, pip_indent = -1;
	unsigned line = 0;
	int in_deps = 0, error = 0;

	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *ls = p, *le = nl ? nl : end;
		long indent;

		line++;
		p = nl ? nl + 1 : end;
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		indent = (long)(s - ls);
		if (s == le || *s == '#' || (le - s == 1 && *s == '\r'))
			continue;
		if (indent == 0 && *s != '-') {
			/* a top-level key */
			const char *colon = memchr(s, ':', (size_t)(le - s));

			in_deps = colon && colon - s == 12 &&
			          !memcmp(s, "dependencies", 12);
			item_indent = pip_indent = -1;
			if (in_deps) {
				const char *v = colon + 1, *ve = le;

				clean(&v, &ve);
				if (ve > v)
					error = flow_list(ctx, v, ve, line, 0);
			}
			continue;
		}
		if (!in_deps)
			continue;
		if (*s != '-' || (le - s > 1 && !is_ws(s[1])))
			continue; /* not a list item */
		if (item_indent < 0)
			item_indent = indent;
		if (indent > item_indent && pip_indent >= 0) {
			const char *v = s + 1, *ve = le;

			clean(&v, &ve);
			if (ve > v)
				error = mf_req_line(ctx, v, (size_t)(ve - v),
				                    line, NULL, 1);
			continue;
		}
		if (indent > item_indent)
			continue; /* nested under something else */
		pip_indent = -1;
		{
			const char *v = s + 1, *ve = le;

			clean(&v, &ve);
			if (ve - v >= 4 && !memcmp(v, "pip:", 4)) {
				const char *fv = v + 4, *fe = ve;

				pip_indent = indent;
				clean(&fv, &fe);
				if (fe > fv)
					error = flow_list(ctx, fv, fe, line, 1);
			} else if (ve > v) {
				error = conda_spec(ctx, v, ve, line);
			}
		}
	}
	return error;
}
