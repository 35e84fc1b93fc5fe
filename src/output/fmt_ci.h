/*
 * fmt_ci.h: what the CI writers (fmt_github.c, fmt_markdown.c) share: the
 * Markdown body of a scan or a check, and GitHub's escaping.
 */
#ifndef PYORGO_FMT_CI_H
#define PYORGO_FMT_CI_H

#include <stdio.h>

#include "pyorgo/check.h"
#include "pyorgo/report.h"

/* fmt_markdown.c: the whole Markdown document (job summary, PR comment). */
void pyo_markdown_annotations(FILE *out,
                              const struct pyo_report *r,
                              const struct pyo_annotations *a);

/* fmt_github.c: escapes % \r \n (and : , when `is_property`). */
void pyo_github_escape(FILE *out, const char *s, int is_property);

#endif
