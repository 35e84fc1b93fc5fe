/*
 * check_compare.c: which evidence a change adds and removes. A finding's
 * identity is its rule, path and normalised text (the package name for a
 * manifest entry), never its line: code that moves inside a file is not
 * new. What is left unmatched is then matched by rule and text alone, so a
 * renamed or moved file does not count as new evidence either.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

struct kref {
	char *key;
	size_t idx;
};

/* rule, path (when `with_path`) and text, whitespace runs collapsed */
static char *make_key(const struct pyo_finding *f, int with_path)
{
	struct pyo_buf b = { 0 };
	const char *s = f->where == PYO_WHERE_MANIFEST && f->detail ? f->detail
	                : f->snippet                                ? f->snippet
	                                                            : "";
	int space = 0;

	pyo_buf_puts(&b, f->rule_id ? f->rule_id : "");
	pyo_buf_putc(&b, '\x1f');
	if (with_path)
		pyo_buf_puts(&b, f->path ? f->path : "");
	pyo_buf_putc(&b, '\x1f');
	for (; *s == ' ' || *s == '\t'; s++)
		;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			space = 1;
			continue;
		}
		if (space)
			pyo_buf_putc(&b, ' ');
		space = 0;
		pyo_buf_putc(&b, *s);
	}
	if (!b.ptr)
		pyo_buf_puts(&b, "");
	return pyo_buf_detach(&b);
}

static int cmp_kref(const void *pa, const void *pb)
{
	const struct kref *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void free_krefs(struct kref *k, size_t n)
{
	size_t i;

	for (i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
}

/* Builds keys of the unmatched findings of `f`. */
static int keys_of(struct kref **out,
                   size_t *nr,
                   const struct pyo_findings *f,
                   const unsigned char *done,
                   int with_path)
{
	struct kref *k = calloc(f->nr ? f->nr : 1, sizeof(*k));
	size_t i, n = 0;

	*out = k;
	*nr = 0;
	if (!k)
		return pyo_error_oom();
	for (i = 0; i < f->nr; i++) {
		if (done[i])
			continue;
		if (!(k[n].key = make_key(&f->items[i], with_path))) {
			*nr = n;
			return pyo_error_oom();
		}
		k[n++].idx = i;
	}
	pyo_qsort(k, n, sizeof(*k), cmp_kref);
	*nr = n;
	return 0;
}

/* Matches head against base findings as multisets of keys. */
static int match(const struct pyo_findings *head,
                 unsigned char *hdone,
                 const struct pyo_findings *base,
                 unsigned char *bdone,
                 int with_path)
{
	struct kref *hk = NULL, *bk = NULL;
	size_t nh = 0, nb = 0, i = 0, j = 0;
	int error;

	if ((error = keys_of(&hk, &nh, head, hdone, with_path)) < 0 ||
	    (error = keys_of(&bk, &nb, base, bdone, with_path)) < 0)
		goto done;
	while (i < nh && j < nb) {
		int c = strcmp(hk[i].key, bk[j].key);

		if (!c) {
			hdone[hk[i++].idx] = 1;
			bdone[bk[j++].idx] = 1;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
done:
	free_krefs(hk, nh);
	free_krefs(bk, nb);
	return error;
}

static struct pyo_check_file *file_of(struct pyo_check *c, const char *path)
{
	size_t i;

	for (i = 0; path && i < c->nr_files; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

int check_compare(struct check_ctx *x)
{
	struct pyo_check *c = x->check;
	struct pyo_findings *head = &c->report->findings;
	struct pyo_findings *base = &x->sides[0].findings;
	unsigned char *bdone = NULL;
	size_t i;
	int error = 0;

	/* the head side's findings become the report's */
	*head = x->sides[1].findings;
	memset(&x->sides[1].findings, 0, sizeof(x->sides[1].findings));
	pyo_findings_sort(head);
	pyo_findings_sort(base);
	c->marks = calloc(head->nr ? head->nr : 1, 1);
	bdone = calloc(base->nr ? base->nr : 1, 1);
	if (!c->marks || !bdone) {
		error = pyo_error_oom();
		goto done;
	}
	if ((error = match(head, c->marks, base, bdone, 1)) < 0 ||
	    (error = match(head, c->marks, base, bdone, 0)) < 0)
		goto done;
	/* marks[] held "matched": turn it into "added" */
	for (i = 0; i < head->nr; i++) {
		struct pyo_check_file *f;

		c->marks[i] = c->marks[i] ? 0 : PYO_MARK_ADDED;
		if (!c->marks[i])
			continue;
		c->nr_added++;
		if ((f = file_of(c, head->items[i].path)))
			f->added++;
	}
	for (i = 0; i < base->nr; i++) {
		struct pyo_check_file *f;

		if (bdone[i])
			continue;
		if ((error = pyo_findings_add(&c->removed, &base->items[i])) <
		    0)
			goto done;
		if ((f = file_of(c, base->items[i].path)))
			f->removed++;
	}
done:
	free(bdone);
	return error;
}
