/*
 * detect_signals.c: after all files, turns findings into the category
 * summaries and the detected signals of docs/signals.md.
 */
#include <pthread.h>
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
 * Compact keys of the findings, built in one pass: the file run, the
 * signal and the category of each as small numbers. The summaries then
 * read these arrays and the findings' fixed fields, not the strings of a
 * few hundred thousand findings (one cache miss each, per pass).
 * Findings are sorted by path (pyo_findings_sort), so a file's findings
 * are neighbours: a run.
 */
struct fkeys {
	size_t *run_of;               /* first finding of its file's run */
	int *sig, *cat;               /* ids, -1 for none */
	unsigned char *scope, *where; /* the findings' own, near at hand */
	const char **sig_name, **cat_name;
	size_t nr_sig, nr_cat;
	struct pyo_strmap sig_ids, cat_ids;
};

/* The id of `name` in `ids`/`names` (added when new); -1 on OOM. */
static int key_id(struct pyo_strmap *ids,
                  const char ***names,
                  size_t *nr,
                  const char *name)
{
	struct pyo_strmap_entry *e = pyo_strmap_slot(ids, name, strlen(name));
	const char **n;

	if (!e)
		return -1;
	if (e->value)
		return (int)((uintptr_t)e->value - 1);
	if (!(n = realloc(*names, (*nr + 1) * sizeof(*n))))
		return -1;
	*names = n;
	n[*nr] = name;
	e->value = (void *)(uintptr_t)(++*nr);
	return (int)(*nr - 1);
}

static void fkeys_clear(struct fkeys *k)
{
	free(k->run_of);
	free(k->sig);
	free(k->cat);
	free(k->scope);
	free(k->where);
	free(k->sig_name);
	free(k->cat_name);
	pyo_strmap_clear(&k->sig_ids, NULL);
	pyo_strmap_clear(&k->cat_ids, NULL);
}

/*
 * The last ids seen by string address: the findings past the cap share
 * their rule's strings (scan_analyze.c), so most lookups stop here.
 */
struct ptr_cache {
	const char *key[64];
	int id[64];
};

static int cached_id(struct ptr_cache *pc,
                     struct pyo_strmap *ids,
                     const char ***names,
                     size_t *nr,
                     const char *name)
{
	size_t h = ((uintptr_t)name >> 4) & 63;
	int id;

	if (pc->key[h] == name)
		return pc->id[h];
	if ((id = key_id(ids, names, nr, name)) < 0)
		return id;
	pc->key[h] = name;
	pc->id[h] = id;
	return id;
}

/*
 * The keys of findings [from, to) into the arrays of `k`, with the ids of
 * `ids` (k itself, or a helper's own). A run that goes on from before
 * `from` is marked SIZE_MAX: fkeys_build() finishes it.
 */
static int fkeys_range(struct fkeys *k,
                       struct fkeys *ids,
                       const struct pyo_findings *fs,
                       size_t from,
                       size_t to)
{
	struct ptr_cache sigs = { { 0 }, { 0 } }, cats = { { 0 }, { 0 } };
	size_t i;

	for (i = from; i < to; i++) {
		const struct pyo_finding *f = &fs->items[i];
		const struct pyo_finding *p = i ? &fs->items[i - 1] : NULL;

		k->scope[i] = (unsigned char)f->scope;
		k->where[i] = (unsigned char)f->where;
		k->run_of[i] =
		        p && f->path && p->path &&
		                        (f->path == p->path ||
		                         !strcmp(f->path, p->path))
		                ? (i == from ? SIZE_MAX : k->run_of[i - 1])
		                : i;
		k->sig[i] = k->cat[i] = -1;
		if (!f->path)
			continue;
		if (f->signal &&
		    (k->sig[i] = cached_id(&sigs, &ids->sig_ids, &ids->sig_name,
		                           &ids->nr_sig, f->signal)) < 0)
			return pyo_error_oom();
		if (f->category &&
		    (k->cat[i] = cached_id(&cats, &ids->cat_ids, &ids->cat_name,
		                           &ids->nr_cat, f->category)) < 0)
			return pyo_error_oom();
	}
	return 0;
}

struct fkeys_half {
	struct fkeys *k, ids; /* the shared arrays; the half's own ids */
	const struct pyo_findings *fs;
	size_t from, to;
	int error;
};

static void *fkeys_half(void *arg)
{
	struct fkeys_half *h = arg;

	h->error = fkeys_range(h->k, &h->ids, h->fs, h->from, h->to);
	return NULL;
}

/* Maps the ids the second half gave to `k`'s (added when new). */
static int fkeys_join(struct fkeys *k, struct fkeys_half *h)
{
	int *sig = calloc(h->ids.nr_sig + 1, sizeof(*sig));
	int *cat = calloc(h->ids.nr_cat + 1, sizeof(*cat));
	size_t i;
	int error = 0;

	for (i = 0; sig && i < h->ids.nr_sig && !error; i++)
		error = (sig[i] = key_id(&k->sig_ids, &k->sig_name, &k->nr_sig,
		                         h->ids.sig_name[i])) < 0;
	for (i = 0; cat && i < h->ids.nr_cat && !error; i++)
		error = (cat[i] = key_id(&k->cat_ids, &k->cat_name, &k->nr_cat,
		                         h->ids.cat_name[i])) < 0;
	if (!sig || !cat || error) {
		free(sig);
		free(cat);
		return pyo_error_oom();
	}
	for (i = h->from; i < h->to; i++) {
		if (k->sig[i] >= 0)
			k->sig[i] = sig[k->sig[i]];
		if (k->cat[i] >= 0)
			k->cat[i] = cat[k->cat[i]];
	}
	/* the file run that goes on across the halves */
	for (i = h->from; i < h->to && k->run_of[i] == SIZE_MAX; i++)
		k->run_of[i] = k->run_of[h->from - 1];
	free(sig);
	free(cat);
	return 0;
}

/* The keys of all findings: two halves on two threads when many (half
 * of the summaries' 8 ms on the bench repository's 277,000). */
static int fkeys_build(struct fkeys *k, const struct pyo_findings *fs)
{
	size_t n = fs->nr ? fs->nr : 1;
	struct fkeys_half h = { k, { 0 }, fs, fs->nr / 2, fs->nr, 0 };
	pthread_t t;
	int helped, error;

	k->run_of = malloc(n * sizeof(*k->run_of));
	k->sig = malloc(n * sizeof(*k->sig));
	k->cat = malloc(n * sizeof(*k->cat));
	k->scope = malloc(n);
	k->where = malloc(n);
	if (!k->run_of || !k->sig || !k->cat || !k->scope || !k->where)
		return pyo_error_oom();
	if (fs->nr < 65536)
		return fkeys_range(k, k, fs, 0, fs->nr);
	helped = !pthread_create(&t, NULL, fkeys_half, &h);
	error = fkeys_range(k, k, fs, 0, h.from);
	if (helped)
		pthread_join(t, NULL);
	else
		fkeys_half(&h);
	if (!error)
		error = h.error < 0 ? h.error : fkeys_join(k, &h);
	fkeys_clear(&h.ids);
	return error;
}

/* The id of signal `name` among the findings, or -1. */
static int sig_id(const struct fkeys *k, const char *name)
{
	void *v = pyo_strmap_get(&k->sig_ids, name, strlen(name));

	return v ? (int)((uintptr_t)v - 1) : -1;
}

/* 1 when no finding of i's run before i has the same id. */
static int first_in_run(const struct fkeys *k, const int *ids, size_t i)
{
	size_t j;

	for (j = k->run_of[i]; j < i; j++)
		if (ids[j] == ids[i])
			return 0;
	return 1;
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
		cs->files += (size_t)first_in_run(k, k->cat, i);
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
		isnew = first_in_run(k, k->sig, i);
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
	int no_manifest = !has_pypi_deps(r), ml = sig_id(k, "ml.native");
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
	int s = sig_id(k, sig), w = with ? sig_id(k, with) : -1;
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
