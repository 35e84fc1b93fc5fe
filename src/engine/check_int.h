/*
 * check_int.h: the stages of `pyorgo check` after the changed blobs are
 * read: compare the evidence of both sides (check_compare.c), decide the
 * verdict of each side (check_signals.c), apply the policy
 * (check_policy.c).
 */
#ifndef PYORGO_CHECK_INT_H
#define PYORGO_CHECK_INT_H

#include "pyorgo/check.h"
#include "pyorgo/config.h"
#include "walk_diff.h"

struct pyo_detector;

struct side_state {
	struct pyo_findings findings;
	struct pyo_deps deps;
};

struct check_ctx {
	struct pyo_check *check;
	const struct pyo_rules *rules;
	struct pyo_repo *repo; /* at the head commit (HEAD for --staged) */
	struct pyo_detector *det;
	struct pyo_config *config; /* NULL without a policy */
	uint64_t max_blob;
	int has_head_tree;
	int side; /* 0: base, 1: head */
	struct side_state sides[2];
	struct pyo_tree_list staged; /* --staged: every file of the index */
	size_t suppressed[2];
	size_t blobs_read;
	struct mix_job *mix; /* --base: the head's mix, computed beside */
};

/* --base: starts computing the head's language mix on another thread
 * (its own repository handle) while the changed files are read. */
int check_mix_start(struct check_ctx *x);
/* Waits for it (if started) and frees it. */
void check_mix_release(struct check_ctx *x);

/* Moves the head findings into the report, marks the added ones and
 * copies the removed ones. */
int check_compare(struct check_ctx *x);
/* The verdict of each side. */
int check_decide(struct check_ctx *x,
                 const struct pyo_check_options *o,
                 const struct pyo_change_list *changes);
/* Contradictions, flips and new hard constraints against the policy. */
int check_policy(struct check_ctx *x);

/* "python", "go" or "none": which language a detector rule's evidence
 * favours; NULL when no rule has that id. */
const char *check_rule_favours(const struct pyo_rules *rules, const char *id);

/* 1 when line `line` of `data`, or the line above, carries
 * `pyorgo: ignore` or `pyorgo: ignore[id, ...]` naming `rule_id`. */
int pyo_check_suppressed(const char *data,
                         size_t len,
                         unsigned line,
                         const char *rule_id);

#endif
