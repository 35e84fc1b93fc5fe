/*
 * scan.h: one repository through the whole pipeline
 * (open -> walk -> classify -> analyze -> history -> signals -> decide).
 * Reentrant: batch mode runs many scans at once, one per worker.
 */
#ifndef PYORGO_SCAN_H
#define PYORGO_SCAN_H

#include <stdint.h>

#include "pyorgo/needs.h"
#include "pyorgo/report.h"
#include "pyorgo/rules.h"

#define PYO_FINDINGS_PER_RULE 200

struct pyo_scan_options {
	const char *path; /* work tree, folder inside one, .git or bare dir */
	const char *rev;  /* NULL: HEAD */
	const struct pyo_rules *rules; /* required; shared read-only */

	int no_history;
	int no_detect;        /* no source detectors (manifests still count) */
	int list_files;       /* report every file and what became of it */
	int64_t since;        /* unix time; 0: no bound */
	uint64_t max_commits; /* 0: no bound */
	int first_parent;

	int allow_foreign_owner; /* skip libgit2's owner validation */
	int no_search; /* `path` must be the repository: no parent search */
	int threads;   /* 0: all cores */
	uint64_t max_blob_size; /* bigger blobs are counted by size only */
	/* findings listed per rule (the rest are counted); 0: the default
	 * PYO_FINDINGS_PER_RULE, UINT64_MAX: all */
	uint64_t max_findings;

	struct pyo_needs needs;  /* declared by flags */
	const char *config_path; /* NULL: .pyorgo.json at REV, if any */
	int no_config;
};

/* Library set-up, once per process before any thread starts. */
int pyo_global_init(void);
void pyo_global_shutdown(void);

/*
 * Scans one repository. On success `*out` is a finished report (free with
 * pyo_report_free()). On failure returns PYO_ENOTFOUND (no repository or
 * revision), PYO_EUNBORN (no commits), PYO_EREPO (unreadable), PYO_EINVALID
 * (bad options or config) or PYO_ERROR, with the message in
 * pyo_error_last(), and `*out` is NULL.
 */
int pyo_scan(struct pyo_report **out, const struct pyo_scan_options *opts);

#endif
