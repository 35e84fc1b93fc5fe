/*
 * writer.h: report formats. A writer formats finished reports; it never
 * analyses. One writer per format (fmt_<name>.c); batch mode calls `add`
 * once per repository.
 */
#ifndef PYORGO_WRITER_H
#define PYORGO_WRITER_H

#include <stdio.h>

#include "pyorgo/report.h"
#include "sections.h"

struct pyo_writer_options {
	struct pyo_text_style style;
	int lines;      /* JSON Lines: one compact document per report */
	int verbose;    /* text: every finding, not only the first few */
	int no_timings; /* leave wall-clock figures out: byte-identical runs */
	const char *tool_version;
};

struct pyo_writer {
	const char *name; /* value of --format */
	const char *description;
	int (*begin)(void **state,
	             FILE *out,
	             const struct pyo_writer_options *opts);
	int (*add)(void *state, const struct pyo_report *report);
	int (*end)(void *state); /* flushes and frees `state` */
};

/* NULL when no writer has that name. */
const struct pyo_writer *pyo_writer_find(const char *name);
/* "text, json, markdown, ..." for help and errors. */
const char *pyo_writer_names(void);

extern const struct pyo_writer pyo_writer_text;
extern const struct pyo_writer pyo_writer_json;
extern const struct pyo_writer pyo_writer_markdown;
extern const struct pyo_writer pyo_writer_sarif;
extern const struct pyo_writer pyo_writer_github;
extern const struct pyo_writer pyo_writer_gitlab;

#endif
