/*
 * report.c: the report and the lists it holds (dependencies, signals,
 * warnings; findings: findings.c). Every list copies what it is given.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/report.h"
#include "arena.h"
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
