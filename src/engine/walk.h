/*
 * walk.h: the HEAD tree walk. Lists every entry of the tree at REV with
 * its size (from object headers, without inflating), reads blob content on
 * demand, and answers .gitattributes questions at REV. libgit2 types stay
 * inside walk.c.
 */
#ifndef PYORGO_WALK_H
#define PYORGO_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/classify.h"
#include "pyorgo/common.h"

struct pyo_repo;

enum pyo_entry_kind {
	PYO_ENTRY_BLOB,
	PYO_ENTRY_SYMLINK,
	PYO_ENTRY_SUBMODULE,
};

struct pyo_entry {
	char *path;
	unsigned char oid[20];
	enum pyo_entry_kind kind;
	int is_missing; /* object not in the repository */
	uint64_t size;
};

struct pyo_tree_list {
	struct pyo_entry *items;
	size_t nr, alloc;
	int has_linguist_attrs;     /* some .gitattributes sets linguist- */
	struct pyo_gitattrs *attrs; /* those rules, or NULL */
	size_t nr_missing_trees;
};

enum pyo_walk_flags {
	/* leave sizes unknown (PYO_SIZE_UNKNOWN); read them with
	 * pyo_entry_size() for the entries that need one */
	PYO_WALK_NO_SIZES = 1 << 0,
};

#define PYO_SIZE_UNKNOWN UINT64_MAX

/* Lists the tree at repo->tree_id. Missing subtrees are counted. */
int pyo_walk_tree(struct pyo_tree_list *out,
                  struct pyo_repo *repo,
                  unsigned flags,
                  pyo_warn_cb warn,
                  void *payload);
struct pyo_reader;

/*
 * The size of a blob entry listed with PYO_WALK_NO_SIZES (0 if missing;
 * marks it missing). From its pack entry when `reader` (may be NULL)
 * knows it: libgit2's header read walks a delta's chain down to its base
 * for the type, under the pack lock; else from libgit2. `*probe` (may be
 * NULL) is set after a miss and makes later calls check existence first:
 * a miss rescans the pack folder.
 */
uint64_t pyo_entry_size(struct pyo_repo *repo,
                        struct pyo_reader *reader,
                        struct pyo_entry *e,
                        int *probe);
void pyo_tree_list_clear(struct pyo_tree_list *list);

/* Content of one blob, held until pyo_blob_release(). */
struct pyo_blob {
	const char *data;
	size_t len;
	void *obj;   /* the git_odb_object, or the pack reader's object */
	int is_pack; /* obj is a struct pyo_obj */
};

/* PYO_ENOTFOUND when the object is missing. */
int pyo_blob_read(struct pyo_blob *out,
                  struct pyo_repo *repo,
                  const struct pyo_entry *e);
void pyo_blob_release(struct pyo_blob *b);

/*
 * linguist-* attributes of `path` at REV, from the committed .gitattributes
 * files the walk found. `lang_buf` holds the linguist-language value that
 * out->language points to.
 */
void pyo_walk_attrs(struct pyo_attrs *out,
                    char *lang_buf,
                    size_t lang_size,
                    const struct pyo_tree_list *tree,
                    const char *path);

#endif
