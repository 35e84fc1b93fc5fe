/*
 * repo.h: opening a repository read-only and resolving a revision. One of
 * the three files that use libgit2 (with walk.c and history.c); its
 * objects stay inside the engine.
 */
#ifndef PYORGO_REPO_H
#define PYORGO_REPO_H

#include <git2.h>

#include "pyorgo/common.h"
#include <stdint.h>

struct pyo_repo {
	git_repository *git;
	git_odb *odb;
	char *path;    /* as given */
	char *git_dir; /* resolved */
	int is_bare, is_shallow;
	git_oid commit_id; /* resolved REV */
	git_oid tree_id;
	int64_t commit_time;
	/* when set, blobs are read through it (pyo_blob_read): the pack
	 * reader keeps delta results, so the two sides of a changed file
	 * share their chain's work; pyo_repo_free() frees it */
	struct pyo_reader *blob_reader;
};

/*
 * Opens `path` (work tree, folder inside one, .git dir, bare repo) and
 * resolves `rev` (NULL: HEAD). Parent folders are searched up to
 * GIT_CEILING_DIRECTORIES unless PYO_REPO_NO_SEARCH. Never writes to the
 * repository and reads no user or system git config. Errors: PYO_ENOTFOUND (not
 * a repository, unknown revision), PYO_EUNBORN (no commits), PYO_EREPO.
 */
enum pyo_repo_flags {
	PYO_REPO_ALLOW_FOREIGN_OWNER = 1 << 0, /* skip owner validation */
	PYO_REPO_NO_SEARCH = 1 << 1, /* `path` itself, not a parent folder */
};

int pyo_repo_open(struct pyo_repo **out,
                  const char *path,
                  const char *rev,
                  unsigned flags);
/* A second handle on the same repository and commit, for another thread. */
int pyo_repo_reopen(struct pyo_repo **out, const struct pyo_repo *src);
void pyo_repo_free(struct pyo_repo *repo);

/* Reads the blob `path` at the resolved commit: malloc'ed, NUL-terminated.
 * PYO_ENOTFOUND when absent or missing. */
int pyo_repo_read_path(char **data,
                       size_t *len,
                       struct pyo_repo *repo,
                       const char *path,
                       uint64_t max_size);

/* Message of the last libgit2 error on this thread (never NULL). */
const char *pyo_git_errmsg(void);

/* Process-wide libgit2 set-up (search paths isolated, no strict hash
 * verification); called by pyo_global_init(). */
int pyo_repo_global_init(void);

#endif
