/*
 * history_diff.c: the changed paths of a commit. git_diff_tree_to_tree
 * expands every subtree of both trees in libgit2 1.5.1 (O(files) per
 * commit); this walk compares the two sorted entry lists and descends
 * only into subtrees whose ids differ (O(changed paths)), and gives the
 * same paths as `git log --no-renames --name-only`.
 */
#include <string.h>

#include "pyorgo/common.h"
#include "history_int.h"
#include "banned.h"

#define PATH_MAX_LEN 4096

struct tdiff {
	git_repository *repo;
	hdiff_cb cb;
	void *payload;
	char path[PATH_MAX_LEN];
};

static int is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/* git's canonical order: a tree sorts as if its name ended in '/' */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), l = la < lb ? la : lb;
	int c = memcmp(na, nb, l);
	unsigned ca, cb;

	if (c)
		return c;
	ca = la > l ? (unsigned char)na[l] : (is_tree(a) ? '/' : 0);
	cb = lb > l ? (unsigned char)nb[l] : (is_tree(b) ? '/' : 0);
	return (int)ca - (int)cb;
}

static int tdiff(struct tdiff *c,
                 const git_oid *old_id,
                 const git_oid *new_id,
                 size_t plen);

/* Appends the entry's name to the path; 0 when it does not fit. */
static size_t push_name(struct tdiff *c, const git_tree_entry *e, size_t plen)
{
	const char *n = git_tree_entry_name(e);
	size_t nl = strlen(n);

	if (plen + nl + 2 > sizeof(c->path))
		return 0; /* NEEDSWORK: paths over 4 KiB are skipped */
	memcpy(c->path + plen, n, nl);
	c->path[plen + nl] = '\0';
	return plen + nl;
}

/* A whole entry added (old_side 0) or deleted (old_side 1). */
static int
emit_side(struct tdiff *c, const git_tree_entry *e, size_t plen, int old_side)
{
	size_t len = push_name(c, e, plen);

	if (!len)
		return 0;
	if (git_tree_entry_filemode(e) == GIT_FILEMODE_COMMIT)
		return 0; /* a submodule is not a file of this repository */
	if (is_tree(e)) {
		c->path[len] = '/';
		return old_side ? tdiff(c, git_tree_entry_id(e), NULL, len + 1)
		                : tdiff(c, NULL, git_tree_entry_id(e), len + 1);
	}
	return c->cb(c->payload, c->path, len);
}

static int both_sides(struct tdiff *c,
                      const git_tree_entry *ea,
                      const git_tree_entry *eb,
                      size_t plen)
{
	size_t len;
	int error;

	if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
	    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
		return 0; /* equal: the whole subtree is skipped */
	if (is_tree(ea) != is_tree(eb)) {
		/* a file became a folder or back: a deletion and an addition */
		if ((error = emit_side(c, ea, plen, 1)) != 0)
			return error;
		return emit_side(c, eb, plen, 0);
	}
	if (!(len = push_name(c, eb, plen)))
		return 0;
	if (is_tree(ea)) {
		c->path[len] = '/';
		return tdiff(c, git_tree_entry_id(ea), git_tree_entry_id(eb),
		             len + 1);
	}
	if (git_tree_entry_filemode(eb) == GIT_FILEMODE_COMMIT)
		return 0;
	return c->cb(c->payload, c->path, len);
}

static int tdiff(struct tdiff *c,
                 const git_oid *old_id,
                 const git_oid *new_id,
                 size_t plen)
{
	git_tree *a = NULL, *b = NULL;
	size_t i = 0, j = 0, na, nb;
	int error = 0;

	if ((old_id && (error = git_tree_lookup(&a, c->repo, old_id)) < 0) ||
	    (new_id && (error = git_tree_lookup(&b, c->repo, new_id)) < 0))
		goto done;
	na = a ? git_tree_entrycount(a) : 0;
	nb = b ? git_tree_entrycount(b) : 0;
	while (!error && (i < na || j < nb)) {
		const git_tree_entry *ea =
		        i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb =
		        j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);

		if (cmp < 0) {
			error = emit_side(c, ea, plen, 1);
			i++;
		} else if (cmp > 0) {
			error = emit_side(c, eb, plen, 0);
			j++;
		} else {
			error = both_sides(c, ea, eb, plen);
			i++;
			j++;
		}
	}
done:
	git_tree_free(a);
	git_tree_free(b);
	return error;
}

int hdiff_trees(git_repository *repo,
                const git_oid *old_tree,
                const git_oid *new_tree,
                hdiff_cb cb,
                void *payload)
{
	struct tdiff c;

	c.repo = repo;
	c.cb = cb;
	c.payload = payload;
	c.path[0] = '\0';
	if (old_tree && new_tree && git_oid_equal(old_tree, new_tree))
		return 0;
	return tdiff(&c, old_tree, new_tree, 0);
}
