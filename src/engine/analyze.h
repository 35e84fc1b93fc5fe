/*
 * analyze.h: one file of a tree through classify, manifests and detectors,
 * reading its blob at most once. The HEAD scan (scan_analyze.c) and the
 * change check (check.c) both use it; each decides what to count.
 */
#ifndef PYORGO_ANALYZE_H
#define PYORGO_ANALYZE_H

#include "pyorgo/classify.h"
#include "pyorgo/detect.h"
#include "pyorgo/manifest.h"
#include "walk.h"

struct pyo_repo;

/* Where the analysis of files goes; set once per worker. */
struct pyo_analysis {
	const struct pyo_rules *rules;
	struct pyo_repo *repo;
	struct pyo_detector *det;
	uint64_t max_blob;
	struct pyo_findings *findings;
	struct pyo_deps *deps;
	/* when set, the lines of each counted file are counted here (in
	 * pyo_analyzed.lines), their starts kept in it for the detectors */
	struct pyo_line_index *lines;
	pyo_warn_cb warn; /* payload: the struct pyo_analyzed of the file */
	pyo_manifest_read_cb read;
	void *payload; /* the caller's, for warn and read */
};

enum pyo_analyzed_status {
	PYO_AN_EXCLUDED,  /* left out (cls.exclude, or no language) */
	PYO_AN_TOO_LARGE, /* over max_blob: classified by path only */
	PYO_AN_MISSING,   /* the object could not be read */
	PYO_AN_COUNTED,   /* in the figures; `text` was detected */
};

/* What one file turned out to be. Release with pyo_analyzed_release(). */
struct pyo_analyzed {
	const char *path;
	void *payload; /* pyo_analysis.payload, for the callbacks */
	struct pyo_class cls;
	enum pyo_analyzed_status status;
	int was_read;
	uint64_t bytes;   /* bytes to count: a notebook's code cells */
	const char *text; /* what the detectors saw (NULL unless read) */
	size_t len;
	size_t first_finding; /* this file's findings start here */
	int counted;          /* `lines` holds the text's line counts */
	struct pyo_line_counts lines;
	struct pyo_blob blob;
	char *nb_code;
};

/*
 * Analyses one blob entry (`attrs` may be NULL). Findings and dependencies
 * go to the lists of `a`. Returns 0, or a negative code on a failure that
 * is not about the file's content (out of memory).
 */
int pyo_analyze_file(struct pyo_analyzed *out,
                     const struct pyo_analysis *a,
                     const struct pyo_entry *e,
                     const struct pyo_attrs *attrs);
void pyo_analyzed_release(struct pyo_analyzed *out);

#endif
