/*
 * recommend.c: from signals to a verdict. Builds the view of the signals
 * (declared needs over detected facts), runs the decision
 * (recommend_eval.c), then explains it: reasons ranked by contribution with
 * their evidence and citations, hard constraints apart, the overrides
 * applied, what would change the call (recommend_flip.c) and the capacity
 * and cost of each choice (recommend_cost.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "rules_int.h"
#include "buf.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

void pyo_reason_release(struct pyo_reason *r)
{
	size_t i;

	if (!r)
		return;
	free(r->factor);
	free(r->title);
	free(r->explain);
	free(r->cite);
	for (i = 0; i < r->nr_figures; i++)
		free(r->figures[i]);
	free(r->figures);
	for (i = 0; i < r->nr_evidence; i++) {
		free(r->evidence[i].path);
		free(r->evidence[i].rule_id);
	}
	free(r->evidence);
	memset(r, 0, sizeof(*r));
}

static void reasons_free(struct pyo_reason *r, size_t nr)
{
	size_t i;

	for (i = 0; r && i < nr; i++)
		pyo_reason_release(&r[i]);
	free(r);
}

void pyo_verdict_free(struct pyo_verdict *v)
{
	size_t i;

	if (!v)
		return;
	free(v->summary);
	free(v->guidance_version);
	reasons_free(v->hard, v->nr_hard);
	reasons_free(v->reasons, v->nr_reasons);
	reasons_free(v->notes, v->nr_notes);
	for (i = 0; i < v->nr_flips; i++)
		free(v->flips[i].change);
	free(v->flips);
	for (i = 0; i < v->capacity.nr_rows; i++) {
		free(v->capacity.rows[i].figure);
		free(v->capacity.rows[i].label);
		free(v->capacity.rows[i].cite);
	}
	free(v->capacity.memory_cite);
	free(v->capacity.db_caveat);
	free(v->capacity.db_cite);
	free(v->capacity.fleet_cite);
	for (i = 0; i < v->nr_overrides; i++) {
		free(v->overrides[i].name);
		free(v->overrides[i].source);
		free(v->overrides[i].replaces);
	}
	free(v->overrides);
	free(v);
}

static void fmt_figure(struct pyo_buf *b, const struct gfigure *fg)
{
	pyo_buf_printf(b, "%s: ", fg->id);
	recommend_put_number(b, fg->min);
	if (fg->max != fg->min) {
		pyo_buf_putc(b, '-');
		recommend_put_number(b, fg->max);
	}
	pyo_buf_printf(b, " %s (%s)", fg->unit, fg->label);
}

static int make_reason(struct pyo_reason *r,
                       const struct pyo_guidance *g,
                       const struct gfactor *fa,
                       double contrib,
                       const struct gview *v,
                       const struct pyo_findings *fs)
{
	size_t i;

	r->factor = pyo_strdup(fa->id);
	r->title = pyo_strdup(fa->title);
	r->cite = pyo_strdup(fa->cite);
	r->explain = recommend_expand(fa->explain, v, fs);
	r->favours = fa->favours;
	r->weight = fa->weight;
	r->strength = gstrength_eval(&fa->strength, v);
	r->contribution = contrib > 0 ? contrib : 0;
	switch (fa->kind) {
	case GKIND_HARD:
		r->kind = PYO_REASON_HARD;
		break;
	case GKIND_WEIGHED:
		r->kind = PYO_REASON_WEIGHED;
		break;
	case GKIND_DAMPEN:
		r->kind = PYO_REASON_DAMPEN;
		break;
	case GKIND_NOTE:
		r->kind = PYO_REASON_NOTE;
		break;
	}
	if (!r->factor || !r->title || !r->cite || !r->explain)
		return pyo_error_oom();
	if (fa->nr_figures &&
	    !(r->figures = calloc(fa->nr_figures, sizeof(*r->figures))))
		return pyo_error_oom();
	for (i = 0; i < fa->nr_figures; i++) {
		struct pyo_buf b = { 0 };

		fmt_figure(&b, pyo_guidance_figure(g, fa->figures[i]));
		r->figures[r->nr_figures++] = pyo_buf_detach(&b);
	}
	return recommend_add_evidence(r, fa, v, fs, g->max_evidence);
}

static int push_reason(struct pyo_reason **arr, size_t *nr)
{
	struct pyo_reason *n = realloc(*arr, (*nr + 1) * sizeof(**arr));

	if (!n)
		return pyo_error_oom();
	memset(&n[*nr], 0, sizeof(*n));
	*arr = n;
	(*nr)++;
	return 0;
}

static int cmp_reason(const void *a, const void *b)
{
	const struct pyo_reason *x = a, *y = b;

	if (x->contribution != y->contribution)
		return x->contribution > y->contribution ? -1 : 1;
	return strcmp(x->factor, y->factor);
}

static int add_reasons(struct pyo_verdict *out,
                       const struct pyo_guidance *g,
                       const struct gdecision *d,
                       const struct gview *v,
                       const struct pyo_findings *fs)
{
	size_t i;
	int error;

	for (i = 0; i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];
		struct pyo_reason **arr;
		size_t *nr;

		if (d->contrib[i] < 0)
			continue;
		if (fa->kind == GKIND_HARD) {
			arr = &out->hard;
			nr = &out->nr_hard;
		} else if (fa->kind == GKIND_WEIGHED) {
			arr = &out->reasons;
			nr = &out->nr_reasons;
		} else {
			arr = &out->notes;
			nr = &out->nr_notes;
		}
		if ((error = push_reason(arr, nr)) < 0 ||
		    (error = make_reason(&(*arr)[*nr - 1], g, fa, d->contrib[i],
		                         v, fs)) < 0)
			return error;
	}
	if (out->nr_reasons)
		pyo_qsort(out->reasons, out->nr_reasons, sizeof(*out->reasons),
		          cmp_reason);
	if (out->nr_hard)
		pyo_qsort(out->hard, out->nr_hard, sizeof(*out->hard),
		          cmp_reason);
	return 0;
}

static int name_matches(const char *pat, const char *name)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*')
		return !strncmp(pat, name, n - 1);
	return !strcmp(pat, name);
}

/* "team.active_90d=7 (history)" for what a declared value replaced. */
static void describe_replaced(struct pyo_buf *b,
                              const struct pyo_guidance *g,
                              const char *declared,
                              const struct gview *raw)
{
	size_t i, k, j;

	for (i = 0; i < g->nr_overrides; i++) {
		const struct goverride *o = &g->overrides[i];

		if (!name_matches(o->declared, declared))
			continue;
		for (k = 0; k < o->nr_replaces; k++) {
			const struct gview_item *it =
			        gview_get(raw, o->replaces[k]);

			if (!it)
				continue;
			pyo_buf_printf(b, "%s%s=", b->len ? ", " : "",
			               it->name);
			recommend_put_number(b, it->value);
			pyo_buf_printf(b, " (%s)",
			               it->sig ? it->sig->source : "detected");
		}
		for (k = 0; k < o->nr_hides; k++)
			for (j = 0; j < raw->nr; j++) {
				const struct gview_item *it = &raw->items[j];

				if (!name_matches(o->hides[k], it->name) ||
				    name_matches(o->declared, it->name))
					continue;
				pyo_buf_printf(b, "%s%s=", b->len ? ", " : "",
				               it->name);
				recommend_put_number(b, it->value);
				pyo_buf_printf(b, " (%s)",
				               it->sig ? it->sig->source
				                       : "detected");
			}
	}
}

static int add_overrides(struct pyo_verdict *out,
                         const struct pyo_guidance *g,
                         const struct gview *raw)
{
	size_t i, n = 0;

	for (i = 0; i < raw->nr; i++)
		if (pyo_str_startswith(raw->items[i].name, "declared."))
			n++;
	if (!n)
		return 0;
	if (!(out->overrides = calloc(n, sizeof(*out->overrides))))
		return pyo_error_oom();
	for (i = 0; i < raw->nr; i++) {
		const struct gview_item *it = &raw->items[i];
		struct pyo_override *o;
		struct pyo_buf b = { 0 };

		if (!pyo_str_startswith(it->name, "declared."))
			continue;
		o = &out->overrides[out->nr_overrides++];
		o->name = pyo_strdup(it->name);
		o->value = it->value;
		o->source = pyo_strdup(it->sig ? it->sig->source : "flag");
		describe_replaced(&b, g, it->name, raw);
		o->replaces = b.len ? pyo_buf_detach(&b) : NULL;
		pyo_buf_release(&b);
		if (!o->name || !o->source)
			return pyo_error_oom();
	}
	return 0;
}

static const char *band(const struct pyo_guidance *g, double c)
{
	if (c >= g->band_high)
		return "high";
	if (c >= g->band_medium)
		return "medium";
	return "low";
}

static int make_summary(struct pyo_verdict *out)
{
	struct pyo_buf b = { 0 };

	pyo_buf_printf(&b, "%s, confidence %.2f (%s)",
	               pyo_choice_label(out->choice), out->confidence,
	               out->band);
	if (out->nr_hard)
		pyo_buf_printf(&b, ": %s (hard constraint)",
		               out->hard[0].title);
	else if (out->nr_reasons && out->choice != PYO_CHOICE_EITHER)
		pyo_buf_printf(&b, ": %s", out->reasons[0].title);
	else if (out->choice == PYO_CHOICE_EITHER)
		pyo_buf_puts(&b, ": no factor of the article tips the call");
	if (!(out->summary = pyo_buf_detach(&b)))
		return pyo_error_oom();
	return 0;
}

int pyo_recommend(struct pyo_verdict **out,
                  const struct pyo_rules *rules,
                  const struct pyo_signals *signals,
                  const struct pyo_findings *findings,
                  const struct pyo_needs *needs)
{
	const struct pyo_guidance *g = rules ? rules->guidance : NULL;
	struct pyo_signals declared = { 0 };
	struct pyo_verdict *v = NULL;
	struct gview raw = { 0 }, view = { 0 };
	struct gdecision d = { 0 };
	size_t i;
	int error;

	*out = NULL;
	if (!g)
		return 0;
	if (!(v = calloc(1, sizeof(*v)))) {
		error = pyo_error_oom();
		goto done;
	}
	/* needs the scan did not turn into signals yet count too */
	if ((error = pyo_needs_signals(&declared, needs)) < 0 ||
	    (error = gview_from_signals(&raw, signals)) < 0)
		goto done;
	for (i = 0; i < declared.nr; i++) {
		if (gview_get(&raw, declared.items[i].name))
			continue;
		if ((error = gview_set(&raw, declared.items[i].name,
		                       declared.items[i].value)) < 0)
			goto done;
		((struct gview_item *)gview_get(&raw, declared.items[i].name))
		        ->sig = &declared.items[i];
	}
	if ((error = gview_copy(&view, &raw)) < 0)
		goto done;
	gview_apply_overrides(&view, g);

	if ((error = gdecide(&d, g, &view)) < 0)
		goto done;
	v->choice = d.choice;
	v->confidence = d.confidence;
	v->band = band(g, d.confidence);
	v->score_python = round(d.score[PYO_CHOICE_PYTHON] * 100) / 100;
	v->score_go = round(d.score[PYO_CHOICE_GO] * 100) / 100;
	v->is_conflict = d.conflict;
	if (!(v->guidance_version = pyo_strdup(g->version))) {
		error = pyo_error_oom();
		goto done;
	}
	if ((error = add_reasons(v, g, &d, &view, findings)) < 0 ||
	    (error = add_overrides(v, g, &raw)) < 0 ||
	    (error = recommend_capacity(v, g, &view, &d)) < 0 ||
	    (error = recommend_flips(v, g, &raw, &view, findings, &d)) < 0 ||
	    (error = make_summary(v)) < 0)
		goto done;

	*out = v;
	v = NULL;
done:
	gdecision_release(&d);
	gview_release(&view);
	gview_release(&raw);
	pyo_signals_clear(&declared);
	pyo_verdict_free(v);
	return error;
}
