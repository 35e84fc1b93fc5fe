/*
 * history.h: the history stage of the pipeline. Walks the commits reachable
 * from REV, lists the paths each one changed, classifies them with the same
 * rules as the HEAD scan and attributes them to the author (after .mailmap
 * at REV). The result says who writes which language, how the mix moves
 * and how big the active team is. Every measure is defined in
 * docs/history.md.
 */
#ifndef PYORGO_HISTORY_H
#define PYORGO_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/common.h"
#include "pyorgo/report.h"
#include "pyorgo/rules.h"

struct pyo_repo; /* src/engine/repo.h */

struct pyo_history_options {
	int64_t since;        /* unix time, 0 none */
	uint64_t max_commits; /* 0 none */
	int first_parent;
	int threads; /* workers, 0 = 2 */
};

/* "2026-Q3": quarters are calendar quarters of the author date, in UTC. */
#define PYO_QUARTER_LABEL_SIZE 12

struct pyo_history_quarter {
	char label[PYO_QUARTER_LABEL_SIZE];
	uint64_t commits; /* commits touching the language in the quarter */
	uint64_t authors; /* distinct human authors among them */
	uint64_t touches; /* changed files of the language */
};

struct pyo_history_lang {
	char *name; /* Linguist's name: "Python", "Go" */
	uint64_t commits, authors, touches;
	/* fewest authors whose commits cover half the language's commits */
	uint64_t bus_factor;
	uint64_t active_90d, active_12m; /* authors who touched it then */
	int64_t last_time;
	struct pyo_history_quarter *quarters; /* ascending, only non-empty */
	size_t nr_quarters;
};

struct pyo_history_author_lang {
	char *name;
	uint64_t commits, touches;
	int64_t last_time;
};

struct pyo_history_author {
	char *key;   /* mapped email, lower-cased ("name:<name>" when empty) */
	char *name;  /* mapped name of the author's most recent commit */
	char *email; /* mapped email as written in that commit */
	uint64_t commits;
	int64_t first_time, last_time;
	int is_bot;
	struct pyo_history_author_lang *langs; /* by commits, then name */
	size_t nr_langs;
};

/* Human authors with a commit in the window (days before REV's date). */
struct pyo_history_window {
	unsigned days; /* 90 or 365 */
	uint64_t active;
	uint64_t python_only, go_only, both, neither; /* split of `active` */
};

#define PYO_TREND_QUARTERS 8

struct pyo_history_trend_point {
	char label[PYO_QUARTER_LABEL_SIZE];
	uint64_t touches, python, go;
	double python_share, go_share; /* percent of touches; 0 if none */
};

struct pyo_history_trend {
	struct pyo_history_trend_point points[PYO_TREND_QUARTERS]; /* oldest
	                                                               first */
	size_t quarters_with_data;
	double python_slope, go_slope; /* points of share per quarter */
	const char *python_direction;  /* "rising", "falling", "flat",
	                                  "unknown" (fewer than 2 quarters) */
	const char *go_direction;
	double python_share, go_share; /* over the eight quarters */
};

struct pyo_history {
	uint64_t commits;          /* commits walked (merges, bots included) */
	uint64_t merges;           /* commits with 2+ parents */
	uint64_t bot_commits;      /* attributed to bots, counted apart */
	uint64_t attributed;       /* non-merge commits whose changes count */
	uint64_t boundary_commits; /* shallow boundary: not attributed */
	uint64_t unattributed;     /* changes unreadable (missing object) */
	uint64_t missing_objects;  /* failed object reads */
	uint64_t changed_paths;    /* paths listed by the tree diffs */
	uint64_t humans, bots;     /* distinct identities after .mailmap */
	int is_shallow;
	int truncated; /* stopped by since / max_commits */
	int first_parent;
	int has_mailmap; /* .mailmap found at REV */
	uint64_t mailmap_entries;
	int64_t ref_time; /* REV's commit time: the windows end there */
	int64_t first_time, last_time; /* author dates seen (0 if none) */

	struct pyo_history_lang *langs; /* by commits, then name */
	size_t nr_langs;
	struct pyo_history_author *authors; /* humans then bots, by commits,
	                                       then key */
	size_t nr_authors;
	struct pyo_history_window window_90d, window_12m;
	struct pyo_history_trend trend;
};

/*
 * Walks history from repo->commit_id. `ref_time` is REV's commit time:
 * "last 90 days" etc. are measured back from it (never from now, so
 * results are reproducible). Missing objects and shallow boundaries are
 * counted and reported, never fatal. Caller frees `*out` with
 * pyo_history_free(). Returns 0, or PYO_ERROR (out of memory, threads).
 */
int pyo_history_walk(struct pyo_history **out,
                     struct pyo_repo *repo,
                     const struct pyo_rules *rules,
                     const struct pyo_history_options *opts,
                     pyo_warn_cb warn,
                     void *warn_payload);
void pyo_history_free(struct pyo_history *h);

/* Adds team.* / trend.* / history.* signals (docs/history.md) to `out`. */
int pyo_history_signals(struct pyo_signals *out, const struct pyo_history *h);

/* The language entry named `name`, or NULL. Borrowed. */
const struct pyo_history_lang *pyo_history_lang(const struct pyo_history *h,
                                                const char *name);

/* Formats a unix time's quarter ("2026-Q3", UTC) into `buf`. */
void pyo_history_quarter_label(char *buf, size_t size, int64_t t);

/*
 * The walk in two worker processes, beside the caller's own work: libgit2
 * 1.5 reads packs under one process-wide lock, so only processes read
 * them in parallel. Call pyo_history_start() before the calling process
 * starts any thread (it forks), do other work, then pyo_history_finish().
 * With opts->threads == 1 (or one core) nothing is forked and finish()
 * walks in this process. `repo` and `rules` must outlive the job.
 */
struct pyo_history_job;
struct pyo_repo;
int pyo_history_start(struct pyo_history_job **out,
                      struct pyo_repo *repo,
                      const struct pyo_rules *rules,
                      const struct pyo_history_options *opts);
/* Same result as pyo_history_walk(); falls back to it if a worker fails. */
int pyo_history_finish(struct pyo_history **out,
                       struct pyo_history_job *job,
                       pyo_warn_cb warn,
                       void *warn_payload);
void pyo_history_job_free(struct pyo_history_job *job);

#endif
