/*
 * guidance_free.c: frees a loaded struct pyo_guidance (guidance_load.c).
 */
#include <stdlib.h>

#include "guidance.h"
#include "rules_int.h"
#include "banned.h"

static void strv_free_n(char **v, size_t nr)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

static void example_release(struct gexample *x)
{
	strv_free_n(x->names, x->nr);
	free(x->values);
}

static void factor_release(struct gfactor *f)
{
	size_t i;

	free(f->id);
	free(f->title);
	gexpr_release(&f->when);
	free(f->strength.signal);
	free(f->strength.per);
	free(f->explain);
	free(f->remove_label);
	strv_free_n(f->figures, f->nr_figures);
	strv_free_n(f->dampens, f->nr_dampens);
	strv_free_n(f->evidence, f->nr_evidence);
	free(f->cite);
	for (i = 0; i < f->nr_match; i++)
		example_release(&f->match[i]);
	for (i = 0; i < f->nr_nomatch; i++)
		example_release(&f->nomatch[i]);
	free(f->match);
	free(f->nomatch);
}

void pyo_guidance_free(struct pyo_guidance *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->nr_factors; i++)
		factor_release(&g->factors[i]);
	free(g->factors);
	for (i = 0; i < g->nr_figures; i++) {
		free(g->figures[i].id);
		free(g->figures[i].language);
		free(g->figures[i].label);
		free(g->figures[i].unit);
		free(g->figures[i].cite);
	}
	free(g->figures);
	for (i = 0; i < g->nr_overrides; i++) {
		free(g->overrides[i].declared);
		strv_free_n(g->overrides[i].replaces,
		            g->overrides[i].nr_replaces);
		strv_free_n(g->overrides[i].hides, g->overrides[i].nr_hides);
	}
	free(g->overrides);
	for (i = 0; i < g->nr_whatifs; i++) {
		free(g->whatifs[i].label);
		strv_free_n(g->whatifs[i].names, g->whatifs[i].nr);
		free(g->whatifs[i].values);
	}
	free(g->whatifs);
	free(g->py_primary);
	free(g->py_secondary);
	free(g->go_primary);
	free(g->go_secondary);
	free(g->memory_figure);
	free(g->db_figure);
	free(g->db_factor);
	free(g->fleet_figure);
	free(g->file);
	free(g->version);
	free(g->source);
	free(g);
}
