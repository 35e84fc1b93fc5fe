/*
 * recommend.h: the last stage of the pipeline. Reads the signals (detected,
 * from history, declared) and the article's guidance (rules/guidance.json)
 * and decides: Python (FastAPI), Go, or either, with the reasons ranked by
 * weight, their evidence and citations, what would change the call, and
 * the capacity and cost of each choice. See docs/recommendation.md.
 */
#ifndef PYORGO_RECOMMEND_H
#define PYORGO_RECOMMEND_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/needs.h"
#include "pyorgo/report.h"
#include "pyorgo/rules.h"

enum pyo_choice {
	PYO_CHOICE_EITHER = 0,
	PYO_CHOICE_PYTHON = 1,
	PYO_CHOICE_GO = 2,
};

/* "either", "python", "go" */
const char *pyo_choice_name(enum pyo_choice c);
/* "Either", "Python (FastAPI)", "Go" */
const char *pyo_choice_label(enum pyo_choice c);

/* A finding index of evidence whose finding the report does not list
 * (past its rule's cap). */
#define PYO_NOT_LISTED SIZE_MAX

/* One finding behind a reason (copied from report->findings). */
struct pyo_evidence {
	size_t finding; /* index into report->findings, or PYO_NOT_LISTED */
	char *path;
	unsigned line;
	char *rule_id;
};

enum pyo_reason_kind {
	PYO_REASON_HARD,    /* a hard constraint: decides on its own */
	PYO_REASON_WEIGHED, /* adds its contribution to a language */
	PYO_REASON_DAMPEN,  /* weakens other reasons (a caveat) */
	PYO_REASON_NOTE,    /* shown, weighs nothing */
};

const char *pyo_reason_kind_name(enum pyo_reason_kind k); /* "hard", ... */

struct pyo_reason {
	char *factor; /* "ml.native" */
	char *title;
	enum pyo_reason_kind kind;
	enum pyo_choice favours;
	double weight;       /* as in the guidance */
	double strength;     /* 0..1, how strongly the signals hold */
	double contribution; /* weight * strength, after dampening */
	char *explain;       /* one line, with the measured numbers */
	char *cite;          /* the article's sentence, exact */
	char **figures;      /* "hiring.python_pool_ratio: 4-5x", ... */
	size_t nr_figures;
	struct pyo_evidence *evidence; /* the first few */
	size_t nr_evidence;
	size_t more_evidence; /* how many findings were left out */
};

/* A change that flips the verdict. */
struct pyo_flip {
	char *change; /* "declaring --service gateway --target-rps 200000" */
	size_t nr_changes;
	enum pyo_choice choice; /* the verdict it leads to */
	double confidence;
};

/* Capacity at the target rate, for one language and one per-core figure. */
struct pyo_capacity_row {
	enum pyo_choice language;
	char *figure; /* figure id, or "declared" for the user's own */
	char *label;
	char *cite;              /* NULL for the user's figure */
	int is_primary;          /* the figure the comparison uses */
	double rps_min, rps_max; /* per core */
	unsigned long cores_min, cores_max;
	unsigned long servers_min, servers_max;
	double cost_min, cost_max; /* USD a month */
};

struct pyo_capacity {
	int present; /* 0 unless a target rate is declared */
	double target_rps;
	double cores_per_server;
	double price_per_server;
	const char *price_source; /* "guidance", "config", "flag" */
	const char *cores_source;
	struct pyo_capacity_row rows[6]; /* per language: declared?, 2 ranges */
	size_t nr_rows;
	double memory_min, memory_max; /* Go uses N times less memory */
	char *memory_cite;
	char *db_caveat; /* set when a database-bound CRUD service */
	char *db_cite;
	char *fleet_cite; /* 10 Python servers ~ 3-4 Go servers */
};

/* A declared value the decision used, and where it came from. */
struct pyo_override {
	char *name; /* "declared.target_rps" */
	double value;
	char *source;   /* "flag" or "config" */
	char *replaces; /* "team.active_90d=7 (history)", or NULL */
};

struct pyo_verdict {
	enum pyo_choice choice;
	double confidence; /* 0..1, see docs/recommendation.md */
	const char *band;  /* "low", "medium", "high" */
	double score_python, score_go;
	int is_conflict; /* hard constraints favour both languages */
	char *summary;   /* one line */
	char *guidance_version;

	struct pyo_reason *hard; /* hard constraints that hold */
	size_t nr_hard;
	struct pyo_reason *reasons; /* weighed, by contribution, descending */
	size_t nr_reasons;
	struct pyo_reason *notes; /* caveats and notes: weigh nothing */
	size_t nr_notes;

	struct pyo_flip *flips;
	size_t nr_flips;
	struct pyo_capacity capacity;
	struct pyo_override *overrides;
	size_t nr_overrides;
};

/* Declared needs become signals (source "flag"/"config"). */
int pyo_needs_signals(struct pyo_signals *out, const struct pyo_needs *needs);

/*
 * Decides. Deterministic: same inputs, byte-identical output. `*out` is
 * NULL (and 0 returned) when the rule set holds no guidance. `findings`
 * and `needs` may be NULL. Free with pyo_verdict_free().
 */
int pyo_recommend(struct pyo_verdict **out,
                  const struct pyo_rules *rules,
                  const struct pyo_signals *signals,
                  const struct pyo_findings *findings,
                  const struct pyo_needs *needs);
void pyo_verdict_free(struct pyo_verdict *v);

/* Internal to the engine and its writers, exposed for them. */
void pyo_reason_release(struct pyo_reason *r);

#endif
