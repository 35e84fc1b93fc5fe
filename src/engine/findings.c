/*
 * findings.c: a report's list of findings (pyorgo/report.h): one block of
 * strings per finding (or borrowed ones, or the report's arena:
 * report_int.h), and the orders the report needs.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/report.h"
#include "report_int.h"
#include "vec.h"
#include "banned.h"

const char pyo_finding_borrowed = 0, pyo_finding_in_report = 0;

void pyo_finding_release(struct pyo_finding *f)
{
	if (!f)
		return;
	if (f->strings) {
		if (f->strings != PYO_FINDING_BORROWED &&
		    f->strings != PYO_FINDING_IN_REPORT)
			free(f->strings);
		memset(f, 0, sizeof(*f));
		return;
	}
	free(f->rule_id);
	free(f->category);
	free(f->signal);
	free(f->language);
	free(f->path);
	free(f->snippet);
	free(f->detail);
	memset(f, 0, sizeof(*f));
}

/* Copies `src` to `*at` and points `*dst` there; NULL stays NULL. */
static void put_field(char **dst, const char *src, size_t len, char **at)
{
	*dst = NULL;
	if (!src)
		return;
	memcpy(*at, src, len + 1);
	*dst = *at;
	*at += len + 1;
}

/*
 * One allocation per finding: a scan makes hundreds of thousands of them,
 * and seven small blocks each cost more than the detector's match.
 */
int pyo_findings_add(struct pyo_findings *list, const struct pyo_finding *f)
{
	return pyo_findings_add_in(list, f, NULL);
}

int pyo_findings_add_in(struct pyo_findings *list,
                        const struct pyo_finding *f,
                        struct pyo_arena *arena)
{
	const char *src[7] = { f->rule_id, f->category, f->signal, f->language,
		               f->path,    f->snippet,  f->detail };
	size_t len[7], total = 0, i;
	struct pyo_finding *n;
	char *mem, *at;

	/* a finding is written whole: no need to zero the room */
	if (PYO_ARRAY_GROW_UNZEROED(list->items, list->nr, list->alloc) < 0)
		return PYO_ERROR;
	if (f->strings == PYO_FINDING_BORROWED) {
		list->items[list->nr++] = *f;
		return 0;
	}
	for (i = 0; i < 7; i++) {
		len[i] = src[i] ? strlen(src[i]) : 0;
		total += src[i] ? len[i] + 1 : 0;
	}
	if (!(mem = arena ? pyo_arena_alloc(arena, total ? total : 1)
	                  : malloc(total ? total : 1)))
		return pyo_error_oom();
	n = &list->items[list->nr];
	*n = *f;
	n->strings = arena ? PYO_FINDING_IN_REPORT : mem;
	at = mem;
	put_field(&n->rule_id, src[0], len[0], &at);
	put_field(&n->category, src[1], len[1], &at);
	put_field(&n->signal, src[2], len[2], &at);
	put_field(&n->language, src[3], len[3], &at);
	put_field(&n->path, src[4], len[4], &at);
	put_field(&n->snippet, src[5], len[5], &at);
	put_field(&n->detail, src[6], len[6], &at);
	list->nr++;
	return 0;
}

size_t pyo_findings_filter(struct pyo_findings *list,
                           size_t from,
                           int (*keep)(const struct pyo_finding *f,
                                       void *payload),
                           void *payload)
{
	size_t i, n = from;

	for (i = from; i < list->nr; i++) {
		if (!keep(&list->items[i], payload)) {
			pyo_finding_release(&list->items[i]);
			continue;
		}
		list->items[n++] = list->items[i];
	}
	i = list->nr - n;
	list->nr = n;
	return i;
}

void pyo_findings_clear(struct pyo_findings *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		pyo_finding_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static int strcmp_null(const char *a, const char *b)
{
	if (a == b)
		return 0; /* a file's findings often share their strings */
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct pyo_finding *a = pa, *b = pb;
	int c;

	if ((c = strcmp_null(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = strcmp_null(a->rule_id, b->rule_id)))
		return c;
	if (a->where != b->where)
		return a->where < b->where ? -1 : 1;
	return strcmp_null(a->detail, b->detail);
}

/* End of the ascending run that starts at `i`. */
static size_t run_end(const struct pyo_finding *a, size_t i, size_t n)
{
	for (i++; i < n && cmp_finding(&a[i - 1], &a[i]) <= 0; i++)
		;
	return i;
}

/* Merges the sorted a[lo, mid) and a[mid, hi) through `tmp`. */
static void merge_runs(struct pyo_finding *a,
                       struct pyo_finding *tmp,
                       size_t lo,
                       size_t mid,
                       size_t hi)
{
	size_t i = lo, j = mid, o = 0;

	if (cmp_finding(&a[mid - 1], &a[mid]) <= 0)
		return; /* already in order */
	while (i < mid && j < hi)
		tmp[o++] = cmp_finding(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < mid)
		tmp[o++] = a[i++];
	/* a[j, hi) is in place already */
	memcpy(a + lo, tmp, o * sizeof(*a));
}

/*
 * Puts the m findings after a[0, n) (sorted) in their places, once
 * sorted themselves: from the end, each moves past the block of larger
 * ones found by a binary search. Only what lies after the first place
 * moves, once; equal findings keep their order.
 */
static int insert_tail(struct pyo_finding *a, size_t n, size_t m)
{
	struct pyo_finding *t = malloc(m * sizeof(*t));
	size_t i = n, j = m, w = n + m; /* ends: a[0, i), t[0, j), a[w..) */

	if (!t)
		return -1;
	pyo_qsort(a + n, m, sizeof(*a), cmp_finding);
	memcpy(t, a + n, m * sizeof(*t));
	while (j > 0) {
		size_t lo = 0, hi = i, count;

		/* the first of a[0, i) that is greater than t[j - 1] */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_finding(&a[mid], &t[j - 1]) > 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		count = i - lo;
		memmove(a + w - count, a + lo, count * sizeof(*a));
		w -= count;
		i = lo;
		a[--w] = t[--j];
	}
	free(t);
	return 0;
}

/*
 * A natural merge sort: a scan's findings arrive as one sorted run (the
 * workers' chunks, put back in path order) and the manifests' few after
 * it, which are put in their places; other lists have few long runs, so
 * merging runs is linear where a comparison sort would compare equal
 * paths n log n times.
 */
void pyo_findings_sort(struct pyo_findings *list)
{
	pyo_findings_sort_after(list, 0);
}

void pyo_findings_sort_after(struct pyo_findings *list, size_t sorted)
{
	struct pyo_finding *a = list->items, *tmp;
	size_t n = list->nr, *runs, nr_runs = 0, i, head;

	if (n < 2)
		return;
	/* the known run goes on as far as it does */
	head = run_end(a, sorted > 1 && sorted <= n ? sorted - 1 : 0, n);
	if (head == n)
		return;
	if (n - head <= n / 16 && !insert_tail(a, head, n - head))
		return;
	tmp = malloc(n * sizeof(*tmp));
	runs = malloc((n + 1) * sizeof(*runs));
	if (!tmp || !runs) {
		/* no room to merge: sort in place */
		free(tmp);
		free(runs);
		pyo_qsort(a, n, sizeof(*a), cmp_finding);
		return;
	}
	runs[nr_runs++] = 0; /* a[0, head) is the first run, found above */
	for (i = head; i < n; i = run_end(a, i, n))
		runs[nr_runs++] = i;
	runs[nr_runs] = n;
	while (nr_runs > 1) {
		size_t k, out = 0;

		for (k = 0; k + 1 < nr_runs; k += 2) {
			merge_runs(a, tmp, runs[k], runs[k + 1], runs[k + 2]);
			runs[out++] = runs[k];
		}
		if (k < nr_runs)
			runs[out++] = runs[k];
		runs[out] = n;
		nr_runs = out;
	}
	free(tmp);
	free(runs);
}

void pyo_findings_sort_from(struct pyo_findings *list, size_t from)
{
	struct pyo_finding *a, t;
	size_t n = from < list->nr ? list->nr - from : 0, i, j;

	if (n < 2)
		return;
	a = list->items + from;
	/* a file's few findings: an insertion sort, without qsort()'s
	 * calls through a pointer (33,000 files on the bench repository) */
	if (n > 32) {
		pyo_qsort(a, n, sizeof(*a), cmp_finding);
		return;
	}
	for (i = 1; i < n; i++) {
		if (cmp_finding(&a[i - 1], &a[i]) <= 0)
			continue;
		t = a[i];
		for (j = i; j > 0 && cmp_finding(&a[j - 1], &t) > 0; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}
