/*
 * detect_signals.c: after all files, turns findings into the category
 * summaries and the detected signals of docs/signals.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/detect.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"

#include "banned.h"

static double scope_weight(enum pyo_scope s)
{
	switch (s) {
	case PYO_SCOPE_SERVICE:
		return 1.0;
	case PYO_SCOPE_RESEARCH:
		return 0.5;
	case PYO_SCOPE_TEST:
	case PYO_SCOPE_EXAMPLE:
		return 0.25;
	case PYO_SCOPE_DOCS:
	case PYO_SCOPE_COUNT:
		break;
	}
	return 0.1;
}

/* Inserts "a\x1fb\x1fc" into `set`; 1 when new, 0 when seen, <0 on OOM. */
static int
set_add3(struct pyo_strmap *set, const char *a, const char *b, const char *c)
{
	char key[1024];
	int n = snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", a, b ? b : "",
	                 c ? c : "");
	struct pyo_strmap_entry *e;

	if (n < 0 || (size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	e = pyo_strmap_slot(set, key, (size_t)n);
	if (!e)
		return pyo_error_oom();
	if (e->value)
		return 0;
	e->value = (void *)1;
	return 1;
}

static int set_has3(const struct pyo_strmap *set,
                    const char *a,
                    const char *b,
                    const char *c)
{
	char key[1024];
	int n = snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", a, b ? b : "",
	                 c ? c : "");

	if (n < 0 || (size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	return pyo_strmap_get(set, key, (size_t)n) != NULL;
}

static int sig_add(struct pyo_report *r,
                   const char *name,
                   double value,
                   size_t finding,
                   int with_finding)
{
	struct pyo_signal *s =
	        pyo_signals_set(&r->signals, name, value, "detected", 1);

	if (!s)
		return pyo_error_oom();
	return with_finding ? pyo_signal_add_finding(s, finding) : 0;
}

/*
 * Findings are sorted by path (pyo_findings_sort), so one file's findings
 * are neighbours: "first of its kind in this file" and "this file has one"
 * are answered within the file's run, without a set of (kind, path) keys.
 */
static size_t run_start(const struct pyo_findings *fs, size_t i, size_t prev)
{
	if (i && prev < i && !strcmp(fs->items[i].path, fs->items[i - 1].path))
		return prev;
	return i;
}

static size_t run_end(const struct pyo_findings *fs, size_t start)
{
	size_t e = start + 1;

	while (e < fs->nr && !strcmp(fs->items[e].path, fs->items[start].path))
		e++;
	return e;
}

static const char *signal_of(const struct pyo_finding *f)
{
	return f->signal;
}

static const char *category_of(const struct pyo_finding *f)
{
	return f->category;
}

/* 1 when no finding in [from, i) has the same key as finding i. */
static int first_in_run(const struct pyo_findings *fs,
                        size_t from,
                        size_t i,
                        const char *(*key)(const struct pyo_finding *))
{
	const char *k = key(&fs->items[i]);
	size_t j;

	for (j = from; j < i; j++)
		if (key(&fs->items[j]) && !strcmp(key(&fs->items[j]), k))
			return 0;
	return 1;
}

static int summarize_categories(struct pyo_report *r)
{
	size_t i, c, from = 0;
	int error = 0;

	for (i = 0; i < r->findings.nr; i++) {
		const struct pyo_finding *f = &r->findings.items[i];
		struct pyo_category_summary *cs = NULL;

		from = run_start(&r->findings, i, from);
		if (!f->category || !f->path)
			continue;
		for (c = 0; c < r->nr_categories; c++)
			if (!strcmp(r->categories[c].category, f->category))
				cs = &r->categories[c];
		if (!cs) {
			size_t alloc = r->nr_categories;
			struct pyo_category_summary *n = realloc(
			        r->categories, (alloc + 1) * sizeof(*n));

			if (!n) {
				error = pyo_error_oom();
				goto done;
			}
			r->categories = n;
			cs = &r->categories[r->nr_categories];
			memset(cs, 0, sizeof(*cs));
			if (!(cs->category = pyo_strdup(f->category))) {
				error = PYO_ERROR;
				goto done;
			}
			r->nr_categories++;
		}
		cs->findings++;
		if (f->scope < PYO_SCOPE_COUNT)
			cs->by_scope[f->scope]++;
		cs->files += (size_t)first_in_run(&r->findings, from, i,
		                                  category_of);
	}
done:
	return error;
}

/* S, S.service, S.nonservice, S.deps for every base signal. */
static int summarize_base(struct pyo_report *r, struct pyo_strmap *seen)
{
	char name[256];
	size_t i, from = 0;
	int error, isnew;

	for (i = 0; i < r->findings.nr; i++) {
		const struct pyo_finding *f = &r->findings.items[i];
		int service = f->scope == PYO_SCOPE_SERVICE;

		from = run_start(&r->findings, i, from);
		if (!f->signal || !f->path)
			continue;
		isnew = first_in_run(&r->findings, from, i, signal_of);
		if ((error = sig_add(r, f->signal,
		                     isnew ? scope_weight(f->scope) : 0, i,
		                     1)) < 0)
			return error;
		snprintf(name, sizeof(name), "%s.%s", f->signal,
		         service ? "service" : "nonservice");
		if ((error = sig_add(r, name, isnew ? 1 : 0, i, 1)) < 0)
			return error;
		if (f->where == PYO_WHERE_MANIFEST && service &&
		    f->weight > 0 && f->detail) {
			isnew = set_add3(seen, f->signal, f->detail, "dep");
			if (isnew < 0)
				return isnew;
			snprintf(name, sizeof(name), "%s.deps", f->signal);
			if ((error = sig_add(r, name, isnew ? 1 : 0, i, 1)) < 0)
				return error;
		}
	}
	return 0;
}

static int has_pypi_deps(const struct pyo_report *r)
{
	size_t i;

	for (i = 0; i < r->deps.nr; i++)
		if (r->deps.items[i].ecosystem &&
		    !strcmp(r->deps.items[i].ecosystem, "pypi"))
			return 1;
	return 0;
}

/* ml.native.gate and ml.native.training_only, per rule id. */
static int summarize_gate(struct pyo_report *r)
{
	struct pyo_strmap rules = { 0 };
	int no_manifest = !has_pypi_deps(r);
	size_t i;
	int error = 0, isnew;

	for (i = 0; i < r->findings.nr; i++) {
		const struct pyo_finding *f = &r->findings.items[i];
		const char *kind;

		if (!f->signal || strcmp(f->signal, "ml.native"))
			continue;
		if (f->where == PYO_WHERE_MANIFEST)
			kind = (f->scope == PYO_SCOPE_SERVICE && f->weight > 0)
			               ? "dep"
			               : NULL;
		else
			kind = f->scope == PYO_SCOPE_SERVICE ? "svc" : "other";
		if (kind &&
		    (isnew = set_add3(&rules, f->rule_id, kind, NULL)) < 0) {
			error = isnew;
			goto done;
		}
	}
	for (i = 0; i < r->findings.nr; i++) {
		const struct pyo_finding *f = &r->findings.items[i];
		int svc, dep, other;

		if (!f->signal || strcmp(f->signal, "ml.native") ||
		    f->where == PYO_WHERE_MANIFEST)
			continue;
		svc = set_has3(&rules, f->rule_id, "svc", NULL);
		dep = set_has3(&rules, f->rule_id, "dep", NULL);
		other = set_has3(&rules, f->rule_id, "other", NULL);
		if (svc && (dep || no_manifest) &&
		    f->scope == PYO_SCOPE_SERVICE) {
			isnew = set_add3(&rules, f->rule_id, "gate-counted",
			                 NULL);
			if (isnew < 0 || (error = sig_add(r, "ml.native.gate",
			                                  isnew, i, 1)) < 0) {
				error = isnew < 0 ? isnew : error;
				goto done;
			}
		} else if (!svc && other) {
			isnew = set_add3(&rules, f->rule_id, "train-counted",
			                 NULL);
			if (isnew < 0 ||
			    (error = sig_add(r, "ml.native.training_only",
			                     isnew, i, 1)) < 0) {
				error = isnew < 0 ? isnew : error;
				goto done;
			}
		}
	}
done:
	pyo_strmap_clear(&rules, NULL);
	return error;
}

/*
 * A signal over service files holding a finding of `sig` and (when
 * `with`) also one of `with` in the same file, only when the repository
 * has `needs` in service scope (when not NULL).
 */
static int derive_files(struct pyo_report *r,
                        const char *name,
                        const char *sig,
                        const char *with,
                        const char *needs1,
                        const char *needs2)
{
	const struct pyo_findings *fs = &r->findings;
	size_t start, end, i, j;
	int error;

	if (needs1 && !pyo_signals_value(&r->signals, needs1) &&
	    !(needs2 && pyo_signals_value(&r->signals, needs2)))
		return 0;
	for (start = 0; start < fs->nr; start = end) {
		int has_with = !with, counted = 0;

		end = run_end(fs, start);
		for (j = start; with && j < end && !has_with; j++)
			has_with = fs->items[j].signal &&
			           !strcmp(fs->items[j].signal, with);
		if (!has_with)
			continue;
		for (i = start; i < end; i++) {
			const struct pyo_finding *f = &fs->items[i];

			if (!f->signal || strcmp(f->signal, sig) ||
			    f->scope != PYO_SCOPE_SERVICE ||
			    f->where == PYO_WHERE_MANIFEST)
				continue;
			if ((error = sig_add(r, name, !counted, i, 1)) < 0)
				return error;
			counted = 1;
		}
	}
	return 0;
}

int pyo_detect_summarize(struct pyo_report *r)
{
	struct pyo_strmap seen = { 0 };
	int error;

	if ((error = summarize_categories(r)) < 0 ||
	    (error = summarize_base(r, &seen)) < 0 ||
	    (error = summarize_gate(r)) < 0 ||
	    (error = derive_files(
	             r, "concurrency.fanout_http", "concurrency.fanout",
	             "concurrency.async_client", NULL, NULL)) < 0 ||
	    (error = derive_files(r, "service.crud", "db.orm", NULL,
	                          "framework.python.service",
	                          "framework.go.service")) < 0 ||
	    (error = derive_files(r, "service.ml_serving.model",
	                          "ml.model_load", NULL,
	                          "framework.python.service", NULL)) < 0)
		goto done;
done:
	pyo_strmap_clear(&seen, NULL);
	return error;
}
