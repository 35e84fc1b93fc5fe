/*
 * report.c: the report and the lists it holds (findings, dependencies,
 * signals, warnings). Every list copies what it is given.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/report.h"
#include "report_int.h"
#include "buf.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

/* Owned by the history and recommend modules. */
void pyo_history_free(struct pyo_history *h);
void pyo_verdict_free(struct pyo_verdict *v);

static const char *const exclude_names[PYO_EX_COUNT] = {
	"none",    "vendored",  "generated", "documentation", "binary",
	"symlink", "submodule", "unknown",   "missing",
};

const char *pyo_exclude_name(enum pyo_exclude e)
{
	return (unsigned)e < PYO_EX_COUNT ? exclude_names[e] : "?";
}

static const char *const scope_names[PYO_SCOPE_COUNT] = {
	"service", "test", "example", "docs", "research",
};

const char *pyo_scope_name(enum pyo_scope s)
{
	return (unsigned)s < PYO_SCOPE_COUNT ? scope_names[s] : "?";
}

const char *pyo_where_name(enum pyo_where w)
{
	switch (w) {
	case PYO_WHERE_MANIFEST:
		return "manifest";
	case PYO_WHERE_IMPORT:
		return "import";
	case PYO_WHERE_PATTERN:
		return "pattern";
	case PYO_WHERE_HISTORY:
		return "history";
	case PYO_WHERE_REPO:
		return "repository";
	}
	return "?";
}

/* Copies `src` into `*dst`; NULL stays NULL. */
static int dup_field(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = pyo_strdup(src);
	return *dst ? 0 : PYO_ERROR;
}

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

void pyo_dep_release(struct pyo_dep *d)
{
	if (!d)
		return;
	free(d->ecosystem);
	free(d->name);
	free(d->constraint);
	free(d->group);
	free(d->manifest);
	memset(d, 0, sizeof(*d));
}

int pyo_deps_add(struct pyo_deps *list, const struct pyo_dep *d)
{
	struct pyo_dep *n;

	if (PYO_ARRAY_GROW(list->items, list->nr, list->alloc) < 0)
		return PYO_ERROR;
	n = &list->items[list->nr];
	*n = *d;
	if (dup_field(&n->ecosystem, d->ecosystem) < 0 ||
	    dup_field(&n->name, d->name) < 0 ||
	    dup_field(&n->constraint, d->constraint ? d->constraint : "") < 0 ||
	    dup_field(&n->group, d->group) < 0 ||
	    dup_field(&n->manifest, d->manifest) < 0) {
		pyo_dep_release(n);
		return PYO_ERROR;
	}
	list->nr++;
	return 0;
}

void pyo_deps_clear(struct pyo_deps *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		pyo_dep_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Signals are looked up by name for every finding: hash them. */
static struct pyo_signal *find_signal(const struct pyo_signals *s,
                                      const char *name)
{
	struct pyo_strmap *idx = s->index;
	void *v;

	if (!idx)
		return NULL;
	v = pyo_strmap_get(idx, name, strlen(name));
	return v ? &s->items[(size_t)(uintptr_t)v - 1] : NULL;
}

static int index_signal(struct pyo_signals *s, size_t pos)
{
	struct pyo_strmap *idx = s->index;
	const char *name = s->items[pos].name;

	if (!idx) {
		idx = calloc(1, sizeof(*idx));
		if (!idx)
			return pyo_error_oom();
		s->index = idx;
	}
	return pyo_strmap_put(idx, name, strlen(name),
	                      (void *)(uintptr_t)(pos + 1));
}

static int reindex(struct pyo_signals *s)
{
	size_t i;

	pyo_strmap_clear(s->index, NULL);
	for (i = 0; i < s->nr; i++)
		if (index_signal(s, i) < 0)
			return PYO_ERROR;
	return 0;
}

struct pyo_signal *pyo_signals_set(struct pyo_signals *s,
                                   const char *name,
                                   double value,
                                   const char *source,
                                   int add)
{
	struct pyo_signal *sig = find_signal(s, name);

	if (!sig) {
		if (PYO_ARRAY_GROW(s->items, s->nr, s->alloc) < 0)
			return NULL;
		sig = &s->items[s->nr];
		memset(sig, 0, sizeof(*sig));
		sig->name = pyo_strdup(name);
		sig->source = pyo_strdup(source ? source : "detected");
		if (!sig->name || !sig->source || index_signal(s, s->nr) < 0) {
			free(sig->name);
			free(sig->source);
			return NULL;
		}
		s->nr++;
		add = 0;
	} else if (source && strcmp(sig->source, source)) {
		char *src = pyo_strdup(source);

		if (!src)
			return NULL;
		free(sig->source);
		sig->source = src;
	}
	sig->value = add ? sig->value + value : value;
	return sig;
}

const struct pyo_signal *pyo_signals_get(const struct pyo_signals *s,
                                         const char *name)
{
	return find_signal(s, name);
}

double pyo_signals_value(const struct pyo_signals *s, const char *name)
{
	const struct pyo_signal *sig = find_signal(s, name);

	return sig ? sig->value : 0;
}

int pyo_signal_add_finding(struct pyo_signal *sig, size_t finding)
{
	/* callers walk the findings in order: a repeat is the last one;
	 * pyo_signals_sort() drops any other repeat */
	if (sig->nr_findings && sig->findings[sig->nr_findings - 1] == finding)
		return 0;
	if (PYO_ARRAY_GROW_UNZEROED(sig->findings, sig->nr_findings,
	                            sig->alloc_findings) < 0)
		return PYO_ERROR;
	sig->findings[sig->nr_findings++] = finding;
	return 0;
}

void pyo_signals_clear(struct pyo_signals *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++) {
		free(s->items[i].name);
		free(s->items[i].source);
		free(s->items[i].findings);
	}
	free(s->items);
	pyo_strmap_clear(s->index, NULL);
	free(s->index);
	memset(s, 0, sizeof(*s));
}

static int cmp_signal(const void *a, const void *b)
{
	return strcmp(((const struct pyo_signal *)a)->name,
	              ((const struct pyo_signal *)b)->name);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

void pyo_signals_sort(struct pyo_signals *s)
{
	size_t i;

	if (s->nr > 1) {
		pyo_qsort(s->items, s->nr, sizeof(*s->items), cmp_signal);
		reindex(s);
	}
	for (i = 0; i < s->nr; i++) {
		struct pyo_signal *sig = &s->items[i];
		size_t k, n = 0;

		if (sig->nr_findings < 2)
			continue;
		/* added in finding order, once the findings are sorted: a
		 * check is then enough (a sort took 30 ms on 277,328) */
		for (k = 1; k < sig->nr_findings &&
		            sig->findings[k - 1] <= sig->findings[k];
		     k++)
			;
		if (k < sig->nr_findings)
			pyo_qsort(sig->findings, sig->nr_findings,
			          sizeof(size_t), cmp_size);
		for (k = 0; k < sig->nr_findings; k++)
			if (!n || sig->findings[n - 1] != sig->findings[k])
				sig->findings[n++] = sig->findings[k];
		sig->nr_findings = n;
	}
}

int pyo_report_new(struct pyo_report **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : pyo_error_oom();
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pyo_report_free(struct pyo_report *r)
{
	size_t i;

	if (!r)
		return;
	free(r->repo_path);
	free(r->git_dir);
	free(r->rev);
	for (i = 0; i < r->nr_langs; i++)
		free(r->langs[i].name);
	free(r->langs);
	free_strv(r->submodules, r->nr_submodules);
	free_strv(r->missing, r->nr_missing_listed);
	pyo_deps_clear(&r->deps);
	for (i = 0; i < r->nr_files; i++) {
		free(r->files[i].path);
		free(r->files[i].language);
	}
	free(r->files);
	pyo_findings_clear(&r->findings);
	for (i = 0; i < r->nr_categories; i++)
		free(r->categories[i].category);
	free(r->categories);
	pyo_history_free(r->history);
	pyo_signals_clear(&r->signals);
	pyo_verdict_free(r->verdict);
	free_strv(r->warnings, r->nr_warnings);
	free(r->rules_version);
	free(r->error);
	if (r->strings)
		pyo_arena_release(r->strings);
	free(r->strings);
	free(r);
}

int pyo_report_warn(struct pyo_report *r, const char *fmt, ...)
{
	struct pyo_buf b = { 0 };
	va_list ap;
	int error;

	if (PYO_ARRAY_GROW(r->warnings, r->nr_warnings, r->alloc_warnings) < 0)
		return PYO_ERROR;
	va_start(ap, fmt);
	error = pyo_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (error < 0)
		return error;
	r->warnings[r->nr_warnings++] = pyo_buf_detach(&b);
	return 0;
}
