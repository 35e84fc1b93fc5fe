/*
 * detect_keys.h: compact keys of a report's findings for the summaries
 * (detect_signals.c): each finding's file run, signal and category as
 * small numbers, its scope and kind; built in one pass (two threads for
 * many findings), read instead of the findings themselves.
 */
#ifndef PYORGO_DETECT_KEYS_H
#define PYORGO_DETECT_KEYS_H

#include <stddef.h>

#include "pyorgo/report.h"
#include "strmap.h"

/*
 * Compact keys of the findings, built in one pass: the file run, the
 * signal and the category of each as small numbers. The summaries then
 * read these arrays and the findings' fixed fields, not the strings of a
 * few hundred thousand findings (one cache miss each, per pass).
 * Findings are sorted by path (pyo_findings_sort), so a file's findings
 * are neighbours: a run.
 */
struct fkeys {
	size_t *run_of;               /* first finding of its file's run */
	int *sig, *cat;               /* ids, -1 for none */
	unsigned char *scope, *where; /* the findings' own, near at hand */
	const char **sig_name, **cat_name;
	size_t nr_sig, nr_cat;
	struct pyo_strmap sig_ids, cat_ids;
};

/* Builds the keys of `fs` (sorted by path) into `k` (zeroed before). */
int fkeys_build(struct fkeys *k, const struct pyo_findings *fs);
void fkeys_clear(struct fkeys *k);
/* The id of signal `name` among the findings, or -1. */
int fkeys_sig_id(const struct fkeys *k, const char *name);
/* 1 when no finding of i's run before i has the same id in `ids`. */
int fkeys_first_in_run(const struct fkeys *k, const int *ids, size_t i);

#endif
