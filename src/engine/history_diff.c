/*
 * history_diff.c: the changed paths of a commit. git_diff_tree_to_tree
 * expands every subtree of both trees in libgit2 1.5.1 (O(files) per
 * commit); this walk compares the two sorted entry lists and descends
 * only into subtrees whose ids differ (O(changed paths)), and gives the
 * same paths as `git log --no-renames --name-only`. Trees are read raw
 * from the pack files (pack.c) and walked in place: no git_tree objects,
 * no allocation per entry, no trip through libgit2's object database.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "history_int.h"
#include "pack.h"
#include "repo.h"
#include "banned.h"

#define PATH_MAX_LEN 4096
#define CACHE_SLOTS 1024         /* direct-mapped; a few MB at most */
#define READER_CACHE (64u << 20) /* delta results kept by the reader */

struct hdiff_cache {
	struct pyo_reader *reader;
	git_oid ids[CACHE_SLOTS];
	struct pyo_obj *objs[CACHE_SLOTS]; /* one reference each */
};

int hdiff_cache_new(struct hdiff_cache **out, struct pyo_repo *repo)
{
	struct hdiff_cache *c = calloc(1, sizeof(*c));
	int error;

	*out = NULL;
	if (!c)
		return pyo_error_oom();
	if ((error = pyo_reader_new(&c->reader, repo->git, repo->odb,
	                            READER_CACHE)) < 0) {
		free(c);
		return error;
	}
	*out = c;
	return 0;
}

void hdiff_cache_free(struct hdiff_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		pyo_obj_free(c->objs[i]);
	pyo_reader_free(c->reader);
	free(c);
}

static size_t slot_of(const git_oid *id)
{
	return ((size_t)id->id[0] | (size_t)id->id[1] << 8) % CACHE_SLOTS;
}

struct tdiff {
	struct hdiff_cache *cache;
	hdiff_cb cb;
	void *payload;
	char path[PATH_MAX_LEN];
};

/* One entry of a raw tree object: "<octal mode> <name>\0<20-byte id>". */
struct ent {
	unsigned mode;
	const char *name;
	size_t len;
	const unsigned char *id;
};

/* A raw tree being read entry by entry (no allocation per entry). */
struct rtree {
	struct pyo_obj *obj;
	const char *p, *end;
};

static int is_tree(unsigned mode)
{
	return (mode & 0170000) == 0040000;
}

static int is_gitlink(unsigned mode)
{
	return (mode & 0170000) == 0160000;
}

/* Reads the next entry; 0 at the end (a malformed tail ends the tree). */
static int next_entry(struct rtree *t, struct ent *e)
{
	const char *p = t->p, *nul;
	unsigned mode = 0;

	if (!p || p >= t->end)
		return 0;
	while (p < t->end && *p >= '0' && *p <= '7')
		mode = (mode << 3) | (unsigned)(*p++ - '0');
	if (p >= t->end || *p++ != ' ')
		return 0;
	nul = memchr(p, '\0', (size_t)(t->end - p));
	if (!nul || (size_t)(t->end - nul) < 1 + GIT_OID_RAWSZ)
		return 0;
	e->mode = mode;
	e->name = p;
	e->len = (size_t)(nul - p);
	e->id = (const unsigned char *)nul + 1;
	t->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

static int tree_read(struct pyo_obj **out, struct tdiff *c, const git_oid *id)
{
	struct hdiff_cache *cache = c->cache;
	size_t slot = slot_of(id);
	int error;

	if (cache->objs[slot] && git_oid_equal(&cache->ids[slot], id)) {
		*out = pyo_obj_dup(cache->objs[slot]);
		return 0;
	}
	if ((error = pyo_reader_read(out, cache->reader, id)) < 0)
		return error;
	pyo_obj_free(cache->objs[slot]);
	cache->objs[slot] = pyo_obj_dup(*out);
	git_oid_cpy(&cache->ids[slot], id);
	return 0;
}

static int tree_open(struct rtree *t, struct tdiff *c, const git_oid *id)
{
	int error;

	memset(t, 0, sizeof(*t));
	if (!id)
		return 0;
	if ((error = tree_read(&t->obj, c, id)) < 0)
		return error;
	if (t->obj->type != GIT_OBJECT_TREE) {
		pyo_obj_free(t->obj);
		t->obj = NULL;
		return GIT_ENOTFOUND;
	}
	t->p = (const char *)t->obj->data;
	t->end = t->p + t->obj->len;
	return 0;
}

/* git's canonical order: a tree sorts as if its name ended in '/' */
static int ent_cmp(const struct ent *a, const struct ent *b)
{
	size_t l = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, l);
	unsigned ca, cb;

	if (c)
		return c;
	ca = a->len > l ? (unsigned char)a->name[l]
	                : (is_tree(a->mode) ? '/' : 0);
	cb = b->len > l ? (unsigned char)b->name[l]
	                : (is_tree(b->mode) ? '/' : 0);
	return (int)ca - (int)cb;
}

static int tdiff(struct tdiff *c,
                 const git_oid *old_id,
                 const git_oid *new_id,
                 size_t plen);

/* Appends the entry's name to the path; 0 when it does not fit. */
static size_t push_name(struct tdiff *c, const struct ent *e, size_t plen)
{
	if (plen + e->len + 2 > sizeof(c->path))
		return 0; /* NEEDSWORK: paths over 4 KiB are skipped */
	memcpy(c->path + plen, e->name, e->len);
	c->path[plen + e->len] = '\0';
	return plen + e->len;
}

/* A whole entry added (old_side 0) or deleted (old_side 1). */
static int
emit_side(struct tdiff *c, const struct ent *e, size_t plen, int old_side)
{
	size_t len;
	git_oid id;

	if (is_gitlink(e->mode) || !(len = push_name(c, e, plen)))
		return 0; /* a submodule is not a file of this repository */
	if (is_tree(e->mode)) {
		git_oid_fromraw(&id, e->id);
		c->path[len] = '/';
		return old_side ? tdiff(c, &id, NULL, len + 1)
		                : tdiff(c, NULL, &id, len + 1);
	}
	return c->cb(c->payload, c->path, len);
}

static int both_sides(struct tdiff *c,
                      const struct ent *ea,
                      const struct ent *eb,
                      size_t plen)
{
	git_oid ida, idb;
	size_t len;

	if (ea->mode == eb->mode && !memcmp(ea->id, eb->id, GIT_OID_RAWSZ))
		return 0; /* equal: the whole subtree is skipped */
	if (is_gitlink(eb->mode) || !(len = push_name(c, eb, plen)))
		return 0;
	if (is_tree(ea->mode)) {
		/* same name and both trees (ent_cmp tells trees apart) */
		git_oid_fromraw(&ida, ea->id);
		git_oid_fromraw(&idb, eb->id);
		c->path[len] = '/';
		return tdiff(c, &ida, &idb, len + 1);
	}
	return c->cb(c->payload, c->path, len);
}

static int tdiff(struct tdiff *c,
                 const git_oid *old_id,
                 const git_oid *new_id,
                 size_t plen)
{
	struct rtree a, b;
	struct ent ea, eb;
	int has_a, has_b, error;

	if ((error = tree_open(&a, c, old_id)) < 0)
		return error;
	if ((error = tree_open(&b, c, new_id)) < 0)
		goto done;
	has_a = next_entry(&a, &ea);
	has_b = next_entry(&b, &eb);
	while (!error && (has_a || has_b)) {
		int cmp = !has_a ? 1 : !has_b ? -1 : ent_cmp(&ea, &eb);

		if (cmp < 0) {
			error = emit_side(c, &ea, plen, 1);
			has_a = next_entry(&a, &ea);
		} else if (cmp > 0) {
			error = emit_side(c, &eb, plen, 0);
			has_b = next_entry(&b, &eb);
		} else {
			error = both_sides(c, &ea, &eb, plen);
			has_a = next_entry(&a, &ea);
			has_b = next_entry(&b, &eb);
		}
	}
done:
	pyo_obj_free(a.obj);
	pyo_obj_free(b.obj);
	return error;
}

int hdiff_trees(struct hdiff_cache *cache,
                const git_oid *old_tree,
                const git_oid *new_tree,
                hdiff_cb cb,
                void *payload)
{
	struct tdiff c;

	c.cache = cache;
	c.cb = cb;
	c.payload = payload;
	c.path[0] = '\0';
	if (old_tree && new_tree && git_oid_equal(old_tree, new_tree))
		return 0;
	return tdiff(&c, old_tree, new_tree, 0);
}
