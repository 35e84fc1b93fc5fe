/*
 * check.h: `pyorgo check`, the pipeline of a change. Lists the paths that
 * differ between two states (the index and HEAD, or the merge base of BASE
 * and HEAD), reads only those blobs on both sides, runs the same classify,
 * detect and manifest stages as a scan, and reports the evidence the
 * change adds or removes, whether the verdict moves, and which policy of
 * .pyorgo.json it breaks. The CI formats (SARIF, GitHub, GitLab, Markdown)
 * read the same result through pyo_annotations_build().
 */
#ifndef PYORGO_CHECK_H
#define PYORGO_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/needs.h"
#include "pyorgo/report.h"
#include "pyorgo/rules.h"

struct pyo_check_options {
	const char *path; /* work tree, folder inside one, .git or bare dir */
	int staged;       /* the index against HEAD */
	const char *base; /* else: from merge-base(base, head) ... */
	const char *head; /* ... to head (NULL: HEAD) */
	const char *index_path; /* NULL: $GIT_INDEX_FILE or <git dir>/index */
	const struct pyo_rules *rules; /* required */
	const char *config_path; /* NULL: .pyorgo.json of the head state */
	int no_config;
	int allow_foreign_owner;
	uint64_t max_blob_size; /* 0: 16 MiB */
	struct pyo_needs needs; /* declared by flags */
};

enum pyo_mark {
	PYO_MARK_ADDED = 1 << 0,       /* the change adds this evidence */
	PYO_MARK_CONTRADICTS = 1 << 1, /* favours the other language than the
	                                  declared one */
	PYO_MARK_VIOLATION = 1 << 2,   /* ... and breaks the policy */
};

/* A file the change touches. */
struct pyo_check_file {
	char *path;
	char status; /* 'A', 'D', 'M' */
	int is_conflict;
	size_t added, removed; /* evidence added and removed in this file */
};

enum pyo_violation_kind {
	PYO_VIOLATION_CONTRADICTION, /* evidence for the other language */
	PYO_VIOLATION_FLIP,          /* the verdict flips */
	PYO_VIOLATION_HARD,          /* a new hard constraint */
};

/* "contradiction", "flip", "hard-constraint" */
const char *pyo_violation_name(enum pyo_violation_kind k);

struct pyo_violation {
	enum pyo_violation_kind kind;
	char *message;  /* one line, names the file and the policy */
	char *path;     /* where to point; a real file of the head state */
	unsigned line;  /* 1 when about the file as a whole */
	char *rule_id;  /* the finding's rule, or the guidance factor */
	size_t finding; /* index into report->findings, or SIZE_MAX */
};

struct pyo_check {
	/*
	 * The head side as a report: identity of the head state, the
	 * evidence of the changed files at head (report->findings, sorted;
	 * marks[i] tells which ones the change adds) and the head
	 * verdict. Writers get this report; pyo_check_of() leads back here.
	 */
	struct pyo_report *report;
	unsigned char *marks;        /* PYO_MARK_* per report->findings */
	struct pyo_findings removed; /* evidence the change removes */
	size_t nr_added;

	struct pyo_check_file *files;
	size_t nr_files;
	size_t nr_conflicts;
	int is_staged;
	char *base_rev;       /* as given; "HEAD" for --staged */
	char base_commit[41]; /* the merge base, or HEAD for --staged */
	char *head_rev;       /* as given; "index" for --staged */

	struct pyo_verdict *base_verdict; /* NULL when no guidance */
	int verdict_moved; /* the choice differs between the two sides */
	char **new_hard;   /* titles of hard constraints the change adds */
	size_t nr_new_hard;

	char *config_name; /* the policy's file, or NULL without one */
	char *declared;    /* policy.language, or NULL */
	unsigned fail_on;  /* enum pyo_fail_on flags in effect */
	struct pyo_violation *violations;
	size_t nr_violations;
	size_t nr_suppressed; /* by `pyorgo: ignore` comments */
	size_t nr_allowed;    /* by policy.allow */
	double elapsed_ms;
};

/*
 * Runs a check. On success `*out` is finished (free with
 * pyo_check_free()); policy violations are in (*out)->violations, not an
 * error. Errors: PYO_EINVALID (options, policy), PYO_ENOTFOUND (no
 * repository or revision), PYO_EREPO, PYO_ERROR.
 */
int pyo_check_run(struct pyo_check **out, const struct pyo_check_options *o);
void pyo_check_free(struct pyo_check *c);

/* The check whose report `r` is, or NULL for a scan report. */
const struct pyo_check *pyo_check_of(const struct pyo_report *r);

/* ---- one list of results for the CI formats (check_view.c) ---- */

enum pyo_level {
	PYO_LEVEL_NOTE,
	PYO_LEVEL_WARNING,
	PYO_LEVEL_ERROR,
};

const char *pyo_level_name(enum pyo_level l); /* "note", ... */

/* What a result's rule is, for SARIF's tool.driver.rules. */
struct pyo_annotation_rule {
	char *id;
	char *name;        /* short title */
	char *description; /* one sentence */
	char *help;        /* what to do, Markdown-free text */
	enum pyo_level level;
};

struct pyo_annotation {
	char *rule_id;
	size_t rule_index; /* into annotations->rules */
	enum pyo_level level;
	char *title;   /* short: "ml.torch: evidence for Python" */
	char *message; /* one or two sentences */
	char *path;    /* repository-relative, a real file; NULL: none */
	unsigned line, column; /* 1-based; line 1 for a file as a whole */
	double weight;         /* ranks annotations when a format caps them */
	char fingerprint[17];  /* 16 hex digits: rule, path, content */
	int is_removed;        /* evidence the change removes (summary only) */
};

struct pyo_annotations {
	struct pyo_annotation *items; /* errors first, then by weight */
	size_t nr, alloc;
	struct pyo_annotation_rule *rules; /* unique ids, sorted */
	size_t nr_rules, alloc_rules;
	const struct pyo_check *check; /* NULL for a scan */
	char *headline;   /* one line: verdict, or what the change does */
	size_t counts[3]; /* per level, removed evidence left out */
};

/*
 * Builds the results of a scan report (every finding, hard constraints,
 * the verdict pinned to a manifest or its strongest evidence) or of a
 * check's report (added and removed evidence, policy violations, a moved
 * verdict). Release with pyo_annotations_release().
 */
int pyo_annotations_build(struct pyo_annotations *out,
                          const struct pyo_report *r);
void pyo_annotations_release(struct pyo_annotations *a);

/* 16 hex digits of FNV-1a over the parts ("rule", "path", "content"),
 * each followed by a NUL: stable across runs and line moves. */
void pyo_fingerprint(char out[17], const char *const *parts, size_t nr);

#endif
