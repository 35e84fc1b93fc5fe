/*
 * scan_int.h: the HEAD analysis stage of a scan (classify, count, detect,
 * parse manifests), run by one or more workers over the listed tree
 * (scan_analyze.c), and their parts put together (scan_merge.c).
 */
#ifndef PYORGO_SCAN_INT_H
#define PYORGO_SCAN_INT_H

#include <stdatomic.h>

#include "pyorgo/scan.h"
#include "arena.h"
#include "strmap.h"
#include "walk.h"

/* Where one chunk's findings and warnings start in a part. */
struct scan_seg {
	size_t chunk, finding, warning;
};

/* What one worker finds; merged into the report at the end. */
struct scan_part {
	struct pyo_strmap langs; /* name -> struct pyo_lang_stat * */
	struct pyo_exclusion excluded[PYO_EX_COUNT];
	struct pyo_findings findings;
	struct scan_seg *segs; /* its chunks, in chunk order */
	size_t nr_segs, alloc_segs;
	struct pyo_deps deps;
	struct pyo_file_rec *files;
	size_t nr_files, alloc_files;
	char **warnings;
	size_t nr_warnings, alloc_warnings, dropped_warnings;
	uint64_t too_large;
	uint64_t findings_dropped; /* over PYO_FINDINGS_PER_FILE */
	/* findings past the report's cap keep borrowed strings
	 * (scan_analyze.c): `pool` holds them and must outlive the findings */
	struct pyo_strmap pool;
	struct pyo_strmap per_rule; /* rule id -> kept, by scope class */
	struct pyo_strmap details;  /* "signal\x1fdetail" kept once */
	/* the strings of its whole findings (PYO_FINDING_IN_REPORT), moved
	 * into the report with them */
	struct pyo_arena strings;
	int error;
};

/*
 * The listed tree goes to the workers in chunks of this many entries,
 * each to the first worker free (a worker that met a 5 MB file does not
 * hold the others up at the end, as a fixed share did): small enough to
 * share the work evenly, and each worker's findings are then runs in
 * path order that the report puts back in chunk order, with no comparing
 * (a merge of the workers' findings, file by file, was a third of the
 * serial step). What the report says does not depend on which worker
 * took which chunk.
 */
#define SCAN_CHUNK 64

struct scan_queue {
	atomic_size_t next; /* the next chunk to hand out */
	size_t nr_chunks;
};

#define SCAN_KEPT_CACHE 64

struct scan_job {
	const struct pyo_scan_options *opts;
	struct pyo_repo *repo;      /* this worker's own handle */
	struct pyo_tree_list *tree; /* sizes of its own entries written */
	struct scan_queue *queue;
	struct scan_part part;
	/* part.per_rule's counters by rule id address (scan_analyze.c) */
	const char *kept_id[SCAN_KEPT_CACHE];
	const uint32_t *kept[SCAN_KEPT_CACHE];
};

/* Runs one worker's share of the HEAD analysis (a thread entry point). */
void *pyo_scan_analyze(void *job);
void pyo_scan_part_release(struct scan_part *p);
/* Adds `p` into the report's language table, exclusions and lists. */
int pyo_scan_part_merge(struct pyo_report *r,
                        struct pyo_strmap *langs,
                        struct scan_part *p);
/* Moves the findings and warnings of the `n` jobs into the report (which
 * has no findings yet: PYO_EINVALID), in chunk order. */
int pyo_scan_merge_findings(struct pyo_report *r,
                            struct scan_job *jobs,
                            size_t n);
/* Computes shares and the sorted language table from merged parts. */
int pyo_scan_finish_langs(struct pyo_report *r, struct pyo_strmap *langs);

#endif
