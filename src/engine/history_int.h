/*
 * history_int.h: what the history files share (history_walk.c lists the
 * commits and runs the workers, history_diff.c lists a commit's changed
 * paths, history_stats.c keeps the per-worker totals and turns them into
 * the public struct pyo_history). Uses libgit2, like history.c.
 */
#ifndef PYORGO_HISTORY_INT_H
#define PYORGO_HISTORY_INT_H

#include <git2.h>
#include <pthread.h>
#include <stdint.h>

#include "pyorgo/classify.h"
#include "pyorgo/history.h"
#include "buf.h"
#include "strmap.h"

/* One changed-files count of one commit, by language. */
struct lang_touch {
	const struct pyo_language *lang;
	uint64_t touches;
};

/* An author's commits in one language and quarter. */
struct hq {
	int64_t q; /* year * 4 + quarter - 1 */
	uint64_t commits, touches;
};

struct hal {
	const struct pyo_language *lang;
	uint64_t commits, touches;
	int64_t last_time;
	struct hq *qs; /* ascending q */
	size_t nr, alloc;
};

struct hauthor {
	char *key, *name, *email;
	int64_t name_time; /* date of the commit that gave name/email */
	uint64_t commits;
	int64_t first_time, last_time;
	int is_bot;
	struct hal *langs;
	size_t nr, alloc;
};

/* One worker's totals; merged at the end (all sums, so order-free). */
struct hagg {
	struct pyo_strmap authors; /* key -> struct hauthor * */
	uint64_t attributed, unattributed, missing_objects;
	uint64_t changed_paths;
	int64_t first_time, last_time;
	int has_time;
};

/* Records one attributed commit. Returns 0 or PYO_ERROR (OOM). */
int hagg_commit(struct hagg *a,
                const char *name,
                const char *email,
                int64_t time,
                const struct lang_touch *t,
                size_t nr);
/* Moves everything of `src` into `dst`; `src` is left empty. */
int hagg_merge(struct hagg *dst, struct hagg *src);
void hagg_release(struct hagg *a);
/* Fills the public fields of `h` from `a` (h->ref_time must be set). */
int hagg_finish(struct pyo_history *h, const struct hagg *a);

/* 1 for a bot identity (dependabot, renovate, "... [bot]", ...). */
int history_is_bot(const char *name, const char *email);
/* Calendar quarter index of a unix time, UTC (clamped to years 0-9999). */
int64_t history_quarter(int64_t t);
void history_quarter_format(char *buf, size_t size, int64_t q);

/*
 * Raw trees recently read, per worker: a commit's trees are read again as
 * the old side of the next commit, so a small cache by id halves the
 * reads. It sits in front of the pack reader (pack.h), whose own cache is
 * by pack offset: this one saves the index search, and keeps loose trees,
 * which the reader reads through libgit2 and does not keep.
 */
struct hdiff_cache;
struct pyo_repo;
int hdiff_cache_new(struct hdiff_cache **out, struct pyo_repo *repo);
void hdiff_cache_free(struct hdiff_cache *c);

/* Called for each changed path (NUL-terminated; `len` bytes). Non-zero
 * stops the diff and is returned. */
typedef int (*hdiff_cb)(void *payload, const char *path, size_t len);

/*
 * Name-only diff of two trees (either may be NULL: empty tree), skipping
 * subtrees with equal ids, in git's tree order. Returns 0, the callback's
 * value, or a negative libgit2 code (GIT_ENOTFOUND: a tree is missing).
 */
int hdiff_trees(struct hdiff_cache *cache,
                const git_oid *old_tree,
                const git_oid *new_tree,
                hdiff_cb cb,
                void *payload);

/* ---- history_work.c: the queue between the walk and the workers ---- */

#define HWORK_BATCH 128
#define HWORK_QUEUE_MAX 16

struct pyo_repo;
struct pyo_mailmap;

struct item {
	git_oid tree, parent_tree;
	int has_parent;     /* else a root commit: diffed against nothing */
	int64_t time;       /* author date */
	size_t name, email; /* offsets into the batch's strings */
};

struct batch {
	struct item items[HWORK_BATCH];
	size_t nr;
	struct pyo_buf strs;
	struct batch *next;
};

struct worker;

struct queue {
	/* inline mode (a worker process): batches are worked on the walking
	 * thread, only those of share k of n (by batch number) */
	struct worker *inline_w;
	size_t share_k, share_n, nr_batches;
	int feed_fd; /* > 0: batches of other shares are written here */
	pthread_mutex_t mu;
	pthread_cond_t can_pop, can_push;
	struct batch *head, *tail, *spare;
	size_t nr;
	int closed, failed;
};

struct worker {
	pthread_t thread;
	int started;
	struct queue *q;
	struct pyo_repo *repo;
	const struct pyo_rules *rules;
	const struct pyo_mailmap *mm;
	struct hdiff_cache *trees;
	struct hagg agg;
	struct pyo_strmap langs; /* path -> language, or &not_counted */
	struct lang_touch *cur;
	size_t nr_cur, alloc_cur;
	int oom;
	char error[256];
};

/* An empty batch (reused when possible); NULL on OOM. */
struct batch *hwork_batch_get(struct queue *q);
/* Hands a full batch to the workers (waits while the queue is full). */
void hwork_push(struct queue *q, struct batch *b);
void hwork_batch_list_free(struct batch *b);
/* Diffs and records every commit of a batch (the calling thread). */
void hwork_run_batch(struct worker *w, struct batch *b);
/* Writes / reads one batch on a pipe between worker processes; read
 * returns 1 for a batch, 0 at the end, < 0 on error. */
int hwork_batch_write(int fd, const struct batch *b);
int hwork_batch_read(int fd, struct batch *b);
int hwork_start(struct worker *ws,
                size_t n,
                struct queue *q,
                struct pyo_repo *repo,
                const struct pyo_rules *rules,
                const struct pyo_mailmap *mm);
/* Closes the queue, joins the workers, merges their totals into ws[0]. */
int hwork_stop(struct worker *ws, size_t n, struct queue *q);

/* history_walk.c: the walk, in threads or as share k of n (a worker
 * process: counters in *out, unfinished totals in *agg_out). */
int history_walk(struct pyo_history **out,
                 struct hagg *agg_out,
                 struct pyo_repo *repo,
                 const struct pyo_rules *rules,
                 const struct pyo_history_options *opts,
                 size_t share_k,
                 size_t share_n,
                 int feed_fd,
                 pyo_warn_cb warn,
                 void *warn_payload);
/* A worker process without a walk: diffs the batches read from `fd`
 * (written by the walking process) into *agg_out. */
int history_work_fd(struct hagg *agg_out,
                    struct pyo_repo *repo,
                    const struct pyo_rules *rules,
                    int fd);
void history_warn_missing(struct pyo_history *h,
                          pyo_warn_cb warn,
                          void *payload);
/* 1 once a worker failed (out of memory). */
int hwork_failed(struct queue *q);

#endif
