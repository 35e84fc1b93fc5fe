/*
 * walk.c: listing the tree at REV and reading blobs. Sizes come from
 * git_odb_read_header, which resolves packed deltas without inflating
 * them, so excluded or oversized files cost almost nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "repo.h"
#include "walk.h"
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
	size_t nr_attr, alloc_attr;
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

	if (kind == PYO_ENTRY_BLOB && c->no_sizes) {
		e->size = PYO_SIZE_UNKNOWN;
	} else if (kind == PYO_ENTRY_BLOB) {
		size_t size = 0;
		git_object_t type;
		const git_oid *id = git_tree_entry_id(te);

		if ((c->probe_missing &&
		     !git_odb_exists_ext(c->repo->odb, id,
		                         GIT_ODB_LOOKUP_NO_REFRESH)) ||
		    git_odb_read_header(&size, &type, c->repo->odb, id) < 0) {
			e->is_missing = 1;
			c->probe_missing = 1;
		}
		e->size = size;
		if (!strcmp(name, ".gitattributes") && !e->is_missing) {
			if (PYO_ARRAY_GROW(c->attr_blobs, c->nr_attr,
			                   c->alloc_attr) < 0)
				return PYO_ERROR;
			git_oid_cpy(&c->attr_blobs[c->nr_attr++], id);
		}
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

/* Only attributes that mention linguist- change what we report. */
static void check_attr_blobs(struct walk_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nr_attr; i++) {
		git_odb_object *obj = NULL;

		if (git_odb_read(&obj, c->repo->odb, &c->attr_blobs[i]) < 0)
			continue;
		if (pyo_memmem(git_odb_object_data(obj),
		               git_odb_object_size(obj), "linguist-", 9))
			c->list->has_linguist_attrs = 1;
		git_odb_object_free(obj);
	}
}

int pyo_walk_tree(struct pyo_tree_list *out,
                  struct pyo_repo *repo,
                  unsigned flags,
                  pyo_warn_cb warn_cb,
                  void *payload)
{
	struct walk_ctx c = {
		out, repo, warn_cb, payload, 0, 0, NULL, 0, 0, 0
	};
	git_tree *tree = NULL;
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
	check_attr_blobs(&c);
done:
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
	git_odb_object_free(b->obj);
	memset(b, 0, sizeof(*b));
}

static int attr_bool(const char *v)
{
	switch (git_attr_value(v)) {
	case GIT_ATTR_VALUE_TRUE:
		return 1;
	case GIT_ATTR_VALUE_FALSE:
		return 0;
	case GIT_ATTR_VALUE_STRING:
		return strcmp(v, "false") ? 1 : 0;
	default:
		return -1;
	}
}

int pyo_walk_attrs(struct pyo_attrs *out,
                   char *lang_buf,
                   size_t lang_size,
                   struct pyo_repo *repo,
                   const char *path)
{
	static const char *names[] = {
		"linguist-language",   "linguist-vendored",
		"linguist-generated",  "linguist-documentation",
		"linguist-detectable",
	};
	const char *values[5] = { 0 };
	git_attr_options opts;

	memset(out, 0, sizeof(*out));
	out->vendored = out->generated = out->documentation = out->detectable =
	        -1;
	memset(&opts, 0, sizeof(opts));
	opts.version = GIT_ATTR_OPTIONS_VERSION;
	opts.flags = GIT_ATTR_CHECK_NO_SYSTEM | GIT_ATTR_CHECK_INCLUDE_COMMIT |
	             GIT_ATTR_CHECK_INDEX_ONLY;
	git_oid_cpy(&opts.attr_commit_id, &repo->commit_id);
	if (git_attr_get_many_ext(values, repo->git, &opts, path, 5, names) < 0)
		return pyo_error_setc(PYO_EREPO,
		                      "cannot read attributes of '%s': %s",
		                      path, pyo_git_errmsg());
	if (git_attr_value(values[0]) == GIT_ATTR_VALUE_STRING) {
		size_t n = strlen(values[0]);

		if (n >= lang_size)
			n = lang_size - 1;
		memcpy(lang_buf, values[0], n);
		lang_buf[n] = '\0';
		/* Linguist writes spaces as dashes:
		 * linguist-language=Jupyter-Notebook */
		out->language = lang_buf;
	}
	out->vendored = attr_bool(values[1]);
	out->generated = attr_bool(values[2]);
	out->documentation = attr_bool(values[3]);
	out->detectable = attr_bool(values[4]);
	return 0;
}

uint64_t pyo_entry_size(struct pyo_repo *repo, struct pyo_entry *e)
{
	size_t size = 0;
	git_object_t type;
	git_oid id;

	if (e->size != PYO_SIZE_UNKNOWN)
		return e->size;
	memcpy(id.id, e->oid, 20);
	if (git_odb_read_header(&size, &type, repo->odb, &id) < 0)
		e->is_missing = 1;
	e->size = size;
	return size;
}
