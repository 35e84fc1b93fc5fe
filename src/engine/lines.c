/*
 * lines.c: total, blank, comment and code lines of one blob, from the
 * comment and string syntax in rules/languages.json. A line is blank when
 * it holds only white space, a comment line when everything else on it is
 * comment, and code otherwise. Comment markers inside string literals do
 * not count. Runs over every blob, so the common paths are memchr-based.
 */
#include <stdlib.h>
#include <string.h>

#include "langdb.h"
#include "vec.h"
#include "banned.h"

/* Where lines start, when the caller keeps them (NULL: not kept). */
struct sink {
	struct pyo_line_index *idx;
	int oom;
};

/* A line starts at byte `start`. */
static inline void line_starts(struct sink *k, size_t start)
{
	struct pyo_line_index *x = k->idx;

	if (!x)
		return;
	if (PYO_ARRAY_GROW(x->starts, x->nr, x->alloc) < 0) {
		k->idx = NULL;
		k->oom = 1;
		return;
	}
	x->starts[x->nr++] = start;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Lines and blank lines only (no comment syntax known). */
static void count_plain(struct pyo_line_counts *out,
                        struct sink *k,
                        const char *data,
                        size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl;

		while (p < end && is_ws((unsigned char)*p))
			p++;
		if (p == end) {
			out->lines++;
			out->blank++;
			break;
		}
		out->lines++;
		if (*p == '\n') {
			out->blank++;
			p++;
			line_starts(k, (size_t)(p - data));
			continue;
		}
		out->code++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
		line_starts(k, (size_t)(p - data));
	}
}

static int starts(const char *p, const char *end, const char *m)
{
	size_t n = strlen(m);

	return (size_t)(end - p) >= n && !memcmp(p, m, n);
}

enum state { ST_CODE, ST_BLOCK, ST_STRING };

struct counter {
	const struct pyo_language *l;
	enum state st;
	size_t which;   /* block or quote index */
	unsigned depth; /* nesting of block comments */
};

/*
 * Scans one line [p, eol) and reports what it holds. The state carries
 * over to the next line for block comments and multi-line strings.
 */
static void scan_line(struct counter *c,
                      const char *p,
                      const char *eol,
                      int *has_code,
                      int *has_comment)
{
	const struct pyo_language *l = c->l;

	while (p < eol) {
		size_t i;

		if (c->st == ST_BLOCK) {
			const char *cl = l->block_close[c->which];
			const char *op = l->block_open[c->which];

			*has_comment = 1;
			while (p < eol) {
				if (starts(p, eol, cl)) {
					p += strlen(cl);
					if (--c->depth == 0) {
						c->st = ST_CODE;
						break;
					}
					continue;
				}
				if (l->is_nested_blocks && starts(p, eol, op)) {
					p += strlen(op);
					c->depth++;
					continue;
				}
				p++;
			}
			continue;
		}
		if (c->st == ST_STRING) {
			const struct pyo_lang_quote *q = &l->quotes[c->which];
			size_t cn = strlen(q->close);

			*has_code = 1;
			while (p < eol) {
				if (*p == '\\' && !q->is_raw) {
					p += 2;
					continue;
				}
				if (*p == q->close[0] &&
				    starts(p, eol, q->close)) {
					p += cn;
					c->st = ST_CODE;
					break;
				}
				p++;
			}
			if (p > eol)
				p = eol;
			continue;
		}
		/* code: skip to the next byte that may open something */
		if (!*has_code) {
			while (p < eol && !l->first_bytes[(unsigned char)*p]) {
				if (!is_ws((unsigned char)*p)) {
					*has_code = 1;
					break;
				}
				p++;
			}
		}
		while (p < eol && !l->first_bytes[(unsigned char)*p])
			p++;
		if (p >= eol)
			break;
		for (i = 0; i < l->nr_line_comments; i++)
			if (starts(p, eol, l->line_comments[i])) {
				*has_comment = 1;
				return;
			}
		for (i = 0; i < l->nr_blocks; i++)
			if (starts(p, eol, l->block_open[i])) {
				c->st = ST_BLOCK;
				c->which = i;
				c->depth = 1;
				*has_comment = 1;
				p += strlen(l->block_open[i]);
				break;
			}
		if (c->st == ST_BLOCK)
			continue;
		/* longest quote first: """ before " */
		{
			size_t best = (size_t)-1, bestn = 0;

			for (i = 0; i < l->nr_quotes; i++) {
				size_t n = strlen(l->quotes[i].open);

				if (n > bestn &&
				    starts(p, eol, l->quotes[i].open)) {
					best = i;
					bestn = n;
				}
			}
			if (best != (size_t)-1) {
				c->st = ST_STRING;
				c->which = best;
				*has_code = 1;
				p += bestn;
				continue;
			}
		}
		if (!is_ws((unsigned char)*p))
			*has_code = 1;
		p++;
	}
	/* single-line strings end with the line */
	if (c->st == ST_STRING && !l->quotes[c->which].is_multiline &&
	    eol[-1] != '\\')
		c->st = ST_CODE;
}

int pyo_count_lines_index(struct pyo_line_counts *out,
                          const struct pyo_language *lang,
                          const char *data,
                          size_t len,
                          struct pyo_line_index *idx)
{
	struct counter c = { lang, ST_CODE, 0, 0 };
	const char *p = data, *end = data + len;
	struct sink k = { idx, 0 };

	memset(out, 0, sizeof(*out));
	if (idx) {
		idx->nr = 0;
		line_starts(&k, 0);
	}
	if (!data || !len)
		goto done;
	if (!pyo_language_has_comments(lang)) {
		count_plain(out, &k, data, len);
		goto done;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *s = p;
		int has_code = 0, has_comment = 0;

		if (!eol)
			eol = end;
		if (c.st == ST_CODE) {
			while (s < eol && is_ws((unsigned char)*s))
				s++;
		}
		if (s < eol)
			scan_line(&c, s, eol, &has_code, &has_comment);
		out->lines++;
		if (has_code)
			out->code++;
		else if (has_comment)
			out->comment++;
		else
			out->blank++;
		p = eol + 1;
		if (eol < end)
			line_starts(&k, (size_t)(p - data));
	}
done:
	if (k.oom) {
		idx->nr = 0;
		return pyo_error_oom();
	}
	return 0;
}

void pyo_count_lines(struct pyo_line_counts *out,
                     const struct pyo_language *lang,
                     const char *data,
                     size_t len)
{
	(void)pyo_count_lines_index(out, lang, data, len, NULL);
}
