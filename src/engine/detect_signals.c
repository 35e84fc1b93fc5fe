/*
 * detect_signals.c: after all files, turns findings into the category
 * summaries and the detected signals of docs/signals.md.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/detect.h"
#include "detect_keys.h"
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

static int summarize_categories(struct pyo_report *r, const struct fkeys *k)
{
	size_t *at, i; /* category id -> summary index + 1 */
	int error = 0;

	if (!(at = calloc(k->nr_cat + 1, sizeof(*at))))
		return pyo_error_oom();
	for (i = 0; i < r->findings.nr; i++) {
		struct pyo_category_summary *cs;
		int c = k->cat[i];

		if (c < 0)
			continue;
		if (!at[c]) {
			struct pyo_category_summary *n =
			        realloc(r->categories,
			                (r->nr_categories + 1) * sizeof(*n));

			if (!n) {
				error = pyo_error_oom();
				break;
			}
			r->categories = n;
			cs = &r->categories[r->nr_categories];
			memset(cs, 0, sizeof(*cs));
			if (!(cs->category = pyo_strdup(k->cat_name[c]))) {
				error = PYO_ERROR;
				break;
			}
			at[c] = ++r->nr_categories;
		}
		cs = &r->categories[at[c] - 1];
		cs->findings++;
		if (k->scope[i] < PYO_SCOPE_COUNT)
			cs->by_scope[k->scope[i]]++;
		cs->files += (size_t)fkeys_first_in_run(k, k->cat, i);
	}
	free(at);
	return error;
}

enum { SLOT_BASE, SLOT_SERVICE, SLOT_NONSERVICE, SLOT_DEPS, NR_SLOTS };

/*
 * Adds `value` and finding `i` to signal `base` + the suffix of `slot`.
 * `at` remembers where each is in r->signals (+ 1).
 */
static int slot_add(struct pyo_report *r,
                    size_t *at,
                    int slot,
                    const char *base,
                    double value,
                    size_t i)
{
	static const char *const suffix[] = { "", ".service", ".nonservice",
		                              ".deps" };
	struct pyo_signal *s;

	if (!at[slot]) {
		char name[256];

		snprintf(name, sizeof(name), "%s%s", base, suffix[slot]);
		if (!(s = pyo_signals_set(&r->signals, name, 0, "detected", 1)))
			return pyo_error_oom();
		at[slot] = (size_t)(s - r->signals.items) + 1;
	}
	s = &r->signals.items[at[slot] - 1];
	s->value += value;
	return pyo_signal_add_finding(s, i);
}

/* S, S.service, S.nonservice, S.deps for every base signal. */
static int summarize_base(struct pyo_report *r,
                          const struct fkeys *k,
                          struct pyo_strmap *seen)
{
	size_t *at, i; /* [signal id][slot]: position in r->signals + 1 */
	int error = 0, isnew;

	if (!(at = calloc((k->nr_sig + 1) * NR_SLOTS, sizeof(*at))))
		return pyo_error_oom();
	for (i = 0; i < r->findings.nr && !error; i++) {
		int service = k->scope[i] == PYO_SCOPE_SERVICE, sg = k->sig[i];
		size_t *slots = &at[(size_t)(sg < 0 ? 0 : sg) * NR_SLOTS];

		if (sg < 0)
			continue;
		isnew = fkeys_first_in_run(k, k->sig, i);
		if ((error = slot_add(r, slots, SLOT_BASE, k->sig_name[sg],
		                      isnew ? scope_weight(k->scope[i]) : 0,
		                      i)) < 0 ||
		    (error = slot_add(r, slots,
		                      service ? SLOT_SERVICE : SLOT_NONSERVICE,
		                      k->sig_name[sg], isnew ? 1 : 0, i)) < 0)
			break;
		if (k->where[i] == PYO_WHERE_MANIFEST && service &&
		    r->findings.items[i].weight > 0 &&
		    r->findings.items[i].detail) {
			const struct pyo_finding *f = &r->findings.items[i];

			isnew = set_add3(seen, f->signal, f->detail, "dep");
			error = isnew < 0 ? isnew
			                  : slot_add(r, slots, SLOT_DEPS,
			                             k->sig_name[sg],
			                             isnew ? 1 : 0, i);
		}
	}
	free(at);
	return error < 0 ? error : 0;
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

/*
 * What summarize_gate() adds to the signals, kept to be added after: it
 * runs next to summarize_base(), which adds signals too.
 */
struct gate_add {
	unsigned char training; /* ml.native.training_only, or .gate */
	unsigned char value;
	size_t finding;
};

struct gate_adds {
	struct gate_add *items;
	size_t nr, alloc;
};

static int gate_add(struct gate_adds *g, int training, int value, size_t i)
{
	if (PYO_ARRAY_GROW(g->items, g->nr, g->alloc) < 0)
		return PYO_ERROR;
	g->items[g->nr].training = (unsigned char)training;
	g->items[g->nr].value = (unsigned char)value;
	g->items[g->nr++].finding = i;
	return 0;
}

/* What the gate knows of one rule's ml.native findings. */
struct gate_rule {
	unsigned char svc, dep,
	        other; /* found in service code, declared, else */
	unsigned char gate_counted, train_counted;
};

/* The state of rule `id` (made when new); NULL on OOM. A rule's light
 * findings share its id string: the last one asked is kept. */
static struct gate_rule *gate_rule_of(struct pyo_strmap *rules,
                                      const char *id,
                                      const char **last_id,
                                      struct gate_rule **last)
{
	struct pyo_strmap_entry *e;

	if (*last && *last_id == id)
		return *last;
	if (!(e = pyo_strmap_slot(rules, id, strlen(id))))
		return NULL;
	if (!e->value && !(e->value = calloc(1, sizeof(struct gate_rule))))
		return NULL;
	*last_id = id;
	return *last = e->value;
}

/* ml.native.gate and ml.native.training_only, per rule id (into `g`). */
static int summarize_gate(const struct pyo_report *r,
                          const struct fkeys *k,
                          struct gate_adds *g)
{
	struct pyo_strmap rules = { 0 };
	int no_manifest = !has_pypi_deps(r), ml = fkeys_sig_id(k, "ml.native");
	const char *last_id = NULL;
	struct gate_rule *st = NULL;
	size_t i;
	int error = 0, pass;

	for (pass = 0; ml >= 0 && pass < 2 && !error; pass++)
		for (i = 0; i < r->findings.nr; i++) {
			const struct pyo_finding *f = &r->findings.items[i];
			int service = k->scope[i] == PYO_SCOPE_SERVICE;

			if (k->sig[i] != ml ||
			    (pass && k->where[i] == PYO_WHERE_MANIFEST))
				continue;
			if (!(st = gate_rule_of(&rules, f->rule_id, &last_id,
			                        &st))) {
				error = pyo_error_oom();
				break;
			}
			if (!pass) {
				if (k->where[i] != PYO_WHERE_MANIFEST)
					st->svc |= service,
					        st->other |= !service;
				else if (service && f->weight > 0)
					st->dep = 1;
				continue;
			}
			if (st->svc && (st->dep || no_manifest) && service) {
				error = gate_add(g, 0, !st->gate_counted, i);
				st->gate_counted = 1;
			} else if (!st->svc && st->other) {
				error = gate_add(g, 1, !st->train_counted, i);
				st->train_counted = 1;
			}
			if (error < 0)
				break;
		}
	pyo_strmap_clear(&rules, free);
	return error;
}

/*
 * A signal over service files holding a finding of `sig` and (when
 * `with`) also one of `with` in the same file, only when the repository
 * has `needs` in service scope (when not NULL).
 */
static int derive_files(struct pyo_report *r,
                        const struct fkeys *k,
                        const char *name,
                        const char *sig,
                        const char *with,
                        const char *needs1,
                        const char *needs2)
{
	const struct pyo_findings *fs = &r->findings;
	int s = fkeys_sig_id(k, sig), w = with ? fkeys_sig_id(k, with) : -1;
	size_t start, end, i, j;
	int error;

	if (needs1 && !pyo_signals_value(&r->signals, needs1) &&
	    !(needs2 && pyo_signals_value(&r->signals, needs2)))
		return 0;
	if (s < 0 || (with && w < 0))
		return 0;
	for (start = 0; start < fs->nr; start = end) {
		int has_with = !with, counted = 0;

		for (end = start + 1; end < fs->nr && k->run_of[end] == start;
		     end++)
			;
		for (j = start; with && j < end && !has_with; j++)
			has_with = k->sig[j] == w;
		if (!has_with)
			continue;
		for (i = start; i < end; i++) {
			if (k->sig[i] != s ||
			    k->scope[i] != PYO_SCOPE_SERVICE ||
			    k->where[i] == PYO_WHERE_MANIFEST)
				continue;
			if ((error = sig_add(r, name, !counted, i, 1)) < 0)
				return error;
			counted = 1;
		}
	}
	return 0;
}

/* The category summaries and the gate, next to the base signals. */
struct side_job {
	struct pyo_report *r;
	const struct fkeys *k;
	struct gate_adds gate;
	int error;
};

static void *side_summaries(void *arg)
{
	struct side_job *j = arg;

	if ((j->error = summarize_categories(j->r, j->k)) == 0)
		j->error = summarize_gate(j->r, j->k, &j->gate);
	return NULL;
}

/*
 * The base signals on this thread, the category summaries and the gate
 * on another (they read the findings and write apart: r->categories, and
 * a list of gate signals added here after): 12 of the 22 ms of the
 * summaries on the bench repository's 277,000 findings.
 */
static int summarize_both(struct pyo_report *r,
                          const struct fkeys *k,
                          struct pyo_strmap *seen)
{
	struct side_job side = { r, k, { NULL, 0, 0 }, 0 };
	pthread_t t;
	int helped = r->findings.nr > 4096 &&
	             !pthread_create(&t, NULL, side_summaries, &side);
	int error = summarize_base(r, k, seen);
	size_t i;

	if (helped)
		pthread_join(t, NULL);
	else
		side_summaries(&side);
	if (!error && side.error < 0)
		error = pyo_error_setc(side.error, "summaries: out of memory");
	for (i = 0; !error && i < side.gate.nr; i++) {
		const struct gate_add *a = &side.gate.items[i];

		error = sig_add(r,
		                a->training ? "ml.native.training_only"
		                            : "ml.native.gate",
		                a->value, a->finding, 1);
	}
	free(side.gate.items);
	return error;
}

int pyo_detect_summarize(struct pyo_report *r)
{
	struct pyo_strmap seen = { 0 };
	struct fkeys k = { 0 };
	int error;

	if ((error = fkeys_build(&k, &r->findings)) < 0 ||
	    (error = summarize_both(r, &k, &seen)) < 0 ||
	    (error = derive_files(
	             r, &k, "concurrency.fanout_http", "concurrency.fanout",
	             "concurrency.async_client", NULL, NULL)) < 0 ||
	    (error = derive_files(r, &k, "service.crud", "db.orm", NULL,
	                          "framework.python.service",
	                          "framework.go.service")) < 0 ||
	    (error = derive_files(r, &k, "service.ml_serving.model",
	                          "ml.model_load", NULL,
	                          "framework.python.service", NULL)) < 0)
		goto done;
done:
	fkeys_clear(&k);
	pyo_strmap_clear(&seen, NULL);
	return error;
}
