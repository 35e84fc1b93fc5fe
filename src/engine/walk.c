/*
 * walk.c: listing the tree at REV and reading blobs. Sizes come from
 * git_odb_read_header, which resolves packed deltas without inflating
 * them, so excluded or oversized files cost almost nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "repo.h"
#include "walk.h"
#include "pack.h"
#include "gitattr.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

struct walk_ctx {
	struct pyo_tree_list *list;
	struct pyo_repo *repo;
	pyo_warn_cb warn;
	void *payload;
	int probe_missing; /* after one miss, probe cheaply first */
	int no_sizes;
	git_oid *attr_blobs;
	char **attr_dirs;
	size_t nr_attr, alloc_attr, alloc_dirs;
	int error;
};

static void warn(struct walk_ctx *c, const char *what, const char *path)
{
	struct pyo_buf b = { 0 };

	if (!c->warn)
		return;
	pyo_buf_printf(&b, "%s '%s' %s", what, path,
	               "is missing; its files are not counted");
	if (b.ptr)
		c->warn(c->payload, b.ptr);
	pyo_buf_release(&b);
}

/*
 * A blob's size from its object header (no inflating); marks it missing
 * when absent. After one miss, `*probe` makes later calls check existence
 * first: a miss costs a rescan of the pack folder otherwise.
 */
static uint64_t
blob_size(struct pyo_repo *repo, struct pyo_entry *e, int *probe)
{
	size_t size = 0;
	git_object_t type;
	git_oid id;

	memcpy(id.id, e->oid, 20);
	if ((*probe &&
	     !git_odb_exists_ext(repo->odb, &id, GIT_ODB_LOOKUP_NO_REFRESH)) ||
	    git_odb_read_header(&size, &type, repo->odb, &id) < 0) {
		e->is_missing = 1;
		*probe = 1;
		return 0;
	}
	return size;
}

static int add_entry(struct walk_ctx *c,
                     const char *root,
                     const git_tree_entry *te,
                     enum pyo_entry_kind kind)
{
	struct pyo_tree_list *l = c->list;
	struct pyo_entry *e;
	const char *name = git_tree_entry_name(te);
	size_t rl = strlen(root), nl = strlen(name);

	if (PYO_ARRAY_GROW(l->items, l->nr, l->alloc) < 0)
		return PYO_ERROR;
	e = &l->items[l->nr];
	memset(e, 0, sizeof(*e));
	e->path = malloc(rl + nl + 1);
	if (!e->path)
		return pyo_error_oom();
	memcpy(e->path, root, rl);
	memcpy(e->path + rl, name, nl + 1);
	memcpy(e->oid, git_tree_entry_id(te)->id, 20);
	e->kind = kind;
	l->nr++;

	if (kind != PYO_ENTRY_BLOB)
		return 0;
	e->size = c->no_sizes ? PYO_SIZE_UNKNOWN
	                      : blob_size(c->repo, e, &c->probe_missing);
	if (!strcmp(name, ".gitattributes") && !e->is_missing) {
		if (PYO_ARRAY_GROW(c->attr_blobs, c->nr_attr, c->alloc_attr) <
		            0 ||
		    PYO_ARRAY_GROW(c->attr_dirs, c->nr_attr, c->alloc_dirs) <
		            0 ||
		    !(c->attr_dirs[c->nr_attr] = pyo_strdup(root)))
			return PYO_ERROR;
		git_oid_cpy(&c->attr_blobs[c->nr_attr++],
		            git_tree_entry_id(te));
	}
	return 0;
}

static int walk_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk_ctx *c = payload;
	git_filemode_t mode = git_tree_entry_filemode(te);
	int error = 0;

	switch (mode) {
	case GIT_FILEMODE_TREE:
		/* missing subtrees: libgit2 aborts the walk, so check first */
		if (!git_odb_exists(c->repo->odb, git_tree_entry_id(te))) {
			c->list->nr_missing_trees++;
			warn(c, "tree", git_tree_entry_name(te));
			return 1;
		}
		return 0;
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		error = add_entry(c, root, te, PYO_ENTRY_BLOB);
		break;
	case GIT_FILEMODE_LINK:
		error = add_entry(c, root, te, PYO_ENTRY_SYMLINK);
		break;
	case GIT_FILEMODE_COMMIT:
		error = add_entry(c, root, te, PYO_ENTRY_SUBMODULE);
		break;
	default:
		break;
	}
	if (error < 0) {
		c->error = error;
		return -1;
	}
	return 0;
}

/* The committed .gitattributes, read once: only linguist- lines matter. */
static int read_attr_blobs(struct walk_ctx *c)
{
	size_t i;
	int error = 0;

	for (i = 0; i < c->nr_attr && !error; i++) {
		git_odb_object *obj = NULL;

		if (git_odb_read(&obj, c->repo->odb, &c->attr_blobs[i]) < 0)
			continue;
		if (pyo_memmem(git_odb_object_data(obj),
		               git_odb_object_size(obj), "linguist-", 9))
			error = pyo_gitattrs_add(&c->list->attrs,
			                         c->attr_dirs[i],
			                         git_odb_object_data(obj),
			                         git_odb_object_size(obj));
		git_odb_object_free(obj);
	}
	pyo_gitattrs_finish(c->list->attrs);
	c->list->has_linguist_attrs = pyo_gitattrs_any(c->list->attrs);
	return error;
}

int pyo_walk_tree(struct pyo_tree_list *out,
                  struct pyo_repo *repo,
                  unsigned flags,
                  pyo_warn_cb warn_cb,
                  void *payload)
{
	struct walk_ctx c = {
		.list = out, .repo = repo, .warn = warn_cb, .payload = payload
	};
	git_tree *tree = NULL;
	size_t i;
	int error = 0;

	c.no_sizes = !!(flags & PYO_WALK_NO_SIZES);
	if (git_tree_lookup(&tree, repo->git, &repo->tree_id) < 0) {
		error = pyo_error_setc(
		        PYO_EREPO, "cannot read the tree of commit %s: %s",
		        git_oid_tostr_s(&repo->commit_id), pyo_git_errmsg());
		goto done;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &c) < 0) {
		error = c.error ? c.error
		                : pyo_error_setc(PYO_EREPO,
		                                 "cannot walk the tree: %s",
		                                 pyo_git_errmsg());
		goto done;
	}
	error = read_attr_blobs(&c);
done:
	for (i = 0; i < c.nr_attr; i++)
		free(c.attr_dirs[i]);
	free(c.attr_dirs);
	free(c.attr_blobs);
	git_tree_free(tree);
	return error;
}

void pyo_tree_list_clear(struct pyo_tree_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		free(list->items[i].path);
	free(list->items);
	pyo_gitattrs_free(list->attrs);
	memset(list, 0, sizeof(*list));
}

int pyo_blob_read(struct pyo_blob *out,
                  struct pyo_repo *repo,
                  const struct pyo_entry *e)
{
	git_odb_object *obj = NULL;
	git_oid id;

	memset(out, 0, sizeof(*out));
	memcpy(id.id, e->oid, 20);
	if (repo->blob_reader) {
		struct pyo_obj *o = NULL;

		if (pyo_reader_read(&o, repo->blob_reader, &id) < 0)
			return pyo_error_setc(PYO_ENOTFOUND, "cannot read '%s'",
			                      e->path);
		out->obj = o;
		out->is_pack = 1;
		out->data = (const char *)o->data;
		out->len = o->len;
		return 0;
	}
	if (git_odb_read(&obj, repo->odb, &id) < 0)
		return pyo_error_setc(PYO_ENOTFOUND, "cannot read '%s': %s",
		                      e->path, pyo_git_errmsg());
	out->obj = obj;
	out->data = git_odb_object_data(obj);
	out->len = git_odb_object_size(obj);
	return 0;
}

void pyo_blob_release(struct pyo_blob *b)
{
	if (!b)
		return;
	if (b->is_pack)
		pyo_obj_free(b->obj);
	else
		git_odb_object_free(b->obj);
	memset(b, 0, sizeof(*b));
}

void pyo_walk_attrs(struct pyo_attrs *out,
                    char *lang_buf,
                    size_t lang_size,
                    const struct pyo_tree_list *tree,
                    const char *path)
{
	pyo_gitattrs_lookup(out, lang_buf, lang_size, tree->attrs, path);
}

uint64_t pyo_entry_size(struct pyo_repo *repo,
                        struct pyo_reader *reader,
                        struct pyo_entry *e,
                        int *probe)
{
	int none = 0;
	size_t size;
	git_oid id;

	if (e->size != PYO_SIZE_UNKNOWN)
		return e->size;
	memcpy(id.id, e->oid, 20);
	if (reader && !pyo_reader_size(reader, &id, &size, NULL))
		e->size = size;
	else
		e->size = blob_size(repo, e, probe ? probe : &none);
	return e->size;
}
