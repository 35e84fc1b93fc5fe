/*
 * guidance_load.c: loads rules/guidance.json (kind "guidance") into struct
 * pyo_guidance: its factors, figures, overrides, what-ifs, decision and
 * capacity, and checks every reference inside it. The conditions are parsed
 * in guidance_expr.c; guidance_free.c frees it and guidance_meta.c lists,
 * explains and tests its factors (`pyorgo rules list|explain|test`).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "rules_int.h"
#include "strutil.h"
#include "banned.h"

/* Builds a JSON pointer; a too long one is cut (it only locates errors). */
void guidance_ptrf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PTR_MAX, fmt, ap);
	va_end(ap);
}

/* Copies an optional string member; NULL when absent. */
int guidance_get_str(char **out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *ptr,
                     const char *key,
                     int required)
{
	const char *s = NULL;
	int error;

	*out = NULL;
	if ((error = rules_get_string(&s, f, obj, ptr, key, required)) < 0)
		return error;
	if (s && !(*out = pyo_strdup(s)))
		return pyo_error_oom();
	return 0;
}

int guidance_get_num(double *out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *ptr,
                     const char *key,
                     double dflt)
{
	if (!cJSON_GetObjectItemCaseSensitive(obj, key)) {
		*out = dflt;
		return 0;
	}
	return rules_get_number(out, f, obj, ptr, key, 1);
}

static int get_strv(char ***out,
                    size_t *nr,
                    const struct rules_file *f,
                    const cJSON *obj,
                    const char *ptr,
                    const char *key)
{
	char **v = NULL;
	size_t n = 0;
	int error;

	if ((error = rules_get_strv(&v, &n, f, obj, ptr, key, 0)) < 0)
		return error;
	if (n == 0) {
		rules_strv_free(v);
		v = NULL;
	}
	*out = v; /* NULL-terminated, so strv_free_n(v, n) frees it too */
	*nr = n;
	return 0;
}

static int parse_choice(enum pyo_choice *out,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr)
{
	const char *s;
	char sub[PTR_MAX];
	int error;

	if ((error = rules_get_string(&s, f, j, ptr, "favours", 1)) < 0)
		return error;
	if (!strcmp(s, "python"))
		*out = PYO_CHOICE_PYTHON;
	else if (!strcmp(s, "go"))
		*out = PYO_CHOICE_GO;
	else if (!strcmp(s, "either"))
		*out = PYO_CHOICE_EITHER;
	else {
		guidance_ptrf(sub, "%s/favours", ptr);
		return rules_error(f, sub,
		                   "expected \"python\", \"go\" or \"either\"");
	}
	return 0;
}

static int parse_factor(struct gfactor *fa,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr)
{
	char sub[PTR_MAX];
	const char *kind = NULL;
	const cJSON *x;
	int error;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected a factor object");
	if ((error = guidance_get_str(&fa->id, f, j, ptr, "id", 1)) < 0 ||
	    (error = guidance_get_str(&fa->title, f, j, ptr, "title", 1)) < 0 ||
	    (error = parse_choice(&fa->favours, f, j, ptr)) < 0 ||
	    (error = rules_get_string(&kind, f, j, ptr, "kind", 1)) < 0 ||
	    (error = guidance_get_num(&fa->weight, f, j, ptr, "weight", 0)) <
	            0 ||
	    (error = guidance_get_str(&fa->explain, f, j, ptr, "explain", 1)) <
	            0 ||
	    (error = guidance_get_str(&fa->remove_label, f, j, ptr,
	                              "remove_label", 0)) < 0 ||
	    (error = guidance_get_str(&fa->cite, f, j, ptr, "cite", 1)) < 0 ||
	    (error = get_strv(&fa->figures, &fa->nr_figures, f, j, ptr,
	                      "figures")) < 0 ||
	    (error = get_strv(&fa->dampens, &fa->nr_dampens, f, j, ptr,
	                      "dampens")) < 0 ||
	    (error = get_strv(&fa->evidence, &fa->nr_evidence, f, j, ptr,
	                      "evidence")) < 0 ||
	    (error = guidance_get_num(&fa->by, f, j, ptr, "by", 1)) < 0)
		return error;

	guidance_ptrf(sub, "%s/kind", ptr);
	if (!strcmp(kind, "hard"))
		fa->kind = GKIND_HARD;
	else if (!strcmp(kind, "weighed"))
		fa->kind = GKIND_WEIGHED;
	else if (!strcmp(kind, "dampen"))
		fa->kind = GKIND_DAMPEN;
	else if (!strcmp(kind, "note"))
		fa->kind = GKIND_NOTE;
	else
		return rules_error(f, sub,
		                   "unknown kind '%s' (expected hard, weighed, "
		                   "dampen or note)",
		                   kind);
	if (fa->weight < 0 || !isfinite(fa->weight)) {
		guidance_ptrf(sub, "%s/weight", ptr);
		return rules_error(f, sub, "expected a weight >= 0");
	}
	if (fa->kind == GKIND_DAMPEN &&
	    (!fa->nr_dampens || fa->by < 0 || fa->by > 1))
		return rules_error(f, ptr,
		                   "a dampen factor needs \"dampens\" (factor "
		                   "ids) and \"by\" between 0 and 1");
	if (fa->favours == PYO_CHOICE_EITHER &&
	    (fa->kind == GKIND_HARD || fa->kind == GKIND_WEIGHED))
		return rules_error(f, ptr,
		                   "a hard or weighed factor must favour "
		                   "python or go");
	if (!*fa->cite) {
		guidance_ptrf(sub, "%s/cite", ptr);
		return rules_error(f, sub, "the citation is empty");
	}

	guidance_ptrf(sub, "%s/when", ptr);
	if (!(x = cJSON_GetObjectItemCaseSensitive(j, "when")))
		return rules_error(f, ptr, "missing \"when\" (a condition)");
	if ((error = guidance_parse_expr(&fa->when, f, x, sub, 0)) < 0)
		return error;

	fa->strength.floor = 0;
	if ((x = cJSON_GetObjectItemCaseSensitive(j, "strength"))) {
		guidance_ptrf(sub, "%s/strength", ptr);
		if (!cJSON_IsObject(x))
			return rules_error(f, sub, "expected an object");
		if ((error = guidance_get_str(&fa->strength.signal, f, x, sub,
		                              "signal", 1)) < 0 ||
		    (error = guidance_get_str(&fa->strength.per, f, x, sub,
		                              "per", 0)) < 0 ||
		    (error = rules_get_number(&fa->strength.from, f, x, sub,
		                              "from", 1)) < 0 ||
		    (error = rules_get_number(&fa->strength.to, f, x, sub, "to",
		                              1)) < 0 ||
		    (error = guidance_get_num(&fa->strength.floor, f, x, sub,
		                              "floor", 0)) < 0)
			return error;
		if (fa->strength.from == fa->strength.to ||
		    fa->strength.floor < 0 || fa->strength.floor > 1)
			return rules_error(f, sub,
			                   "expected from != to and a floor "
			                   "between 0 and 1");
	}

	guidance_ptrf(sub, "%s/examples", ptr);
	x = cJSON_GetObjectItemCaseSensitive(j, "examples");
	if (!cJSON_IsObject(x))
		return rules_error(f, x ? sub : ptr,
		                   "expected \"examples\" with \"match\" and "
		                   "\"nomatch\"");
	if ((error = guidance_parse_examples(&fa->match, &fa->nr_match, f, x,
	                                     sub, "match")) < 0 ||
	    (error = guidance_parse_examples(&fa->nomatch, &fa->nr_nomatch, f,
	                                     x, sub, "nomatch")) < 0)
		return error;
	return 0;
}

static int parse_figure(struct gfigure *fg,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr)
{
	int error;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected a figure object");
	if ((error = guidance_get_str(&fg->id, f, j, ptr, "id", 1)) < 0 ||
	    (error = guidance_get_str(&fg->language, f, j, ptr, "language",
	                              0)) < 0 ||
	    (error = guidance_get_str(&fg->label, f, j, ptr, "label", 1)) < 0 ||
	    (error = guidance_get_str(&fg->unit, f, j, ptr, "unit", 1)) < 0 ||
	    (error = guidance_get_str(&fg->cite, f, j, ptr, "cite", 1)) < 0 ||
	    (error = rules_get_number(&fg->min, f, j, ptr, "min", 1)) < 0 ||
	    (error = guidance_get_num(&fg->max, f, j, ptr, "max", fg->min)) < 0)
		return error;
	if (fg->max < fg->min || fg->min < 0)
		return rules_error(f, ptr, "expected 0 <= min <= max");
	return 0;
}

static int parse_override(struct goverride *o,
                          const struct rules_file *f,
                          const cJSON *j,
                          const char *ptr)
{
	int error;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected an override object");
	if ((error = guidance_get_str(&o->declared, f, j, ptr, "declared", 1)) <
	            0 ||
	    (error = get_strv(&o->replaces, &o->nr_replaces, f, j, ptr,
	                      "replaces")) < 0 ||
	    (error = get_strv(&o->hides, &o->nr_hides, f, j, ptr, "hides")) < 0)
		return error;
	return 0;
}

static int parse_whatif(struct gwhatif *w,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr)
{
	char sub[PTR_MAX];
	const cJSON *set;
	int error;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected a what-if object");
	if ((error = guidance_get_str(&w->label, f, j, ptr, "label", 1)) < 0)
		return error;
	guidance_ptrf(sub, "%s/set", ptr);
	if (!(set = cJSON_GetObjectItemCaseSensitive(j, "set")))
		return rules_error(f, ptr, "missing \"set\"");
	if ((error = guidance_parse_assign(&w->names, &w->values, &w->nr, f,
	                                   set, sub)) < 0)
		return error;
	if (w->nr == 0)
		return rules_error(f, sub, "expected at least one signal");
	return 0;
}

/* Parses array `key` of `root` with `fn` into `*items` of `size` bytes. */
static int parse_array(void **items,
                       size_t *nr,
                       size_t size,
                       const struct rules_file *f,
                       const cJSON *root,
                       const char *key,
                       int required,
                       int (*fn)(void *item,
                                 const struct rules_file *f,
                                 const cJSON *j,
                                 const char *ptr))
{
	char ptr[PTR_MAX];
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key), *it;
	size_t i = 0;
	int error;

	guidance_ptrf(ptr, "/%s", key);
	if (!arr && !required)
		return 0;
	if (!cJSON_IsArray(arr))
		return rules_error(f, arr ? ptr : "",
		                   "expected \"%s\": an array", key);
	*nr = 0;
	if (!(*items = calloc((size_t)cJSON_GetArraySize(arr) + 1, size)))
		return pyo_error_oom();
	cJSON_ArrayForEach(it, arr)
	{
		char ip[PTR_MAX];

		guidance_ptrf(ip, "%s/%zu", ptr, i);
		(*nr)++; /* counted first, so that a failure frees it */
		if ((error = fn((char *)*items + size * i, f, it, ip)) < 0)
			return error;
		i++;
	}
	return 0;
}

static int factor_cb(void *item,
                     const struct rules_file *f,
                     const cJSON *j,
                     const char *ptr)
{
	return parse_factor(item, f, j, ptr);
}

static int figure_cb(void *item,
                     const struct rules_file *f,
                     const cJSON *j,
                     const char *ptr)
{
	return parse_figure(item, f, j, ptr);
}

static int override_cb(void *item,
                       const struct rules_file *f,
                       const cJSON *j,
                       const char *ptr)
{
	return parse_override(item, f, j, ptr);
}

static int whatif_cb(void *item,
                     const struct rules_file *f,
                     const cJSON *j,
                     const char *ptr)
{
	return parse_whatif(item, f, j, ptr);
}

static int parse_decision(struct pyo_guidance *g,
                          const struct rules_file *f,
                          const cJSON *root)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "decision");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "capacity");
	double flips = 3, evidence = 5;
	int error;

	if (!cJSON_IsObject(d))
		return rules_error(f, d ? "/decision" : "",
		                   "expected \"decision\": an object");
	if (!cJSON_IsObject(c))
		return rules_error(f, c ? "/capacity" : "",
		                   "expected \"capacity\": an object");
	if ((error = guidance_get_num(&g->either_margin, f, d, "/decision",
	                              "either_margin", 0.15)) < 0 ||
	    (error = guidance_get_num(&g->min_total, f, d, "/decision",
	                              "min_total", 6)) < 0 ||
	    (error = guidance_get_num(&g->band_medium, f, d, "/decision",
	                              "band_medium", 0.34)) < 0 ||
	    (error = guidance_get_num(&g->band_high, f, d, "/decision",
	                              "band_high", 0.67)) < 0 ||
	    (error = guidance_get_num(&flips, f, d, "/decision", "max_flips",
	                              3)) < 0 ||
	    (error = guidance_get_num(&evidence, f, d, "/decision",
	                              "max_evidence", 5)) < 0)
		return error;
	if (g->either_margin < 0 || g->either_margin >= 1 ||
	    g->min_total <= 0 || g->band_medium > g->band_high || flips < 0 ||
	    flips > 10 || evidence < 1 || evidence > 50)
		return rules_error(f, "/decision",
		                   "out of range: either_margin in [0,1), "
		                   "min_total > 0, band_medium <= band_high, "
		                   "max_flips 0-10, max_evidence 1-50");
	g->max_flips = (size_t)flips;
	g->max_evidence = (size_t)evidence;

	if ((error = guidance_get_num(&g->cores_per_server, f, c, "/capacity",
	                              "cores_per_server", 4)) < 0 ||
	    (error = guidance_get_num(&g->price_per_server, f, c, "/capacity",
	                              "price_per_server", 50)) < 0 ||
	    (error = guidance_get_str(&g->py_primary, f, c, "/capacity",
	                              "python_primary", 1)) < 0 ||
	    (error = guidance_get_str(&g->py_secondary, f, c, "/capacity",
	                              "python_secondary", 1)) < 0 ||
	    (error = guidance_get_str(&g->go_primary, f, c, "/capacity",
	                              "go_primary", 1)) < 0 ||
	    (error = guidance_get_str(&g->go_secondary, f, c, "/capacity",
	                              "go_secondary", 1)) < 0 ||
	    (error = guidance_get_str(&g->memory_figure, f, c, "/capacity",
	                              "memory", 1)) < 0 ||
	    (error = guidance_get_str(&g->db_figure, f, c, "/capacity",
	                              "database_latency", 1)) < 0 ||
	    (error = guidance_get_str(&g->db_factor, f, c, "/capacity",
	                              "database_factor", 1)) < 0 ||
	    (error = guidance_get_str(&g->fleet_figure, f, c, "/capacity",
	                              "fleet", 1)) < 0)
		return error;
	if (g->cores_per_server < 1 || g->price_per_server < 0)
		return rules_error(f, "/capacity",
		                   "expected cores_per_server >= 1 and "
		                   "price_per_server >= 0");
	return 0;
}

const struct gfigure *pyo_guidance_figure(const struct pyo_guidance *g,
                                          const char *id)
{
	size_t i;

	for (i = 0; g && id && i < g->nr_figures; i++)
		if (!strcmp(g->figures[i].id, id))
			return &g->figures[i];
	return NULL;
}

const struct gfactor *pyo_guidance_factor(const struct pyo_guidance *g,
                                          const char *id)
{
	size_t i;

	for (i = 0; g && id && i < g->nr_factors; i++)
		if (!strcmp(g->factors[i].id, id))
			return &g->factors[i];
	return NULL;
}

/* Every id unique, every reference resolved. */
static int check_refs(const struct pyo_guidance *g, const struct rules_file *f)
{
	const char *cap[] = { g->py_primary,   g->py_secondary,  g->go_primary,
		              g->go_secondary, g->memory_figure, g->db_figure,
		              g->fleet_figure };
	char ptr[PTR_MAX];
	size_t i, k;

	for (i = 0; i < g->nr_figures; i++)
		if (pyo_guidance_figure(g, g->figures[i].id) !=
		    &g->figures[i]) {
			guidance_ptrf(ptr, "/figures/%zu/id", i);
			return rules_error(f, ptr, "duplicate figure id '%s'",
			                   g->figures[i].id);
		}
	for (i = 0; i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		if (pyo_guidance_factor(g, fa->id) != fa) {
			guidance_ptrf(ptr, "/factors/%zu/id", i);
			return rules_error(f, ptr, "duplicate factor id '%s'",
			                   fa->id);
		}
		for (k = 0; k < fa->nr_figures; k++)
			if (!pyo_guidance_figure(g, fa->figures[k])) {
				guidance_ptrf(ptr, "/factors/%zu/figures/%zu",
				              i, k);
				return rules_error(f, ptr,
				                   "no figure '%s' in /figures",
				                   fa->figures[k]);
			}
		for (k = 0; k < fa->nr_dampens; k++)
			if (!pyo_guidance_factor(g, fa->dampens[k])) {
				guidance_ptrf(ptr, "/factors/%zu/dampens/%zu",
				              i, k);
				return rules_error(f, ptr,
				                   "no factor '%s' in /factors",
				                   fa->dampens[k]);
			}
	}
	for (i = 0; i < sizeof(cap) / sizeof(*cap); i++)
		if (!pyo_guidance_figure(g, cap[i]))
			return rules_error(f, "/capacity",
			                   "no figure '%s' in /figures",
			                   cap[i]);
	if (!pyo_guidance_factor(g, g->db_factor))
		return rules_error(f, "/capacity/database_factor",
		                   "no factor '%s' in /factors", g->db_factor);
	return 0;
}

int pyo_guidance_load(struct pyo_guidance **out, const struct rules_file *f)
{
	struct pyo_guidance *g = NULL;
	const cJSON *root = f->doc;
	int error;

	if (*out)
		return rules_error(f, "",
		                   "a second guidance file (the first is %s)",
		                   (*out)->file);
	if (!(g = calloc(1, sizeof(*g))))
		return pyo_error_oom();
	if (!(g->file = pyo_strdup(f->name))) {
		error = pyo_error_oom();
		goto done;
	}
	if ((error = guidance_get_str(&g->version, f, root, "", "version", 1)) <
	            0 ||
	    (error = guidance_get_str(&g->source, f, root, "", "source", 1)) <
	            0 ||
	    (error = parse_decision(g, f, root)) < 0 ||
	    (error = parse_array((void **)&g->figures, &g->nr_figures,
	                         sizeof(*g->figures), f, root, "figures", 1,
	                         figure_cb)) < 0 ||
	    (error = parse_array((void **)&g->factors, &g->nr_factors,
	                         sizeof(*g->factors), f, root, "factors", 1,
	                         factor_cb)) < 0 ||
	    (error = parse_array((void **)&g->overrides, &g->nr_overrides,
	                         sizeof(*g->overrides), f, root, "overrides", 0,
	                         override_cb)) < 0 ||
	    (error = parse_array((void **)&g->whatifs, &g->nr_whatifs,
	                         sizeof(*g->whatifs), f, root, "what_if", 0,
	                         whatif_cb)) < 0)
		goto done;
	if ((error = check_refs(g, f)) < 0)
		goto done;

	*out = g;
	g = NULL;
done:
	pyo_guidance_free(g);
	return error;
}

int pyo_guidance_finish(struct pyo_guidance *g)
{
	(void)g; /* everything is checked as the file loads */
	return 0;
}
