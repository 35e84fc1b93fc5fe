/*
 * guidance.h: the article's guidance once loaded from rules/guidance.json
 * (internal to the engine). guidance_load.c builds it (with
 * guidance_expr.c), guidance_free.c frees it, guidance_meta.c lists it;
 * recommend*.c read it. A factor is a claim of the article: the language it
 * favours, how much it weighs, the condition on signals that triggers it, the
 * figures it quotes and the sentence it cites.
 */
#ifndef PYORGO_GUIDANCE_H
#define PYORGO_GUIDANCE_H

#include <stddef.h>
#include <stdio.h>

#include "pyorgo/recommend.h"
#include "pyorgo/report.h"

enum gop {
	GOP_GT,
	GOP_GE,
	GOP_LT,
	GOP_LE,
	GOP_EQ,
	GOP_NE,
	GOP_PRESENT,
	GOP_ABSENT,
};

enum gexpr_type { GEXPR_LEAF, GEXPR_ALL, GEXPR_ANY, GEXPR_NOT };

/* A condition: all/any/not of leaves {signal, op, value | ref * times}. */
struct gexpr {
	enum gexpr_type type;
	struct gexpr *kids;
	size_t nr;
	char *signal;
	char *ref; /* compare with another signal instead of `value` */
	double value, times;
	enum gop op;
};

/* Scales a factor's weight by how strongly a signal holds: a linear ramp
 * from `from` (floor) to `to` (1), of `signal`, or of signal / per. */
struct gstrength {
	char *signal;
	char *per;
	double from, to, floor;
};

struct gfigure {
	char *id;
	char *language; /* "python", "go" or NULL */
	char *label;
	char *unit;
	char *cite;
	double min, max;
};

/* One signal set of an example: names and values. */
struct gexample {
	char **names;
	double *values;
	size_t nr;
};

enum gkind {
	GKIND_HARD,    /* decides on its own (non-negotiable) */
	GKIND_WEIGHED, /* adds weight * strength to its language */
	GKIND_DAMPEN,  /* multiplies other factors' contributions by `by` */
	GKIND_NOTE,    /* shown, weighs nothing ("not a constraint") */
};

struct gfactor {
	char *id;
	char *title;
	enum pyo_choice favours;
	enum gkind kind;
	double weight;
	struct gexpr when;
	struct gstrength strength; /* .signal NULL: strength 1 */
	char *explain;             /* template, see recommend.c */
	char *remove_label;        /* template for "what would change" */
	char **figures;
	size_t nr_figures;
	char **evidence; /* more signals whose findings are evidence */
	size_t nr_evidence;
	char **dampens; /* factor ids (kind dampen) */
	size_t nr_dampens;
	double by;
	char *cite;
	struct gexample *match, *nomatch;
	size_t nr_match, nr_nomatch;
};

/* While `declared` (a name, or a prefix ending in '*') is set, each name
 * of `replaces` reads its value, and names of `hides` read as absent. */
struct goverride {
	char *declared;
	char **replaces;
	size_t nr_replaces;
	char **hides;
	size_t nr_hides;
};

/* A candidate change for "what would change the call". */
struct gwhatif {
	char *label;
	char **names;
	double *values;
	size_t nr;
};

struct pyo_guidance {
	char *file; /* "rules/guidance.json" */
	char *version;
	char *source; /* the article's title */

	double either_margin; /* below: "either" */
	double min_total;     /* the margin's denominator is at least this */
	double band_medium, band_high;
	double cores_per_server;
	double price_per_server;
	size_t max_flips;
	size_t max_evidence;

	/* capacity: figure ids of the two ranges per language */
	char *py_primary, *py_secondary, *go_primary, *go_secondary;
	char *memory_figure, *db_figure, *db_factor, *fleet_figure;

	struct gfigure *figures;
	size_t nr_figures;
	struct gfactor *factors;
	size_t nr_factors;
	struct goverride *overrides;
	size_t nr_overrides;
	struct gwhatif *whatifs;
	size_t nr_whatifs;
};

/* The signals as the decision reads them: sorted by name. */
struct gview_item {
	const char *name;
	double value;
	const struct pyo_signal *sig; /* NULL when set by a what-if */
	int hidden;
};

struct gview {
	struct gview_item *items;
	size_t nr, alloc;
};

int gview_from_signals(struct gview *v, const struct pyo_signals *s);
int gview_set(struct gview *v, const char *name, double value);
/* Makes `name` read as absent. */
void gview_remove(struct gview *v, const char *name);
int gview_copy(struct gview *dst, const struct gview *src);
void gview_release(struct gview *v);
/* Applies the guidance's overrides (declared values win); idempotent. */
void gview_apply_overrides(struct gview *v, const struct pyo_guidance *g);
const struct gview_item *gview_get(const struct gview *v, const char *name);
double gview_value(const struct gview *v, const char *name);

int gexpr_eval(const struct gexpr *e, const struct gview *v);
double gstrength_eval(const struct gstrength *s, const struct gview *v);
/* Calls `fn` for every signal name a condition reads. */
void gexpr_signals(const struct gexpr *e,
                   void (*fn)(void *payload, const char *name),
                   void *payload);

/*
 * Loading, releasing and printing, shared by the guidance_*.c files; `obj`
 * and `j` are cJSON objects (rules_int.h).
 */
struct cJSON;
struct rules_file;

#define PTR_MAX 160

/* Builds a JSON pointer; a too long one is cut (it only locates errors). */
void guidance_ptrf(char *buf, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Copies an optional string member; NULL when absent. */
int guidance_get_str(char **out,
                     const struct rules_file *f,
                     const struct cJSON *obj,
                     const char *ptr,
                     const char *key,
                     int required);
int guidance_get_num(double *out,
                     const struct rules_file *f,
                     const struct cJSON *obj,
                     const char *ptr,
                     const char *key,
                     double dflt);
/* guidance_expr.c */
void gexpr_release(struct gexpr *e);
int guidance_parse_expr(struct gexpr *e,
                        const struct rules_file *f,
                        const struct cJSON *j,
                        const char *ptr,
                        int depth);
/* {"name": number, ...} */
int guidance_parse_assign(char ***names,
                          double **values,
                          size_t *nr,
                          const struct rules_file *f,
                          const struct cJSON *j,
                          const char *ptr);
int guidance_parse_examples(struct gexample **out,
                            size_t *nr,
                            const struct rules_file *f,
                            const struct cJSON *j,
                            const char *ptr,
                            const char *key);
void guidance_print_expr(FILE *out, const struct gexpr *e);

const struct gfigure *pyo_guidance_figure(const struct pyo_guidance *g,
                                          const char *id);
const struct gfactor *pyo_guidance_factor(const struct pyo_guidance *g,
                                          const char *id);

/* The decision alone (no evidence, flips or cost): scores and choice. */
struct gdecision {
	double score[3]; /* by enum pyo_choice */
	double *contrib; /* per factor; -1 when not triggered */
	enum pyo_choice choice;
	double confidence;
	int hard, conflict;
};

int gdecide(struct gdecision *d,
            const struct pyo_guidance *g,
            const struct gview *v);
void gdecision_release(struct gdecision *d);

/* recommend_evidence.c */
struct pyo_buf;
/* Expands a factor's template; malloc'ed. */
char *recommend_expand(const char *tpl,
                       const struct gview *v,
                       const struct pyo_findings *fs);
/* Integers print as such, other values with one decimal. */
void recommend_put_number(struct pyo_buf *b, double v);
/* The first `max` findings behind the signals factor `fa` reads (its
 * condition's and its evidence list's), and how many more. */
int recommend_add_evidence(struct pyo_reason *r,
                           const struct gfactor *fa,
                           const struct gview *v,
                           const struct pyo_findings *fs,
                           size_t max);

/* recommend_flip.c, recommend_cost.c */
/* `raw`: the signals before overrides; `view`: after, as decided. */
int recommend_flips(struct pyo_verdict *out,
                    const struct pyo_guidance *g,
                    const struct gview *raw,
                    const struct gview *view,
                    const struct pyo_findings *findings,
                    const struct gdecision *d);
int recommend_capacity(struct pyo_verdict *out,
                       const struct pyo_guidance *g,
                       const struct gview *v,
                       const struct gdecision *d);

#endif
