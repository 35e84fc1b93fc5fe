/*
 * walk_diff.h: the paths a change touches, for `pyorgo check`. Compares
 * two trees (skipping subtrees whose ids are equal, so the cost follows
 * the size of the change, not of the repository) or the index against the
 * tree at HEAD (by blob id; the work tree is never read). libgit2 types
 * stay inside walk_diff.c.
 */
#ifndef PYORGO_WALK_DIFF_H
#define PYORGO_WALK_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/common.h"
#include "walk.h"

struct pyo_repo;

/* One side of a changed path; `present` is 0 when the path is absent. */
struct pyo_side {
	int present;
	struct pyo_entry entry; /* entry.path aliases the change's path */
};

struct pyo_change {
	char *path;
	char status; /* 'A' added, 'D' deleted, 'M' modified or type change */
	int is_conflict; /* index: unmerged; stage 2 ("ours") is used */
	struct pyo_side old_side, new_side;
};

struct pyo_change_list {
	struct pyo_change *items; /* sorted by path */
	size_t nr, alloc;
	size_t nr_conflicts;
};

void pyo_change_list_clear(struct pyo_change_list *list);

/* Resolves `rev` to a commit and its tree (20-byte ids). PYO_ENOTFOUND
 * when it does not name a commit. */
int pyo_walk_resolve(unsigned char commit[20],
                     unsigned char tree[20],
                     struct pyo_repo *repo,
                     const char *rev);

/* The merge base of two commits, like `git merge-base A B`: its commit
 * and tree. PYO_ENOTFOUND when they share no history. */
int pyo_walk_merge_base(unsigned char commit[20],
                        unsigned char tree[20],
                        struct pyo_repo *repo,
                        const unsigned char a[20],
                        const unsigned char b[20]);

/*
 * Lists the paths that differ between the trees `old_tree` (NULL: the
 * empty tree) and `new_tree`. Equal subtrees are skipped unread.
 */
int pyo_walk_diff_trees(struct pyo_change_list *out,
                        struct pyo_repo *repo,
                        const unsigned char *old_tree,
                        const unsigned char *new_tree);

/*
 * Lists the paths whose staged blob differs from the tree `head_tree`
 * (NULL: the empty tree, before the first commit). `index_path` NULL
 * means $GIT_INDEX_FILE, else <git dir>/index. Unmerged paths use stage 2
 * ("ours") and are counted in out->nr_conflicts; entries added with
 * `git add -N` are skipped. Sizes of both sides are filled. When `all` is
 * not NULL it receives every staged file (path, kind and the size the
 * index records; no object is read), for figures about the whole state.
 */
int pyo_walk_diff_index(struct pyo_change_list *out,
                        struct pyo_tree_list *all,
                        struct pyo_repo *repo,
                        const unsigned char *head_tree,
                        const char *index_path);

#endif
