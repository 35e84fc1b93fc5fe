/*
 * gitattr.c: .gitattributes as git reads them, for the five linguist-*
 * attributes. A pattern without a slash matches the file name at any depth
 * below its file's folder; with a slash it is anchored there; a pattern
 * ending in '/' names folders and so no file. Deeper files win over
 * shallower ones, later lines over earlier ones; "attr", "-attr",
 * "attr=value" and "!attr" set, unset, give a value to and unspecify.
 */
#include <stdlib.h>
#include <string.h>

#include "gitattr.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

enum {
	A_LANGUAGE,
	A_VENDORED,
	A_GENERATED,
	A_DOCUMENTATION,
	A_DETECTABLE,
	A_COUNT
};

static const char *const attr_names[A_COUNT] = {
	"linguist-language",      "linguist-vendored",   "linguist-generated",
	"linguist-documentation", "linguist-detectable",
};

/* What a line says of one attribute. */
enum { S_NONE, S_UNSPEC, S_FALSE, S_TRUE, S_VALUE };

struct ga_rule {
	char *pattern;
	int anchored; /* had a slash: match the path under the folder */
	unsigned char state[A_COUNT];
	char *value[A_COUNT];
};

struct ga_file {
	char *dir;
	size_t dirlen, depth;
	struct ga_rule *rules;
	size_t nr, alloc;
};

struct pyo_gitattrs {
	struct ga_file *files;
	size_t nr, alloc;
	int any;
};

/* [...] at `p` against `c`; advances *pp past it. -1: not a class. */
static int match_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') { /* a leading ']' is a member */
		hit |= c == ']';
		p++;
	}
	for (; *p && *p != ']'; p++) {
		char lo = *p, hi = *p;

		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = 1;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != neg;
}

/*
 * git's wildmatch recursion is exponential for patterns such as
 * "*a*a*a*a*b" on long paths; a hostile repository must not hang the
 * scan, so a match gives up (as "no match") after GLOB_BUDGET steps.
 */
#define GLOB_BUDGET 100000

static int glob_at(const char *p, const char *s, long *budget)
{
	if (--*budget < 0)
		return 0;
	while (*p) {
		if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2])) {
			/* "**" alone or "**\/": any number of whole folders */
			p += p[2] ? 3 : 2;
			if (!*p)
				return 1;
			for (;;) {
				if (glob_at(p, s, budget))
					return 1;
				s = strchr(s, '/');
				if (!s)
					return 0;
				s++;
			}
		}
		if (*p == '*') {
			for (p++;; s++) {
				if (glob_at(p, s, budget))
					return 1;
				if (!*s || *s == '/')
					return 0;
			}
		}
		if (!*s)
			return 0;
		if (*p == '[') {
			const char *q = p;
			int m = match_class(&q, *s);

			if (m >= 0) {
				if (!m || *s == '/')
					return 0;
				p = q;
				s++;
				continue;
			}
		}
		if (*p == '?') {
			if (*s == '/')
				return 0;
		} else {
			if (*p == '\\' && p[1])
				p++;
			if (*p != *s)
				return 0;
		}
		p++;
		s++;
	}
	return !*s;
}

int pyo_gitattrs_glob(const char *pattern, const char *path)
{
	long budget = GLOB_BUDGET;

	return glob_at(pattern, path, &budget) && budget >= 0;
}

static void rule_release(struct ga_rule *r)
{
	int k;

	free(r->pattern);
	for (k = 0; k < A_COUNT; k++)
		free(r->value[k]);
}

/* Reads one attribute token ("-x", "!x", "x", "x=v") into `r`. */
static int parse_attr(struct ga_rule *r, const char *t, size_t n)
{
	unsigned char state = S_TRUE;
	const char *eq;
	size_t namelen;
	int k;

	if (*t == '-' || *t == '!') {
		state = *t == '-' ? S_FALSE : S_UNSPEC;
		t++;
		n--;
	}
	eq = memchr(t, '=', n);
	namelen = eq ? (size_t)(eq - t) : n;
	for (k = 0; k < A_COUNT; k++)
		if (strlen(attr_names[k]) == namelen &&
		    !memcmp(t, attr_names[k], namelen))
			break;
	if (k == A_COUNT)
		return 0;
	free(r->value[k]);
	r->value[k] = NULL;
	if (eq && state == S_TRUE) {
		size_t vl = n - namelen - 1;

		r->value[k] = pyo_strndup(eq + 1, vl);
		if (!r->value[k])
			return PYO_ERROR;
		state = S_VALUE;
	}
	r->state[k] = state;
	return 1;
}

static int parse_line(struct ga_file *f, const char *l, size_t n, int *any)
{
	struct ga_rule r;
	size_t i = 0, start;
	int used = 0, error;

	memset(&r, 0, sizeof(r));
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i == n || l[i] == '#' ||
	    (n - i > 6 && !memcmp(l + i, "[attr]", 6))) /* comment, macro */
		return 0;
	start = i;
	while (i < n && l[i] != ' ' && l[i] != '\t')
		i++;
	if (l[start] == '"') /* quoted patterns are rare: skip them */
		return 0;
	for (;;) {
		size_t t;

		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i == n)
			break;
		t = i;
		while (i < n && l[i] != ' ' && l[i] != '\t')
			i++;
		if ((error = parse_attr(&r, l + t, i - t)) < 0)
			goto fail;
		used |= error;
	}
	if (!used)
		goto skip;
	{
		const char *p = l + start;
		size_t plen = 0;

		while (start + plen < n && p[plen] != ' ' && p[plen] != '\t')
			plen++;
		if (p[plen - 1] == '/') /* folders only: never a file */
			goto skip;
		if (*p == '/') {
			p++;
			plen--;
			r.anchored = 1;
		}
		if (memchr(p, '/', plen))
			r.anchored = 1;
		if (!plen || !(r.pattern = pyo_strndup(p, plen))) {
			if (plen)
				goto fail;
			goto skip;
		}
	}
	if (PYO_ARRAY_GROW(f->rules, f->nr, f->alloc) < 0)
		goto fail;
	f->rules[f->nr++] = r;
	*any = 1;
	return 0;
skip:
	rule_release(&r);
	return 0;
fail:
	rule_release(&r);
	return PYO_ERROR;
}

int pyo_gitattrs_add(struct pyo_gitattrs **out,
                     const char *dir,
                     const char *data,
                     size_t len)
{
	struct pyo_gitattrs *ga = *out;
	struct ga_file *f;
	const char *p = data, *end = data + len;
	const char *c;

	if (!ga) {
		if (!(ga = calloc(1, sizeof(*ga))))
			return pyo_error_oom();
		*out = ga;
	}
	if (PYO_ARRAY_GROW(ga->files, ga->nr, ga->alloc) < 0)
		return PYO_ERROR;
	f = &ga->files[ga->nr];
	memset(f, 0, sizeof(*f));
	if (!(f->dir = pyo_strdup(dir)))
		return PYO_ERROR;
	f->dirlen = strlen(dir);
	for (c = dir; *c; c++)
		f->depth += *c == '/';
	ga->nr++;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n && pyo_memmem(p, n, "linguist-", 9) &&
		    parse_line(f, p, n, &ga->any) < 0)
			return PYO_ERROR;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int cmp_depth(const void *a, const void *b)
{
	const struct ga_file *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return strcmp(x->dir, y->dir);
}

void pyo_gitattrs_finish(struct pyo_gitattrs *ga)
{
	if (ga)
		pyo_qsort(ga->files, ga->nr, sizeof(*ga->files), cmp_depth);
}

int pyo_gitattrs_any(const struct pyo_gitattrs *ga)
{
	return ga && ga->any;
}

static int bool_of(unsigned char state, const char *value)
{
	switch (state) {
	case S_TRUE:
		return 1;
	case S_FALSE:
		return 0;
	case S_VALUE: /* "linguist-vendored=false" is false, as in Linguist */
		return strcmp(value, "false") != 0;
	default:
		return -1;
	}
}

void pyo_gitattrs_lookup(struct pyo_attrs *out,
                         char *lang_buf,
                         size_t lang_size,
                         const struct pyo_gitattrs *ga,
                         const char *path)
{
	unsigned char state[A_COUNT] = { 0 };
	const char *value[A_COUNT] = { 0 };
	const char *base = pyo_path_basename(path);
	size_t i, j;
	int k;

	memset(out, 0, sizeof(*out));
	for (i = 0; ga && i < ga->nr; i++) {
		const struct ga_file *f = &ga->files[i];
		const char *rel;

		if (f->dirlen && strncmp(path, f->dir, f->dirlen))
			continue;
		rel = path + f->dirlen;
		for (j = 0; j < f->nr; j++) {
			const struct ga_rule *r = &f->rules[j];

			if (!pyo_gitattrs_glob(r->pattern,
			                       r->anchored ? rel : base))
				continue;
			for (k = 0; k < A_COUNT; k++)
				if (r->state[k] != S_NONE) {
					state[k] = r->state[k];
					value[k] = r->value[k];
				}
		}
	}
	if (state[A_LANGUAGE] == S_VALUE && value[A_LANGUAGE] && lang_size) {
		size_t n = strlen(value[A_LANGUAGE]);

		if (n >= lang_size)
			n = lang_size - 1;
		memcpy(lang_buf, value[A_LANGUAGE], n);
		lang_buf[n] = '\0';
		out->language = lang_buf;
	}
	out->vendored = bool_of(state[A_VENDORED], value[A_VENDORED]);
	out->generated = bool_of(state[A_GENERATED], value[A_GENERATED]);
	out->documentation =
	        bool_of(state[A_DOCUMENTATION], value[A_DOCUMENTATION]);
	out->detectable = bool_of(state[A_DETECTABLE], value[A_DETECTABLE]);
}

void pyo_gitattrs_free(struct pyo_gitattrs *ga)
{
	size_t i, j;

	if (!ga)
		return;
	for (i = 0; i < ga->nr; i++) {
		for (j = 0; j < ga->files[i].nr; j++)
			rule_release(&ga->files[i].rules[j]);
		free(ga->files[i].rules);
		free(ga->files[i].dir);
	}
	free(ga->files);
	free(ga);
}
