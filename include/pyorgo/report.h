/*
 * report.h: the finished result of one scan. The engine fills it; writers
 * (src/output) only read it. A value a writer needs belongs here.
 */
#ifndef PYORGO_REPORT_H
#define PYORGO_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/common.h"

#define PYO_SCHEMA_VERSION "1.0"

enum pyo_lang_type {
	PYO_LT_PROGRAMMING,
	PYO_LT_MARKUP,
	PYO_LT_DATA,
	PYO_LT_PROSE,
};

struct pyo_lang_stat {
	char *name; /* Linguist's name: "Python", "Go", "C++" */
	enum pyo_lang_type type;
	int in_share; /* counted in the share, as on GitHub's language bar */
	int has_line_kinds; /* comment syntax known: code/comment/blank valid */
	uint64_t files, bytes;
	uint64_t lines, code, comment, blank;
	double share; /* percent of the bytes counted in the share */
};

/* Why a file is left out of the language figures. */
enum pyo_exclude {
	PYO_EX_NONE,
	PYO_EX_VENDORED,
	PYO_EX_GENERATED,
	PYO_EX_DOCUMENTATION,
	PYO_EX_BINARY,
	PYO_EX_SYMLINK,
	PYO_EX_SUBMODULE,
	PYO_EX_UNKNOWN, /* no language recognised */
	PYO_EX_MISSING, /* object not in the repository */
	PYO_EX_COUNT
};

const char *pyo_exclude_name(enum pyo_exclude e); /* "vendored", ... */

struct pyo_exclusion {
	uint64_t files, bytes;
};

/* Where a file sits, for weighing its evidence. */
enum pyo_scope {
	PYO_SCOPE_SERVICE, /* the code that ships */
	PYO_SCOPE_TEST,
	PYO_SCOPE_EXAMPLE,
	PYO_SCOPE_DOCS,
	PYO_SCOPE_RESEARCH, /* notebooks, training and research scripts */
	PYO_SCOPE_COUNT
};

const char *pyo_scope_name(enum pyo_scope s); /* "service", "test", ... */

enum pyo_where {
	PYO_WHERE_MANIFEST,
	PYO_WHERE_IMPORT,
	PYO_WHERE_PATTERN,
	PYO_WHERE_HISTORY,
	PYO_WHERE_REPO, /* a fact about the repository as a whole */
};

const char *pyo_where_name(enum pyo_where w); /* "manifest", ... */

/* One piece of evidence: a rule that matched at a place. */
struct pyo_finding {
	char *rule_id;  /* "ml.torch" */
	char *category; /* "ml", "framework", "concurrency", "service" */
	char *signal;   /* what it feeds: "ml.native", "goroutine", ... */
	char *language; /* "python", "go", or NULL */
	double weight;
	char *path;
	unsigned line, column; /* 1-based; 0 when not about a line */
	char *snippet;         /* at most 120 bytes of the line, trimmed */
	char *detail;          /* the package or import name, or NULL */
	enum pyo_where where;
	enum pyo_scope scope;
	/* one block holding the strings above, NULL, PYO_FINDING_BORROWED:
	 * the strings belong to someone else (a scan's findings past the
	 * report's cap, counted in the summaries, gone before it returns),
	 * or PYO_FINDING_IN_REPORT: they are in blocks the report holds and
	 * frees with it (pyo_findings_add() copies them as it copies a
	 * finding's own block) */
	void *strings;
};

extern const char pyo_finding_borrowed, pyo_finding_in_report;
#define PYO_FINDING_BORROWED ((void *)(uintptr_t)&pyo_finding_borrowed)
#define PYO_FINDING_IN_REPORT ((void *)(uintptr_t)&pyo_finding_in_report)

struct pyo_findings {
	struct pyo_finding *items;
	size_t nr, alloc;
};

/* Copies every string of `f` (into one block: f->strings), unless its
 * strings are PYO_FINDING_BORROWED: then it is added as it is. */
int pyo_findings_add(struct pyo_findings *list, const struct pyo_finding *f);
void pyo_finding_release(struct pyo_finding *f);
void pyo_findings_clear(struct pyo_findings *list);
/* Sorts by path, line, column, rule id: deterministic output. */
void pyo_findings_sort(struct pyo_findings *list);
/*
 * Keeps, in order, the findings from index `from` on for which keep()
 * returns non-zero, and releases the others. Returns how many it dropped.
 */
size_t pyo_findings_filter(struct pyo_findings *list,
                           size_t from,
                           int (*keep)(const struct pyo_finding *f,
                                       void *payload),
                           void *payload);
/* Sorts the findings from index `from` on (one file's, as added). */
void pyo_findings_sort_from(struct pyo_findings *list, size_t from);
/* pyo_findings_sort() of a list whose first `sorted` are in order
 * already: they are not compared again. */
void pyo_findings_sort_after(struct pyo_findings *list, size_t sorted);

struct pyo_category_summary {
	char *category;
	size_t findings, files;
	size_t by_scope[PYO_SCOPE_COUNT];
};

/* One declared dependency, from a manifest. */
struct pyo_dep {
	char *ecosystem;  /* "pypi", "go", "npm", "cargo", "maven", "gem",
	                     "conda" */
	char *name;       /* normalized: PEP 503 for PyPI, module path for Go */
	char *constraint; /* "==2.1.0", ">=1.0,<2", "v1.9.1", or "" */
	char *group;      /* optional-dependency group / dev group, or NULL */
	char *manifest;   /* path of the manifest in the repository */
	unsigned line;
	int is_direct; /* declared, not only in a lock or marked indirect */
	int is_lock;   /* seen in a lock file (confirms only) */
};

struct pyo_deps {
	struct pyo_dep *items;
	size_t nr, alloc;
};

int pyo_deps_add(struct pyo_deps *list, const struct pyo_dep *d);
void pyo_dep_release(struct pyo_dep *d);
void pyo_deps_clear(struct pyo_deps *list);

/*
 * A named number the recommendation reads ("ml.native.service",
 * "team.python_active_12m", "declared.target_rps"), with where it came
 * from and the findings behind it (indices into report->findings).
 */
struct pyo_signal {
	char *name;
	double value;
	char *source; /* "detected", "history", "config", "flag" */
	size_t *findings;
	size_t nr_findings, alloc_findings;
};

struct pyo_signals {
	struct pyo_signal *items;
	size_t nr, alloc;
	void *index; /* name -> position, kept by report.c */
};

/* Sets (or adds to, when `add`) a signal; returns it, or NULL on OOM. */
struct pyo_signal *pyo_signals_set(struct pyo_signals *s,
                                   const char *name,
                                   double value,
                                   const char *source,
                                   int add);
const struct pyo_signal *pyo_signals_get(const struct pyo_signals *s,
                                         const char *name);
double pyo_signals_value(const struct pyo_signals *s, const char *name);
int pyo_signal_add_finding(struct pyo_signal *sig, size_t finding);
void pyo_signals_clear(struct pyo_signals *s);
void pyo_signals_sort(struct pyo_signals *s);

/* One file of the tree and what became of it (scan --files). */
struct pyo_file_rec {
	char *path;
	char *language;       /* NULL when none */
	const char *strategy; /* "extension", "gitattributes", ... (static) */
	enum pyo_exclude exclude;
	uint64_t bytes; /* counted bytes (a notebook's code cells) */
};

struct pyo_history; /* history.h */
struct pyo_verdict; /* recommend.h */
struct pyo_check;   /* check.h */

struct pyo_timings {
	double open_ms, walk_ms, analyze_ms, history_ms, decide_ms, total_ms;
};

struct pyo_arena;

struct pyo_report {
	char *repo_path; /* as given */
	char *git_dir;   /* resolved */
	char *rev;       /* as asked, "HEAD" by default */
	char commit[41]; /* resolved commit id */
	int64_t commit_time;
	int is_bare, is_shallow;

	struct pyo_lang_stat *langs; /* sorted by bytes, descending */
	size_t nr_langs;
	uint64_t total_files, total_bytes, share_bytes;
	struct pyo_exclusion excluded[PYO_EX_COUNT];
	char **submodules; /* paths */
	size_t nr_submodules;
	char **missing; /* paths of missing objects (first 100) */
	size_t nr_missing_listed;
	uint64_t nr_missing;
	uint64_t too_large; /* blobs counted by size only (not read) */

	struct pyo_deps deps;
	struct pyo_file_rec *files; /* sorted by path (scan --files) */
	size_t nr_files, alloc_files;
	int has_files; /* the list was asked for */
	struct pyo_findings findings;
	uint64_t findings_total;   /* matches found, before the caps */
	uint64_t findings_omitted; /* matches not listed in `findings` */
	struct pyo_category_summary *categories;
	size_t nr_categories;

	struct pyo_history *history; /* NULL with --no-history */
	struct pyo_signals signals;
	struct pyo_verdict *verdict; /* NULL when no guidance could apply */
	/* the change this report describes (pyorgo check), or NULL for a
	 * scan; borrowed: the check owns the report */
	const struct pyo_check *check;

	char **warnings;
	size_t nr_warnings, alloc_warnings;

	char *rules_version;
	struct pyo_timings timings;

	/* the blocks of the strings of findings marked PYO_FINDING_IN_REPORT
	 * (a scan's, pyo_scan()); NULL when none */
	struct pyo_arena *strings;

	/* In a batch, a failed repository is a report with only these. */
	int error_code; /* 0, or a PYO_E* code */
	char *error;
};

int pyo_report_new(struct pyo_report **out);
void pyo_report_free(struct pyo_report *r);
int pyo_report_warn(struct pyo_report *r, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

#endif
