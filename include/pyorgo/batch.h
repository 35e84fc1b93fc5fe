/*
 * batch.h: many repositories, one worker process each, N at a time. A
 * repository that fails or crashes becomes an error record and the rest go
 * on. --shard K/N splits a batch deterministically across machines.
 */
#ifndef PYORGO_BATCH_H
#define PYORGO_BATCH_H

#include <stdio.h>

#include "pyorgo/report.h"
#include "pyorgo/scan.h"

/* Writes one finished report (or error record) to `out`, in a worker. */
typedef int (*pyo_batch_emit_cb)(FILE *out,
                                 const struct pyo_report *report,
                                 void *payload);
/* Progress: one call per repository done (parent process). */
typedef void (*pyo_batch_progress_cb)(
        size_t done, size_t total, const char *path, int failed, void *payload);

struct pyo_batch_options {
	struct pyo_scan_options scan; /* path is set per repository */
	int jobs;                     /* worker processes; 0: all cores */
	unsigned shard_k, shard_n;    /* 1-based shard K of N; 0: all */
	unsigned timeout_s;           /* per repository; 0: none */
	pyo_batch_progress_cb progress;
	void *progress_payload;
};

struct pyo_batch_stats {
	size_t total, scanned, failed;
};

/*
 * Repositories to scan from `source`: a folder (each child folder that is a
 * repository: work tree, .git or bare; searched two levels deep), a file
 * listing one path per line (# comments), or "-" for standard input.
 * Sorted; free with pyo_batch_paths_free().
 */
int pyo_batch_paths(char ***out, size_t *nr, const char *source);
void pyo_batch_paths_free(char **paths, size_t nr);

/* Keeps the paths of shard K of N (every N-th, from K-1). */
void pyo_batch_shard(char **paths, size_t *nr, unsigned k, unsigned n);

/*
 * Scans every path in its own worker process and writes the records to
 * `out` in input order (deterministic, whatever finishes first).
 */
int pyo_batch_run(struct pyo_batch_stats *stats,
                  const struct pyo_batch_options *opts,
                  char **paths,
                  size_t nr,
                  FILE *out,
                  pyo_batch_emit_cb emit,
                  void *payload);

#endif
