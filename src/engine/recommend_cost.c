/*
 * recommend_cost.c: capacity and cost at a declared target rate. For each
 * language, cores and servers as ranges from the article's per-core
 * figures (both of its ranges, the like-for-like one marked primary) or
 * the user's own measurement, and the monthly cost at the price per
 * server. See docs/recommendation.md for the maths.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "strutil.h"
#include "banned.h"

static unsigned long ceil_div(double a, double b)
{
	double q = ceil(a / b - 1e-9);

	return q < 1 ? 1 : (unsigned long)q;
}

static int add_row(struct pyo_capacity *cap,
                   enum pyo_choice lang,
                   const char *figure,
                   const char *label,
                   const char *cite,
                   double rps_min,
                   double rps_max,
                   int is_primary)
{
	struct pyo_capacity_row *r = &cap->rows[cap->nr_rows++];

	r->language = lang;
	r->is_primary = is_primary;
	r->rps_min = rps_min;
	r->rps_max = rps_max;
	r->figure = pyo_strdup(figure);
	r->label = pyo_strdup(label);
	r->cite = cite ? pyo_strdup(cite) : NULL;
	if (!r->figure || !r->label || (cite && !r->cite))
		return pyo_error_oom();
	/* the fast end of the per-core range needs the fewest cores */
	r->cores_min = ceil_div(cap->target_rps, rps_max);
	r->cores_max = ceil_div(cap->target_rps, rps_min);
	r->servers_min = ceil_div((double)r->cores_min, cap->cores_per_server);
	r->servers_max = ceil_div((double)r->cores_max, cap->cores_per_server);
	r->cost_min = (double)r->servers_min * cap->price_per_server;
	r->cost_max = (double)r->servers_max * cap->price_per_server;
	return 0;
}

static int add_language(struct pyo_capacity *cap,
                        const struct pyo_guidance *g,
                        const struct gview *v,
                        enum pyo_choice lang,
                        const char *declared,
                        const char *primary,
                        const char *secondary)
{
	const struct gfigure *p = pyo_guidance_figure(g, primary);
	const struct gfigure *s = pyo_guidance_figure(g, secondary);
	const struct gview_item *own = gview_get(v, declared);
	int error;

	if (own && own->value > 0 &&
	    (error = add_row(cap, lang, "declared", "your own measurement",
	                     NULL, own->value, own->value, 1)) < 0)
		return error;
	if ((error = add_row(cap, lang, p->id, p->label, p->cite, p->min,
	                     p->max, !own)) < 0 ||
	    (error = add_row(cap, lang, s->id, s->label, s->cite, s->min,
	                     s->max, 0)) < 0)
		return error;
	return 0;
}

static const char *source_of(const struct gview *v, const char *name)
{
	const struct gview_item *it = gview_get(v, name);

	return it && it->sig ? it->sig->source : "flag";
}

int recommend_capacity(struct pyo_verdict *out,
                       const struct pyo_guidance *g,
                       const struct gview *v,
                       const struct gdecision *d)
{
	struct pyo_capacity *cap = &out->capacity;
	const struct gfigure *mem = pyo_guidance_figure(g, g->memory_figure);
	const struct gfigure *db = pyo_guidance_figure(g, g->db_figure);
	const struct gfigure *fleet = pyo_guidance_figure(g, g->fleet_figure);
	size_t i;
	int error;

	cap->target_rps = gview_value(v, "declared.target_rps");
	if (!(cap->target_rps > 0))
		return 0;
	cap->present = 1;
	cap->cores_per_server = g->cores_per_server;
	cap->cores_source = "guidance";
	if (gview_value(v, "declared.cores_per_server") >= 1) {
		cap->cores_per_server =
		        floor(gview_value(v, "declared.cores_per_server"));
		cap->cores_source = source_of(v, "declared.cores_per_server");
	}
	cap->price_per_server = g->price_per_server;
	cap->price_source = "guidance";
	if (gview_get(v, "declared.price_per_server")) {
		cap->price_per_server =
		        gview_value(v, "declared.price_per_server");
		cap->price_source = source_of(v, "declared.price_per_server");
	}
	if ((error = add_language(cap, g, v, PYO_CHOICE_PYTHON,
	                          "declared.python_rps_per_core", g->py_primary,
	                          g->py_secondary)) < 0 ||
	    (error = add_language(cap, g, v, PYO_CHOICE_GO,
	                          "declared.go_rps_per_core", g->go_primary,
	                          g->go_secondary)) < 0)
		return error;

	cap->memory_min = mem->min;
	cap->memory_max = mem->max;
	if (!(cap->memory_cite = pyo_strdup(mem->cite)) ||
	    !(cap->fleet_cite = pyo_strdup(fleet->cite)))
		return pyo_error_oom();
	for (i = 0; i < g->nr_factors; i++)
		if (!strcmp(g->factors[i].id, g->db_factor) &&
		    d->contrib[i] >= 0)
			break;
	if (i < g->nr_factors) {
		char text[256];

		snprintf(
		        text, sizeof(text),
		        "database-bound CRUD service: %.0f-%.0f ms of database "
		        "latency per request often dominates, so the "
		        "throughput gap matters less than these figures "
		        "suggest",
		        db->min, db->max);
		if (!(cap->db_caveat = pyo_strdup(text)) ||
		    !(cap->db_cite = pyo_strdup(db->cite)))
			return pyo_error_oom();
	}
	return 0;
}
