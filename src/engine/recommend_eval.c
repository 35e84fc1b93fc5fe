/*
 * recommend_eval.c: the decision itself. A view of the signals (declared
 * values applied over detected ones), the conditions and strengths of the
 * guidance's factors evaluated on it, and the scores and choice that
 * follow. Pure functions of their inputs: the what-if search re-runs them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "vec.h"
#include "banned.h"

const char *pyo_choice_name(enum pyo_choice c)
{
	switch (c) {
	case PYO_CHOICE_PYTHON:
		return "python";
	case PYO_CHOICE_GO:
		return "go";
	case PYO_CHOICE_EITHER:
		break;
	}
	return "either";
}

const char *pyo_choice_label(enum pyo_choice c)
{
	switch (c) {
	case PYO_CHOICE_PYTHON:
		return "Python (FastAPI)";
	case PYO_CHOICE_GO:
		return "Go";
	case PYO_CHOICE_EITHER:
		break;
	}
	return "Either";
}

const char *pyo_reason_kind_name(enum pyo_reason_kind k)
{
	switch (k) {
	case PYO_REASON_HARD:
		return "hard";
	case PYO_REASON_WEIGHED:
		return "weighed";
	case PYO_REASON_DAMPEN:
		return "caveat";
	case PYO_REASON_NOTE:
		break;
	}
	return "note";
}

/* Index of `name`, or of where it would go (with *found = 0). */
static size_t find(const struct gview *v, const char *name, int *found)
{
	size_t lo = 0, hi = v->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->items[mid].name, name);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static struct gview_item *slot(struct gview *v, const char *name)
{
	int found;
	size_t at = find(v, name, &found);

	if (found)
		return &v->items[at];
	if (PYO_ARRAY_GROW(v->items, v->nr, v->alloc) < 0)
		return NULL;
	memmove(&v->items[at + 1], &v->items[at],
	        (v->nr - at) * sizeof(*v->items));
	v->nr++;
	memset(&v->items[at], 0, sizeof(*v->items));
	v->items[at].name = name;
	return &v->items[at];
}

int gview_set(struct gview *v, const char *name, double value)
{
	struct gview_item *it = slot(v, name);

	if (!it)
		return pyo_error_oom();
	it->value = value;
	it->hidden = 0;
	return 0;
}

void gview_remove(struct gview *v, const char *name)
{
	int found;
	size_t at = find(v, name, &found);

	if (found)
		v->items[at].hidden = 1;
}

int gview_from_signals(struct gview *v, const struct pyo_signals *s)
{
	struct gview_item *it;
	size_t i;

	for (i = 0; s && i < s->nr; i++) {
		if (!(it = slot(v, s->items[i].name)))
			return pyo_error_oom();
		it->value = s->items[i].value;
		it->sig = &s->items[i];
	}
	return 0;
}

int gview_copy(struct gview *dst, const struct gview *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src->nr)
		return 0;
	if (!(dst->items = malloc(src->nr * sizeof(*src->items))))
		return pyo_error_oom();
	memcpy(dst->items, src->items, src->nr * sizeof(*src->items));
	dst->nr = dst->alloc = src->nr;
	return 0;
}

void gview_release(struct gview *v)
{
	free(v->items);
	memset(v, 0, sizeof(*v));
}

const struct gview_item *gview_get(const struct gview *v, const char *name)
{
	int found;
	size_t at = find(v, name, &found);

	if (!found || v->items[at].hidden)
		return NULL;
	return &v->items[at];
}

double gview_value(const struct gview *v, const char *name)
{
	const struct gview_item *it = gview_get(v, name);

	return it ? it->value : 0;
}

/* `pat` is a name, or a prefix followed by '*'. */
static int name_matches(const char *pat, const char *name)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*')
		return !strncmp(pat, name, n - 1);
	return !strcmp(pat, name);
}

void gview_apply_overrides(struct gview *v, const struct pyo_guidance *g)
{
	size_t i, k, j;

	for (i = 0; i < g->nr_overrides; i++) {
		const struct goverride *o = &g->overrides[i];
		const struct gview_item *decl = NULL;
		double value;

		for (k = 0; k < v->nr && !decl; k++)
			if (!v->items[k].hidden &&
			    name_matches(o->declared, v->items[k].name))
				decl = &v->items[k];
		if (!decl)
			continue;
		value = decl->value;
		for (k = 0; k < o->nr_hides; k++)
			for (j = 0; j < v->nr; j++)
				if (name_matches(o->hides[k],
				                 v->items[j].name) &&
				    !name_matches(o->declared,
				                  v->items[j].name))
					v->items[j].hidden = 1;
		for (k = 0; k < o->nr_replaces; k++)
			if (gview_set(v, o->replaces[k], value) < 0)
				return; /* NEEDSWORK: OOM leaves it unapplied */
	}
}

static int compare(enum gop op, double a, double b)
{
	switch (op) {
	case GOP_GT:
		return a > b;
	case GOP_GE:
		return a >= b;
	case GOP_LT:
		return a < b;
	case GOP_LE:
		return a <= b;
	case GOP_EQ:
		return a == b;
	case GOP_NE:
		return a != b;
	case GOP_PRESENT:
	case GOP_ABSENT:
		break;
	}
	return 0;
}

int gexpr_eval(const struct gexpr *e, const struct gview *v)
{
	size_t i;

	switch (e->type) {
	case GEXPR_LEAF:
		if (e->op == GOP_PRESENT)
			return gview_get(v, e->signal) != NULL;
		if (e->op == GOP_ABSENT)
			return gview_get(v, e->signal) == NULL;
		return compare(e->op, gview_value(v, e->signal),
		               e->ref ? e->times * gview_value(v, e->ref)
		                      : e->value);
	case GEXPR_NOT:
		return !gexpr_eval(e->kids, v);
	case GEXPR_ALL:
		for (i = 0; i < e->nr; i++)
			if (!gexpr_eval(&e->kids[i], v))
				return 0;
		return 1;
	case GEXPR_ANY:
		for (i = 0; i < e->nr; i++)
			if (gexpr_eval(&e->kids[i], v))
				return 1;
		return 0;
	}
	return 0;
}

void gexpr_signals(const struct gexpr *e,
                   void (*fn)(void *payload, const char *name),
                   void *payload)
{
	size_t i;

	if (e->type == GEXPR_LEAF) {
		fn(payload, e->signal);
		if (e->ref)
			fn(payload, e->ref);
		return;
	}
	for (i = 0; i < e->nr; i++)
		gexpr_signals(&e->kids[i], fn, payload);
}

double gstrength_eval(const struct gstrength *s, const struct gview *v)
{
	double x, t;

	if (!s->signal)
		return 1;
	x = gview_value(v, s->signal);
	if (s->per) {
		double d = gview_value(v, s->per);

		x = d > 0 ? x / d : 0;
	}
	t = (x - s->from) / (s->to - s->from);
	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	return s->floor + (1 - s->floor) * t;
}

void gdecision_release(struct gdecision *d)
{
	free(d->contrib);
	d->contrib = NULL;
}

/* Hard constraints decide alone; otherwise the normalised margin. */
int gdecide(struct gdecision *d,
            const struct pyo_guidance *g,
            const struct gview *v)
{
	double hard_w[3] = { -1, -1, -1 };
	size_t i, k;
	double total, diff;

	memset(d, 0, sizeof(*d));
	if (!(d->contrib = calloc(g->nr_factors + 1, sizeof(*d->contrib))))
		return pyo_error_oom();
	for (i = 0; i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		if (!gexpr_eval(&fa->when, v)) {
			d->contrib[i] = -1;
			continue;
		}
		if (fa->kind == GKIND_WEIGHED || fa->kind == GKIND_HARD)
			d->contrib[i] =
			        fa->weight * gstrength_eval(&fa->strength, v);
		if (fa->kind == GKIND_HARD && fa->weight > hard_w[fa->favours])
			hard_w[fa->favours] = fa->weight;
	}
	for (i = 0; i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		if (fa->kind != GKIND_DAMPEN || d->contrib[i] < 0)
			continue;
		for (k = 0; k < g->nr_factors; k++) {
			size_t j;

			for (j = 0; j < fa->nr_dampens; j++)
				if (!strcmp(fa->dampens[j], g->factors[k].id) &&
				    d->contrib[k] > 0)
					d->contrib[k] *= fa->by;
		}
	}
	for (i = 0; i < g->nr_factors; i++)
		if (g->factors[i].kind == GKIND_WEIGHED && d->contrib[i] > 0)
			d->score[g->factors[i].favours] += d->contrib[i];

	if (hard_w[PYO_CHOICE_PYTHON] >= 0 || hard_w[PYO_CHOICE_GO] >= 0) {
		d->hard = 1;
		d->conflict = hard_w[PYO_CHOICE_PYTHON] >= 0 &&
		              hard_w[PYO_CHOICE_GO] >= 0;
		/* on a tie, Python: the article calls the ML case
		 * non-negotiable */
		d->choice = hard_w[PYO_CHOICE_PYTHON] >= hard_w[PYO_CHOICE_GO]
		                    ? PYO_CHOICE_PYTHON
		                    : PYO_CHOICE_GO;
		d->confidence = d->conflict ? 0.5 : 1.0;
		return 0;
	}

	diff = d->score[PYO_CHOICE_PYTHON] - d->score[PYO_CHOICE_GO];
	total = d->score[PYO_CHOICE_PYTHON] + d->score[PYO_CHOICE_GO];
	if (total < g->min_total)
		total = g->min_total;
	d->confidence = fabs(diff) / total;
	/* two decimals: the JSON shows them, and ties must not hinge on
	 * the last bit of a sum */
	d->confidence = round(d->confidence * 100) / 100;
	if (d->confidence < g->either_margin)
		d->choice = PYO_CHOICE_EITHER;
	else
		d->choice = diff > 0 ? PYO_CHOICE_PYTHON : PYO_CHOICE_GO;
	return 0;
}
