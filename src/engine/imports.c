/*
 * imports.c: Python and Go import extraction over masked text (see
 * imports.h). Hand-written scanners rather than regexes: statements can span
 * lines (parentheses, backslashes) and Go stops at the first declaration.
 */
#include <stdlib.h>
#include <string.h>

#include "imports.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "vec.h"

#include "banned.h"

#define MAX_NAME 512

void imp_list_clear(struct imp_list *l)
{
	if (!l)
		return;
	free(l->items);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

void imp_list_reset(struct imp_list *l)
{
	l->nr = 0;
	l->names_len = 0;
}

/* The names go in one buffer, not one allocation each (a file may have
 * dozens of imports, a scan hundreds of thousands). */
static int
imp_add(struct imp_list *l, const char *name, size_t n, size_t off, int member)
{
	struct imp *it;

	if (n == 0 || n > MAX_NAME)
		return 0;
	if (PYO_ARRAY_GROW(l->items, l->nr, l->alloc) < 0)
		return PYO_ERROR;
	while (l->names_alloc - l->names_len < n + 1) {
		size_t na = l->names_alloc ? l->names_alloc * 2 : 4096;
		char *p = realloc(l->names, na);

		if (!p)
			return pyo_error_oom();
		l->names = p;
		l->names_alloc = na;
	}
	it = &l->items[l->nr];
	memset(it, 0, sizeof(*it));
	it->name_off = l->names_len;
	memcpy(l->names + l->names_len, name, n);
	l->names[l->names_len + n] = '\0';
	l->names_len += n + 1;
	it->off = off;
	it->is_from_member = member;
	l->nr++;
	return 0;
}

/* Points the names into the buffer, once it has stopped moving. */
static int imp_done(struct imp_list *l, int error)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		l->items[i].name = l->names + l->items[i].name_off;
	return error;
}

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int is_word_start(unsigned char c)
{
	return is_word(c) && !(c >= '0' && c <= '9');
}

/* A cursor over one Python statement. */
struct pcur {
	const char *s;
	size_t i, len;
	int parens;
};

/* Skips blanks and backslash-newlines (and newlines inside parentheses). */
static void pskip(struct pcur *c)
{
	while (c->i < c->len) {
		char ch = c->s[c->i];

		if (ch == ' ' || ch == '\t' || ch == '\f' ||
		    (ch == '\r' && c->parens)) {
			c->i++;
		} else if (ch == '\\' && c->i + 1 < c->len &&
		           (c->s[c->i + 1] == '\n' || c->s[c->i + 1] == '\r')) {
			c->i += 2;
			if (c->i < c->len && c->s[c->i - 1] == '\r' &&
			    c->s[c->i] == '\n')
				c->i++;
		} else if (ch == '\n' && c->parens) {
			c->i++;
		} else {
			break;
		}
	}
}

static int pkeyword(struct pcur *c, const char *kw)
{
	size_t n = strlen(kw);

	if (c->i + n > c->len || memcmp(c->s + c->i, kw, n))
		return 0;
	if (c->i + n < c->len && is_word((unsigned char)c->s[c->i + n]))
		return 0;
	c->i += n;
	return 1;
}

/* Reads an identifier; returns its length (0 if none). */
static size_t pident(struct pcur *c)
{
	size_t st = c->i;

	if (c->i >= c->len || !is_word_start((unsigned char)c->s[c->i]))
		return 0;
	while (c->i < c->len && is_word((unsigned char)c->s[c->i]))
		c->i++;
	return c->i - st;
}

/* Reads a dotted name a.b.c; returns its length (0 if none). */
static size_t pdotted(struct pcur *c)
{
	size_t st = c->i;

	if (!pident(c))
		return 0;
	while (c->i + 1 < c->len && c->s[c->i] == '.' &&
	       is_word_start((unsigned char)c->s[c->i + 1])) {
		c->i++;
		pident(c);
	}
	return c->i - st;
}

static void palias(struct pcur *c)
{
	size_t save = c->i;

	pskip(c);
	if (pkeyword(c, "as")) {
		pskip(c);
		if (!pident(c))
			c->i = save;
	} else {
		c->i = save;
	}
}

static int parse_py_import(struct imp_list *out, struct pcur *c, size_t off)
{
	int error;

	for (;;) {
		size_t st, n;

		pskip(c);
		st = c->i;
		n = pdotted(c);
		if (!n)
			return 0;
		if ((error = imp_add(out, c->s + st, n, off, 0)) < 0)
			return error;
		palias(c);
		pskip(c);
		if (c->i < c->len && c->s[c->i] == ',') {
			c->i++;
			continue;
		}
		return 0;
	}
}

static int parse_py_from(struct imp_list *out, struct pcur *c, size_t off)
{
	char buf[MAX_NAME * 2 + 2];
	size_t st, n;
	int error;

	pskip(c);
	if (c->i < c->len && c->s[c->i] == '.')
		return 0; /* relative: the project's own module */
	st = c->i;
	n = pdotted(c);
	if (!n || n > MAX_NAME)
		return 0;
	pskip(c);
	if (!pkeyword(c, "import"))
		return 0;
	if ((error = imp_add(out, c->s + st, n, off, 0)) < 0)
		return error;
	memcpy(buf, c->s + st, n);
	buf[n] = '.';
	pskip(c);
	if (c->i < c->len && c->s[c->i] == '(') {
		c->i++;
		c->parens = 1;
	}
	for (;;) {
		size_t mst, mn;

		pskip(c);
		mst = c->i;
		mn = pident(c);
		if (!mn)
			break;
		if (mn <= MAX_NAME) {
			memcpy(buf + n + 1, c->s + mst, mn);
			if ((error = imp_add(out, buf, n + 1 + mn, off, 1)) < 0)
				return error;
		}
		palias(c);
		pskip(c);
		if (c->i < c->len && c->s[c->i] == ',') {
			c->i++;
			continue;
		}
		break;
	}
	if (c->parens) {
		pskip(c);
		if (c->i < c->len && c->s[c->i] == ')')
			c->i++;
		c->parens = 0;
	}
	return 0;
}

/* Start of the physical line holding `i`, following backslash joins up. */
static size_t logical_line_start(const char *s, size_t i)
{
	for (;;) {
		while (i > 0 && s[i - 1] != '\n')
			i--;
		if (i >= 2 && s[i - 2] == '\\')
			i -= 2;
		else if (i >= 3 && s[i - 2] == '\r' && s[i - 3] == '\\')
			i -= 3;
		else
			return i;
	}
}

static int python_imports(struct imp_list *out, const char *s, size_t len)
{
	size_t pos = 0, done_to = 0;
	int error;

	while (pos < len) {
		const char *hit = pyo_memmem(s + pos, len - pos, "import", 6);
		struct pcur c;
		size_t k;

		if (!hit)
			break;
		k = (size_t)(hit - s);
		pos = k + 6;
		if (k < done_to)
			continue;
		/* Parse each ;-separated statement of the logical line. */
		c.s = s;
		c.len = len;
		c.parens = 0;
		c.i = logical_line_start(s, k);
		for (;;) {
			size_t st;

			pskip(&c);
			st = c.i;
			if (pkeyword(&c, "import")) {
				error = parse_py_import(out, &c, st);
			} else if (pkeyword(&c, "from")) {
				error = parse_py_from(out, &c, st);
			} else {
				error = 0;
			}
			if (error < 0)
				return error;
			/* skip to the next ';' or the end of the line */
			while (c.i < len && s[c.i] != '\n' && s[c.i] != ';') {
				if (s[c.i] == '\\' && c.i + 1 < len &&
				    s[c.i + 1] == '\n')
					c.i++;
				c.i++;
			}
			if (c.i < len && s[c.i] == ';') {
				c.i++;
				continue;
			}
			break;
		}
		done_to = c.i;
		if (pos < done_to)
			pos = done_to;
	}
	return 0;
}

/* Go */

static size_t gskip(const char *s, size_t i, size_t len, int newlines)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	                   (newlines && (s[i] == '\n' || s[i] == ';'))))
		i++;
	return i;
}

/* One import spec at `i`: [name] "path". Returns the index after it. */
static size_t
go_spec(struct imp_list *out, const char *s, size_t i, size_t len, int *error)
{
	size_t st = i, e;
	char q;

	if (i < len && (s[i] == '_' || s[i] == '.' ||
	                is_word_start((unsigned char)s[i]))) {
		while (i < len && (is_word((unsigned char)s[i]) || s[i] == '.'))
			i++;
		i = gskip(s, i, len, 0);
	}
	if (i >= len || (s[i] != '"' && s[i] != '`'))
		return i;
	q = s[i];
	e = i + 1;
	while (e < len && s[e] != q && s[e] != '\n')
		e++;
	if (e >= len || s[e] != q)
		return e;
	*error = imp_add(out, s + i + 1, e - i - 1, st, 0);
	return e + 1;
}

static int line_starts_with(const char *s, size_t i, size_t len, const char *kw)
{
	size_t n = 0;

	while (kw[n] && i + n < len && s[i + n] == kw[n])
		n++;
	return !kw[n] && (i + n == len || !is_word((unsigned char)s[i + n]));
}

static int go_imports(struct imp_list *out, const char *s, size_t len)
{
	size_t i = 0;
	int error = 0;

	while (i < len) {
		size_t ls = gskip(s, i, len, 0);
		const char *nl;

		/* most lines of a file's head are blank or comments */
		if (ls < len && s[ls] && strchr("ftvc", s[ls]) &&
		    (line_starts_with(s, ls, len, "func") ||
		     line_starts_with(s, ls, len, "type") ||
		     line_starts_with(s, ls, len, "var") ||
		     line_starts_with(s, ls, len, "const")))
			break;
		if (line_starts_with(s, ls, len, "import")) {
			size_t j = gskip(s, ls + 6, len, 1);

			if (j < len && s[j] == '(') {
				j++;
				for (;;) {
					j = gskip(s, j, len, 1);
					if (j >= len || s[j] == ')')
						break;
					{
						size_t before = j;

						j = go_spec(out, s, j, len,
						            &error);
						if (error < 0)
							return error;
						if (j == before)
							j++;
					}
				}
				i = j;
			} else {
				i = go_spec(out, s, j, len, &error);
				if (error < 0)
					return error;
			}
		} else {
			i = ls;
		}
		nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
		if (!nl)
			break;
		i = (size_t)(nl - s) + 1;
	}
	return 0;
}

int imports_python(struct imp_list *out, const char *s, size_t len)
{
	return imp_done(out, python_imports(out, s, len));
}

int imports_go(struct imp_list *out, const char *s, size_t len)
{
	return imp_done(out, go_imports(out, s, len));
}
