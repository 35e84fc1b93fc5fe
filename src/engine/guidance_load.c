/*
 * guidance_load.c: loads rules/guidance.json (kind "guidance") into struct
 * pyo_guidance, checks every reference inside it, and lists, explains and
 * tests its factors (`pyorgo rules list|explain|test`).
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

#define PTR_MAX 160

/* Builds a JSON pointer; a too long one is cut (it only locates errors). */
static void ptrf(char *buf, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void ptrf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PTR_MAX, fmt, ap);
	va_end(ap);
}

static void strv_free_n(char **v, size_t nr)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

static void gexpr_release(struct gexpr *e)
{
	size_t i;

	for (i = 0; i < e->nr; i++)
		gexpr_release(&e->kids[i]);
	free(e->kids);
	free(e->signal);
	free(e->ref);
	memset(e, 0, sizeof(*e));
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

/* Copies an optional string member; NULL when absent. */
static int get_str(char **out,
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

static int get_num(double *out,
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

static const char *const op_names[] = { ">",  ">=", "<",       "<=",
	                                "==", "!=", "present", "absent" };

static int parse_expr(struct gexpr *e,
                      const struct rules_file *f,
                      const cJSON *j,
                      const char *ptr,
                      int depth)
{
	char sub[PTR_MAX];
	const char *kinds[] = { "all", "any", "not" };
	const cJSON *arr = NULL, *it;
	const char *op = NULL;
	size_t i;
	int error;

	memset(e, 0, sizeof(*e));
	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected a condition object");
	if (depth > 16)
		return rules_error(f, ptr, "condition nested too deeply");
	for (i = 0; i < 3; i++) {
		if (!(arr = cJSON_GetObjectItemCaseSensitive(j, kinds[i])))
			continue;
		e->type = i == 0 ? GEXPR_ALL : i == 1 ? GEXPR_ANY : GEXPR_NOT;
		ptrf(sub, "%s/%s", ptr, kinds[i]);
		if (e->type == GEXPR_NOT) {
			if (!(e->kids = calloc(1, sizeof(*e->kids))))
				return pyo_error_oom();
			e->nr = 1;
			return parse_expr(e->kids, f, arr, sub, depth + 1);
		}
		if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
			return rules_error(f, sub,
			                   "expected a non-empty array");
		e->nr = (size_t)cJSON_GetArraySize(arr);
		if (!(e->kids = calloc(e->nr, sizeof(*e->kids)))) {
			e->nr = 0;
			return pyo_error_oom();
		}
		i = 0;
		cJSON_ArrayForEach(it, arr)
		{
			char kp[PTR_MAX];

			ptrf(kp, "%s/%zu", sub, i);
			if ((error = parse_expr(&e->kids[i++], f, it, kp,
			                        depth + 1)) < 0)
				return error;
		}
		return 0;
	}

	e->type = GEXPR_LEAF;
	e->times = 1;
	if ((error = get_str(&e->signal, f, j, ptr, "signal", 1)) < 0 ||
	    (error = rules_get_string(&op, f, j, ptr, "op", 1)) < 0 ||
	    (error = get_str(&e->ref, f, j, ptr, "ref", 0)) < 0 ||
	    (error = get_num(&e->times, f, j, ptr, "times", 1)) < 0)
		return error;
	for (i = 0; i < sizeof(op_names) / sizeof(*op_names); i++)
		if (!strcmp(op, op_names[i]))
			break;
	if (i == sizeof(op_names) / sizeof(*op_names)) {
		ptrf(sub, "%s/op", ptr);
		return rules_error(f, sub,
		                   "unknown op '%s' (expected >, >=, <, <=, "
		                   "==, !=, present or absent)",
		                   op);
	}
	e->op = (enum gop)i;
	if (e->op == GOP_PRESENT || e->op == GOP_ABSENT || e->ref)
		return 0;
	return rules_get_number(&e->value, f, j, ptr, "value", 1);
}

/* {"name": number, ...} */
static int parse_assign(char ***names,
                        double **values,
                        size_t *nr,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr)
{
	const cJSON *it;
	size_t n = 0;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected an object of signals");
	*nr = 0;
	n = (size_t)cJSON_GetArraySize(j);
	*names = calloc(n + 1, sizeof(**names));
	*values = calloc(n + 1, sizeof(**values));
	if (!*names || !*values)
		return pyo_error_oom();
	cJSON_ArrayForEach(it, j)
	{
		char sub[PTR_MAX];

		if (!cJSON_IsNumber(it)) {
			ptrf(sub, "%s/%s", ptr, it->string);
			return rules_error(f, sub, "expected a number");
		}
		if (!((*names)[*nr] = pyo_strdup(it->string)))
			return pyo_error_oom();
		(*values)[(*nr)++] = it->valuedouble;
	}
	return 0;
}

static int parse_examples(struct gexample **out,
                          size_t *nr,
                          const struct rules_file *f,
                          const cJSON *j,
                          const char *ptr,
                          const char *key)
{
	char sub[PTR_MAX];
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, key), *it;
	size_t i = 0;
	int error;

	ptrf(sub, "%s/%s", ptr, key);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return rules_error(f, arr ? sub : ptr,
		                   "expected examples.%s: a non-empty array of "
		                   "signal sets",
		                   key);
	*nr = (size_t)cJSON_GetArraySize(arr);
	if (!(*out = calloc(*nr, sizeof(**out))))
		return pyo_error_oom();
	cJSON_ArrayForEach(it, arr)
	{
		char ep[PTR_MAX];
		struct gexample *x = &(*out)[i];

		ptrf(ep, "%s/%zu", sub, i++);
		if ((error = parse_assign(&x->names, &x->values, &x->nr, f, it,
		                          ep)) < 0)
			return error;
	}
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
		ptrf(sub, "%s/favours", ptr);
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
	if ((error = get_str(&fa->id, f, j, ptr, "id", 1)) < 0 ||
	    (error = get_str(&fa->title, f, j, ptr, "title", 1)) < 0 ||
	    (error = parse_choice(&fa->favours, f, j, ptr)) < 0 ||
	    (error = rules_get_string(&kind, f, j, ptr, "kind", 1)) < 0 ||
	    (error = get_num(&fa->weight, f, j, ptr, "weight", 0)) < 0 ||
	    (error = get_str(&fa->explain, f, j, ptr, "explain", 1)) < 0 ||
	    (error = get_str(&fa->remove_label, f, j, ptr, "remove_label", 0)) <
	            0 ||
	    (error = get_str(&fa->cite, f, j, ptr, "cite", 1)) < 0 ||
	    (error = get_strv(&fa->figures, &fa->nr_figures, f, j, ptr,
	                      "figures")) < 0 ||
	    (error = get_strv(&fa->dampens, &fa->nr_dampens, f, j, ptr,
	                      "dampens")) < 0 ||
	    (error = get_strv(&fa->evidence, &fa->nr_evidence, f, j, ptr,
	                      "evidence")) < 0 ||
	    (error = get_num(&fa->by, f, j, ptr, "by", 1)) < 0)
		return error;

	ptrf(sub, "%s/kind", ptr);
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
		ptrf(sub, "%s/weight", ptr);
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
		ptrf(sub, "%s/cite", ptr);
		return rules_error(f, sub, "the citation is empty");
	}

	ptrf(sub, "%s/when", ptr);
	if (!(x = cJSON_GetObjectItemCaseSensitive(j, "when")))
		return rules_error(f, ptr, "missing \"when\" (a condition)");
	if ((error = parse_expr(&fa->when, f, x, sub, 0)) < 0)
		return error;

	fa->strength.floor = 0;
	if ((x = cJSON_GetObjectItemCaseSensitive(j, "strength"))) {
		ptrf(sub, "%s/strength", ptr);
		if (!cJSON_IsObject(x))
			return rules_error(f, sub, "expected an object");
		if ((error = get_str(&fa->strength.signal, f, x, sub, "signal",
		                     1)) < 0 ||
		    (error = get_str(&fa->strength.per, f, x, sub, "per", 0)) <
		            0 ||
		    (error = rules_get_number(&fa->strength.from, f, x, sub,
		                              "from", 1)) < 0 ||
		    (error = rules_get_number(&fa->strength.to, f, x, sub, "to",
		                              1)) < 0 ||
		    (error = get_num(&fa->strength.floor, f, x, sub, "floor",
		                     0)) < 0)
			return error;
		if (fa->strength.from == fa->strength.to ||
		    fa->strength.floor < 0 || fa->strength.floor > 1)
			return rules_error(f, sub,
			                   "expected from != to and a floor "
			                   "between 0 and 1");
	}

	ptrf(sub, "%s/examples", ptr);
	x = cJSON_GetObjectItemCaseSensitive(j, "examples");
	if (!cJSON_IsObject(x))
		return rules_error(f, x ? sub : ptr,
		                   "expected \"examples\" with \"match\" and "
		                   "\"nomatch\"");
	if ((error = parse_examples(&fa->match, &fa->nr_match, f, x, sub,
	                            "match")) < 0 ||
	    (error = parse_examples(&fa->nomatch, &fa->nr_nomatch, f, x, sub,
	                            "nomatch")) < 0)
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
	if ((error = get_str(&fg->id, f, j, ptr, "id", 1)) < 0 ||
	    (error = get_str(&fg->language, f, j, ptr, "language", 0)) < 0 ||
	    (error = get_str(&fg->label, f, j, ptr, "label", 1)) < 0 ||
	    (error = get_str(&fg->unit, f, j, ptr, "unit", 1)) < 0 ||
	    (error = get_str(&fg->cite, f, j, ptr, "cite", 1)) < 0 ||
	    (error = rules_get_number(&fg->min, f, j, ptr, "min", 1)) < 0 ||
	    (error = get_num(&fg->max, f, j, ptr, "max", fg->min)) < 0)
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
	if ((error = get_str(&o->declared, f, j, ptr, "declared", 1)) < 0 ||
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
	if ((error = get_str(&w->label, f, j, ptr, "label", 1)) < 0)
		return error;
	ptrf(sub, "%s/set", ptr);
	if (!(set = cJSON_GetObjectItemCaseSensitive(j, "set")))
		return rules_error(f, ptr, "missing \"set\"");
	if ((error = parse_assign(&w->names, &w->values, &w->nr, f, set, sub)) <
	    0)
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

	ptrf(ptr, "/%s", key);
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

		ptrf(ip, "%s/%zu", ptr, i);
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
	if ((error = get_num(&g->either_margin, f, d, "/decision",
	                     "either_margin", 0.15)) < 0 ||
	    (error = get_num(&g->min_total, f, d, "/decision", "min_total",
	                     6)) < 0 ||
	    (error = get_num(&g->band_medium, f, d, "/decision", "band_medium",
	                     0.34)) < 0 ||
	    (error = get_num(&g->band_high, f, d, "/decision", "band_high",
	                     0.67)) < 0 ||
	    (error = get_num(&flips, f, d, "/decision", "max_flips", 3)) < 0 ||
	    (error = get_num(&evidence, f, d, "/decision", "max_evidence", 5)) <
	            0)
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

	if ((error = get_num(&g->cores_per_server, f, c, "/capacity",
	                     "cores_per_server", 4)) < 0 ||
	    (error = get_num(&g->price_per_server, f, c, "/capacity",
	                     "price_per_server", 50)) < 0 ||
	    (error = get_str(&g->py_primary, f, c, "/capacity",
	                     "python_primary", 1)) < 0 ||
	    (error = get_str(&g->py_secondary, f, c, "/capacity",
	                     "python_secondary", 1)) < 0 ||
	    (error = get_str(&g->go_primary, f, c, "/capacity", "go_primary",
	                     1)) < 0 ||
	    (error = get_str(&g->go_secondary, f, c, "/capacity",
	                     "go_secondary", 1)) < 0 ||
	    (error = get_str(&g->memory_figure, f, c, "/capacity", "memory",
	                     1)) < 0 ||
	    (error = get_str(&g->db_figure, f, c, "/capacity",
	                     "database_latency", 1)) < 0 ||
	    (error = get_str(&g->db_factor, f, c, "/capacity",
	                     "database_factor", 1)) < 0 ||
	    (error = get_str(&g->fleet_figure, f, c, "/capacity", "fleet", 1)) <
	            0)
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
			ptrf(ptr, "/figures/%zu/id", i);
			return rules_error(f, ptr, "duplicate figure id '%s'",
			                   g->figures[i].id);
		}
	for (i = 0; i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		if (pyo_guidance_factor(g, fa->id) != fa) {
			ptrf(ptr, "/factors/%zu/id", i);
			return rules_error(f, ptr, "duplicate factor id '%s'",
			                   fa->id);
		}
		for (k = 0; k < fa->nr_figures; k++)
			if (!pyo_guidance_figure(g, fa->figures[k])) {
				ptrf(ptr, "/factors/%zu/figures/%zu", i, k);
				return rules_error(f, ptr,
				                   "no figure '%s' in /figures",
				                   fa->figures[k]);
			}
		for (k = 0; k < fa->nr_dampens; k++)
			if (!pyo_guidance_factor(g, fa->dampens[k])) {
				ptrf(ptr, "/factors/%zu/dampens/%zu", i, k);
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
	if ((error = get_str(&g->version, f, root, "", "version", 1)) < 0 ||
	    (error = get_str(&g->source, f, root, "", "source", 1)) < 0 ||
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

static const char *kind_name(enum gkind k)
{
	switch (k) {
	case GKIND_HARD:
		return "hard";
	case GKIND_WEIGHED:
		return "weighed";
	case GKIND_DAMPEN:
		return "dampen";
	case GKIND_NOTE:
		return "note";
	}
	return "?";
}

int pyo_guidance_list(FILE *out, const struct pyo_guidance *g)
{
	size_t i;

	for (i = 0; g && i < g->nr_factors; i++)
		fprintf(out, "%-28s guidance  %s (%s, %s)\n", g->factors[i].id,
		        g->factors[i].title,
		        pyo_choice_name(g->factors[i].favours),
		        kind_name(g->factors[i].kind));
	return 0;
}

static void print_expr(FILE *out, const struct gexpr *e)
{
	size_t i;

	switch (e->type) {
	case GEXPR_LEAF:
		fprintf(out, "%s %s", e->signal, op_names[e->op]);
		if (e->ref && e->times != 1)
			fprintf(out, " %g * %s", e->times, e->ref);
		else if (e->ref)
			fprintf(out, " %s", e->ref);
		else if (e->op != GOP_PRESENT && e->op != GOP_ABSENT)
			fprintf(out, " %g", e->value);
		return;
	case GEXPR_NOT:
		fputs("not (", out);
		print_expr(out, e->kids);
		fputs(")", out);
		return;
	case GEXPR_ALL:
	case GEXPR_ANY:
		for (i = 0; i < e->nr; i++) {
			if (i)
				fputs(e->type == GEXPR_ALL ? " and " : " or ",
				      out);
			fputs(e->kids[i].type == GEXPR_LEAF ? "" : "(", out);
			print_expr(out, &e->kids[i]);
			fputs(e->kids[i].type == GEXPR_LEAF ? "" : ")", out);
		}
		return;
	}
}

int pyo_guidance_explain(FILE *out,
                         const struct pyo_guidance *g,
                         const char *id)
{
	const struct gfactor *fa = pyo_guidance_factor(g, id);
	const struct gfigure *fg;
	size_t i;

	if (!fa)
		return PYO_ENOTFOUND;
	fprintf(out, "id:       %s\n", fa->id);
	fprintf(out, "file:     %s (version %s)\n", g->file, g->version);
	fprintf(out, "title:    %s\n", fa->title);
	fprintf(out, "favours:  %s\n", pyo_choice_name(fa->favours));
	fprintf(out, "kind:     %s\n", kind_name(fa->kind));
	fprintf(out, "weight:   %g\n", fa->weight);
	fputs("when:     ", out);
	print_expr(out, &fa->when);
	fputc('\n', out);
	if (fa->strength.signal)
		fprintf(out, "strength: %s%s%s from %g to %g (floor %g)\n",
		        fa->strength.signal, fa->strength.per ? " / " : "",
		        fa->strength.per ? fa->strength.per : "",
		        fa->strength.from, fa->strength.to, fa->strength.floor);
	for (i = 0; i < fa->nr_dampens; i++)
		fprintf(out, "dampens:  %s by %g\n", fa->dampens[i], fa->by);
	for (i = 0; i < fa->nr_figures; i++) {
		fg = pyo_guidance_figure(g, fa->figures[i]);
		fprintf(out, "figure:   %s = %g-%g %s (%s)\n", fg->id, fg->min,
		        fg->max, fg->unit, fg->label);
	}
	fprintf(out, "cite:     \"%s\"\n", fa->cite);
	fprintf(out, "examples: %zu match, %zu nomatch\n", fa->nr_match,
	        fa->nr_nomatch);
	return 0;
}

static int example_triggers(const struct pyo_guidance *g,
                            const struct gfactor *fa,
                            const struct gexample *x,
                            int *out)
{
	struct gview v = { 0 };
	size_t i;
	int error = 0;

	for (i = 0; i < x->nr; i++)
		if ((error = gview_set(&v, x->names[i], x->values[i])) < 0)
			goto done;
	gview_apply_overrides(&v, g);
	*out = gexpr_eval(&fa->when, &v);
done:
	gview_release(&v);
	return error;
}

static void print_example(FILE *out, const struct gexample *x)
{
	size_t i;

	fputc('{', out);
	for (i = 0; i < x->nr; i++)
		fprintf(out, "%s%s: %g", i ? ", " : "", x->names[i],
		        x->values[i]);
	fputc('}', out);
}

int pyo_guidance_test(FILE *out,
                      const struct pyo_guidance *g,
                      int verbose,
                      size_t *passed,
                      size_t *failed)
{
	size_t i, k;
	int error, hit, pass;

	for (i = 0; g && i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		for (k = 0; k < fa->nr_match + fa->nr_nomatch; k++) {
			int want = k < fa->nr_match;
			const struct gexample *x =
			        want ? &fa->match[k]
			             : &fa->nomatch[k - fa->nr_match];

			if ((error = example_triggers(g, fa, x, &hit)) < 0)
				return error;
			pass = hit == want;
			if (pass)
				(*passed)++;
			else
				(*failed)++;
			if (pass && !verbose)
				continue;
			fprintf(out, "%s %s: %s example ",
			        pass ? "ok  " : "FAIL", fa->id,
			        want ? "match" : "nomatch");
			print_example(out, x);
			fprintf(out, " %s\n",
			        hit ? "triggers" : "does not trigger");
		}
	}
	return 0;
}
