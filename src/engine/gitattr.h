/*
 * gitattr.h: the linguist-* attributes of the .gitattributes files
 * committed at REV, evaluated like git does (gitattributes(5)), without
 * libgit2: its per-path lookup stats the file system and re-reads its
 * cache, and cost half of a HEAD scan on a repository that uses them.
 */
#ifndef PYORGO_GITATTR_H
#define PYORGO_GITATTR_H

#include <stddef.h>

#include "pyorgo/classify.h"

struct pyo_gitattrs;

/* Adds the .gitattributes found in folder `dir` ("" for the root, else
 * "a/b/"). Lines without a linguist- attribute are skipped. */
int pyo_gitattrs_add(struct pyo_gitattrs **ga,
                     const char *dir,
                     const char *data,
                     size_t len);
/* Sorts the files by depth; call once after the last add. */
void pyo_gitattrs_finish(struct pyo_gitattrs *ga);
/* 1 when some rule sets a linguist- attribute. */
int pyo_gitattrs_any(const struct pyo_gitattrs *ga);
/* The linguist-* attributes of `path`; out->language points into
 * `lang_buf`. */
void pyo_gitattrs_lookup(struct pyo_attrs *out,
                         char *lang_buf,
                         size_t lang_size,
                         const struct pyo_gitattrs *ga,
                         const char *path);
void pyo_gitattrs_free(struct pyo_gitattrs *ga);

/* fnmatch with FNM_PATHNAME, plus git's "**" (exposed for tests). */
int pyo_gitattrs_glob(const char *pattern, const char *path);

#endif
