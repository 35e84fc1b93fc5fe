/*
 * detect_int.h: what the detector's files share: the per-thread detector,
 * the state of one file being detected, and the steps of pyo_detect_file()
 * (detect.c) that live in detect_match.c (regex rules) and
 * detect_imports.c (import rules and "requires" facts).
 */
#ifndef PYORGO_DETECT_INT_H
#define PYORGO_DETECT_INT_H

#include "pyorgo/classify.h"
#include "pyorgo/detect.h"
#include "detect_rules.h"
#include "imports.h"

/* a rule says no more in one file with more findings */
#define MAX_PER_RULE PYO_FINDINGS_PER_FILE

struct pyo_detector {
	const struct pyo_detect_rules *dr;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
	char *code, *strs;
	size_t buf_alloc;
	const size_t *lines; /* offsets of line starts of the current file: */
	size_t nr_lines;     /* own.starts, or the caller's */
	struct pyo_line_index own;
	size_t line_hint;      /* the last line detect_line_of() answered */
	char last_lang[64];    /* the last file's language name, and ... */
	unsigned last_bits;    /* ... its rule language bits */
	enum lex_lang last_lx; /* ... and its lexer */
	struct imp_list imps;
	unsigned char *found;    /* keywords present in the current file */
	struct kw_hits hits;     /* where they are */
	unsigned char *hold;     /* per requiring rule: its facts hold here */
	struct pyo_arena *arena; /* pyo_detector_set_arena() */
	pyo_light_cb is_light;   /* pyo_detector_set_light() */
	pyo_intern_cb intern;
	void *light_payload;
	unsigned char *light;    /* per rule, this file: 0 not asked, 1 whole,
	                          * 2 light */
	const char *light_lang;  /* the interned language of this file */
	unsigned char *per_rule; /* per rule, this file: findings added */
	const struct drule **runnable; /* this file's rules whose keywords
	                                * occur */
	unsigned most;                 /* the highest of them */
};

/* One file being detected. */
struct ctx {
	struct pyo_detector *d;
	struct pyo_findings *out;
	const char *path, *data;
	size_t len;
	char language[32];
	enum pyo_scope scope;
	pyo_warn_cb warn;
	void *payload;
};

void detect_warnf(struct ctx *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* 0-based line index of byte `off` of the current file. */
size_t detect_line_of(struct pyo_detector *d, size_t off);
/* A finding of `r` at byte `off`, with a snippet of its line. */
int detect_add_finding(struct ctx *c,
                       const struct drule *r,
                       size_t off,
                       const char *detail,
                       enum pyo_where where);

/* Runs one regex rule over `subj`; one finding per line, at most N. */
int detect_run_regex(struct ctx *c,
                     const struct drule *r,
                     const char *subj,
                     size_t len);
/* The file's imports (into d->imps) and the findings of import rules. */
int detect_run_imports(
        struct ctx *c, unsigned bits, int is_go, const char *subj, size_t len);
/* Drops this file's findings (from `first`) whose "import:" facts fail. */
void detect_apply_requires(struct ctx *c, size_t first, unsigned bits);

#endif
