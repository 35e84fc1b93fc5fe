/*
 * sections.h: pieces of a report that several writers share, one file per
 * part of the report (sec_<part>.c). Writers only format: every value they
 * print is in the report.
 */
#ifndef PYORGO_SECTIONS_H
#define PYORGO_SECTIONS_H

#include <stdio.h>

#include "pyorgo/report.h"
#include "jsonw.h"

/* How text output may be decorated. */
struct pyo_text_style {
	int color; /* ANSI colours (a terminal, no NO_COLOR, no --no-color) */
	int width; /* columns; 80 */
};

const char *pyo_style_bold(const struct pyo_text_style *st);
const char *pyo_style_dim(const struct pyo_text_style *st);
const char *pyo_style_green(const struct pyo_text_style *st);
const char *pyo_style_yellow(const struct pyo_text_style *st);
const char *pyo_style_red(const struct pyo_text_style *st);
const char *pyo_style_reset(const struct pyo_text_style *st);

/* fmt_json.c: one report as a JSON document (compact unless `pretty`). */
void pyo_json_report(FILE *out,
                     const struct pyo_report *r,
                     int pretty,
                     int timings);

/* One finding as a JSON object (fmt_json.c). */
void pyo_json_finding(struct pyo_jsonw *w, const struct pyo_finding *f);

/* sec_check.c: a `pyorgo check` report (report->check is set). */
struct pyo_check;
void pyo_text_check(FILE *out, const struct pyo_check *c);
void pyo_json_check(FILE *out, const struct pyo_check *c, int timings);

/* sec_history.c: the "history" object, and its text section. */
void pyo_json_history(struct pyo_jsonw *w, const struct pyo_history *h);
void pyo_text_history(FILE *out,
                      const struct pyo_report *r,
                      const struct pyo_text_style *st);
void pyo_markdown_history(FILE *out, const struct pyo_report *r);

/* sec_verdict.c: the "verdict" object, and its text/markdown sections
 * (the text report opens with the recommendation). */
void pyo_json_verdict(struct pyo_jsonw *w, const struct pyo_verdict *v);
void pyo_text_verdict(FILE *out,
                      const struct pyo_report *r,
                      const struct pyo_text_style *st);
void pyo_markdown_verdict(FILE *out, const struct pyo_report *r);

#endif
