/*
 * recommend_flip.c: "what would change the call". Re-runs the decision on
 * modified inputs: removing the detected evidence of a factor that
 * favours the verdict, or declaring a need from the guidance's what_if
 * list; single changes first, then pairs. The candidates and their order
 * are fixed, so the search is deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define MAX_SET 32
#define MAX_CANDS 64

struct cand {
	char *label; /* owned for removals, borrowed for what-ifs */
	int is_removal, owns_label, is_service;
	const char *names[MAX_SET];
	double values[MAX_SET];
	size_t nr;
};

struct found {
	size_t a, b; /* candidates; b == (size_t)-1 for a single */
	enum pyo_choice choice;
	double confidence;
	size_t order;
	int rank; /* 0: the other language, 1: "either" */
};

struct search {
	const struct pyo_guidance *g;
	const struct gview *raw;
	enum pyo_choice current;
	struct cand cands[MAX_CANDS];
	size_t nr;
	struct found *found;
	size_t nr_found, alloc_found;
};

static void apply(struct gview *v, const struct cand *c)
{
	size_t i, k;

	for (i = 0; i < c->nr; i++) {
		if (c->is_removal) {
			gview_remove(v, c->names[i]);
			continue;
		}
		if (pyo_str_startswith(c->names[i], "declared.service."))
			for (k = 0; k < v->nr; k++)
				if (pyo_str_startswith(v->items[k].name,
				                       "declared.service."))
					v->items[k].hidden = 1;
		gview_set(v, c->names[i], c->values[i]);
	}
}

static int rank(enum pyo_choice current, enum pyo_choice to)
{
	/* the other language first, then "either" */
	if (current != PYO_CHOICE_EITHER && to == PYO_CHOICE_EITHER)
		return 1;
	return 0;
}

/* Runs the decision with candidates `a` (and `b`); records a flip. */
static int try(struct search *s, size_t a, size_t b)
{
	struct gview v = { 0 };
	struct gdecision d = { 0 };
	int error;

	if ((error = gview_copy(&v, s->raw)) < 0)
		return error;
	apply(&v, &s->cands[a]);
	if (b != (size_t)-1)
		apply(&v, &s->cands[b]);
	gview_apply_overrides(&v, s->g);
	if ((error = gdecide(&d, s->g, &v)) < 0)
		goto done;
	if (d.choice != s->current) {
		if (PYO_ARRAY_GROW(s->found, s->nr_found, s->alloc_found) < 0) {
			error = pyo_error_oom();
			goto done;
		}
		s->found[s->nr_found].a = a;
		s->found[s->nr_found].b = b;
		s->found[s->nr_found].choice = d.choice;
		s->found[s->nr_found].confidence = d.confidence;
		s->found[s->nr_found].order = s->nr_found;
		s->found[s->nr_found].rank = rank(s->current, d.choice);
		s->nr_found++;
	}
done:
	gdecision_release(&d);
	gview_release(&v);
	return error;
}

struct collect {
	struct cand *c;
	const struct gview *raw;
};

static void collect_detected(void *payload, const char *name)
{
	struct collect *col = payload;
	const struct gview_item *it = gview_get(col->raw, name);
	size_t i;

	if (!it || !it->sig || !(it->value > 0) ||
	    pyo_str_startswith(name, "declared.") ||
	    strcmp(it->sig->source, "detected"))
		return;
	for (i = 0; i < col->c->nr; i++)
		if (!strcmp(col->c->names[i], name))
			return;
	if (col->c->nr < MAX_SET)
		col->c->names[col->c->nr++] = it->name;
}

static int add_removals(struct search *s,
                        const struct gview *view,
                        const struct pyo_findings *fs,
                        const struct gdecision *d)
{
	size_t i;

	for (i = 0; i < s->g->nr_factors && s->nr < MAX_CANDS; i++) {
		const struct gfactor *fa = &s->g->factors[i];
		struct cand *c = &s->cands[s->nr];
		struct collect col = { c, s->raw };

		if (d->contrib[i] < 0 || !fa->remove_label ||
		    (fa->kind != GKIND_HARD && fa->kind != GKIND_WEIGHED) ||
		    (s->current != PYO_CHOICE_EITHER &&
		     fa->favours != s->current))
			continue;
		memset(c, 0, sizeof(*c));
		gexpr_signals(&fa->when, collect_detected, &col);
		if (!c->nr)
			continue;
		c->is_removal = c->owns_label = 1;
		if (!(c->label = recommend_expand(fa->remove_label, view, fs)))
			return pyo_error_oom();
		s->nr++;
	}
	return 0;
}

static int in_effect(const struct gview *raw, const struct gwhatif *w)
{
	size_t i;

	for (i = 0; i < w->nr; i++) {
		const struct gview_item *it = gview_get(raw, w->names[i]);

		if (!it || it->value != w->values[i])
			return 0;
	}
	return 1;
}

static void add_whatifs(struct search *s)
{
	size_t i, k;

	for (i = 0; i < s->g->nr_whatifs && s->nr < MAX_CANDS; i++) {
		const struct gwhatif *w = &s->g->whatifs[i];
		struct cand *c = &s->cands[s->nr];

		if (in_effect(s->raw, w))
			continue;
		memset(c, 0, sizeof(*c));
		c->label = w->label;
		for (k = 0; k < w->nr && k < MAX_SET; k++) {
			c->names[k] = w->names[k];
			c->values[k] = w->values[k];
			if (pyo_str_startswith(w->names[k],
			                       "declared.service."))
				c->is_service = 1;
		}
		c->nr = k;
		s->nr++;
	}
}

static int cmp_found(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void
describe(struct pyo_buf *b, const struct search *s, const struct found *f)
{
	const struct cand *c[2] = { &s->cands[f->a],
		                    f->b == (size_t)-1 ? NULL
		                                       : &s->cands[f->b] };
	int declared = 0, i;

	for (i = 0; i < 2; i++)
		if (c[i] && c[i]->is_removal)
			pyo_buf_printf(b, "%s%s", b->len ? " and " : "",
			               c[i]->label);
	for (i = 0; i < 2; i++)
		if (c[i] && !c[i]->is_removal) {
			if (!declared)
				pyo_buf_puts(b, b->len ? " and declaring "
				                       : "declaring ");
			else
				pyo_buf_putc(b, ' ');
			pyo_buf_puts(b, c[i]->label);
			declared = 1;
		}
}

int recommend_flips(struct pyo_verdict *out,
                    const struct pyo_guidance *g,
                    const struct gview *raw,
                    const struct gview *view,
                    const struct pyo_findings *findings,
                    const struct gdecision *d)
{
	struct search s = { 0 };
	size_t i, j;
	int error;

	s.g = g;
	s.raw = raw;
	s.current = d->choice;
	if (!g->max_flips || d->conflict)
		return 0;
	if ((error = add_removals(&s, view, findings, d)) < 0)
		goto done;
	add_whatifs(&s);

	for (i = 0; i < s.nr; i++)
		if ((error = try(&s, i, (size_t)-1)) < 0)
			goto done;
	for (i = 0; !s.nr_found && i < s.nr; i++)
		for (j = i + 1; j < s.nr; j++) {
			if (s.cands[i].is_service && s.cands[j].is_service)
				continue;
			if ((error = try(&s, i, j)) < 0)
				goto done;
		}
	if (!s.nr_found)
		goto done;

	pyo_qsort(s.found, s.nr_found, sizeof(*s.found), cmp_found);
	out->nr_flips = s.nr_found < g->max_flips ? s.nr_found : g->max_flips;
	if (!(out->flips = calloc(out->nr_flips, sizeof(*out->flips)))) {
		out->nr_flips = 0;
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < out->nr_flips; i++) {
		struct pyo_buf b = { 0 };

		describe(&b, &s, &s.found[i]);
		out->flips[i].change = pyo_buf_detach(&b);
		out->flips[i].nr_changes = s.found[i].b == (size_t)-1 ? 1 : 2;
		out->flips[i].choice = s.found[i].choice;
		out->flips[i].confidence = s.found[i].confidence;
	}
done:
	for (i = 0; i < s.nr; i++)
		if (s.cands[i].owns_label)
			free(s.cands[i].label);
	free(s.found);
	return error;
}
