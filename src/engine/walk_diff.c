/*
 * walk_diff.c: changed paths between two trees, or between the index and
 * HEAD's tree. Both walks merge two sorted listings in git's tree order
 * (a folder sorts as its name followed by '/'), so they read only the
 * subtrees whose ids differ: a change of ten files in a repository of
 * 50,000 costs ten entries and the trees above them. git_diff_tree_to_tree
 * is not used: libgit2 1.5 expands every subtree of both sides.
 */
#include <stdlib.h>
#include <string.h>

#include "repo.h"
#include "walk_diff.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

struct diff_ctx {
	struct pyo_change_list *out;
	struct pyo_repo *repo;
	struct pyo_buf prefix; /* folder being compared, with a '/' */
};

/* One staged path, after unmerged stages are resolved. */
struct ientry {
	const char *path;
	git_oid id;
	uint32_t mode;
	uint32_t size; /* as the index records it (the work tree file's) */
	int is_conflict;
};

void pyo_change_list_clear(struct pyo_change_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->nr; i++)
		free(list->items[i].path);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static int mode_kind(uint32_t mode, enum pyo_entry_kind *kind)
{
	switch (mode) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		*kind = PYO_ENTRY_BLOB;
		return 0;
	case GIT_FILEMODE_LINK:
		*kind = PYO_ENTRY_SYMLINK;
		return 0;
	case GIT_FILEMODE_COMMIT:
		*kind = PYO_ENTRY_SUBMODULE;
		return 0;
	default:
		return -1;
	}
}

static void fill_side(struct pyo_side *s,
                      struct pyo_repo *repo,
                      const git_oid *id,
                      uint32_t mode)
{
	size_t size = 0;
	git_object_t type;

	if (mode_kind(mode, &s->entry.kind) < 0)
		return;
	s->present = 1;
	memcpy(s->entry.oid, id->id, 20);
	if (s->entry.kind == PYO_ENTRY_BLOB &&
	    git_odb_read_header(&size, &type, repo->odb, id) < 0)
		s->entry.is_missing = 1;
	s->entry.size = size;
}

/* Records `prefix + name` with its old and/or new side. */
static int add_change(struct diff_ctx *c,
                      const char *name,
                      const git_oid *old_id,
                      uint32_t old_mode,
                      const git_oid *new_id,
                      uint32_t new_mode,
                      int is_conflict)
{
	struct pyo_change_list *l = c->out;
	struct pyo_change *ch;
	struct pyo_buf path = { 0 };

	if (pyo_buf_put(&path, c->prefix.ptr ? c->prefix.ptr : "",
	                c->prefix.len) < 0 ||
	    pyo_buf_puts(&path, name) < 0 ||
	    PYO_ARRAY_GROW(l->items, l->nr, l->alloc) < 0) {
		pyo_buf_release(&path);
		return pyo_error_oom();
	}
	ch = &l->items[l->nr];
	memset(ch, 0, sizeof(*ch));
	ch->path = pyo_buf_detach(&path);
	if (!ch->path)
		return pyo_error_oom();
	if (old_id)
		fill_side(&ch->old_side, c->repo, old_id, old_mode);
	if (new_id)
		fill_side(&ch->new_side, c->repo, new_id, new_mode);
	if (!ch->old_side.present && !ch->new_side.present) {
		free(ch->path); /* a mode we do not follow */
		return 0;
	}
	ch->old_side.entry.path = ch->path;
	ch->new_side.entry.path = ch->path;
	ch->status = !ch->old_side.present   ? 'A'
	             : !ch->new_side.present ? 'D'
	                                     : 'M';
	ch->is_conflict = is_conflict;
	l->nr++;
	return 0;
}

/* Compares names in tree order: a folder sorts as "name/". */
static int cmp_names(const char *a,
                     size_t alen,
                     int a_dir,
                     const char *b,
                     size_t blen,
                     int b_dir)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = alen > n ? (unsigned char)a[n] : a_dir ? '/' : 0;
	cb = blen > n ? (unsigned char)b[n] : b_dir ? '/' : 0;
	return (int)ca - (int)cb;
}

static int lookup_tree(git_tree **out, struct diff_ctx *c, const git_oid *id)
{
	if (git_tree_lookup(out, c->repo->git, id) < 0)
		return pyo_error_setc(
		        PYO_EREPO, "cannot read tree %s of '%s': %s",
		        git_oid_tostr_s(id),
		        c->prefix.ptr ? c->prefix.ptr : "/", pyo_git_errmsg());
	return 0;
}

static int push_dir(struct diff_ctx *c, const char *name, size_t *saved)
{
	*saved = c->prefix.len;
	if (pyo_buf_puts(&c->prefix, name) < 0 ||
	    pyo_buf_putc(&c->prefix, '/') < 0)
		return pyo_error_oom();
	return 0;
}

static void pop_dir(struct diff_ctx *c, size_t saved)
{
	c->prefix.len = saved;
	c->prefix.ptr[saved] = '\0';
}

static int diff_trees(struct diff_ctx *c, git_tree *a, git_tree *b);

/* Recurses into a subtree present on one or both sides. */
static int diff_subtrees(struct diff_ctx *c,
                         const git_tree_entry *ea,
                         const git_tree_entry *eb)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t saved;
	int error;

	if ((ea && (error = lookup_tree(&ta, c, git_tree_entry_id(ea))) < 0) ||
	    (eb && (error = lookup_tree(&tb, c, git_tree_entry_id(eb))) < 0))
		goto done;
	if ((error = push_dir(c, git_tree_entry_name(ea ? ea : eb), &saved)) <
	    0)
		goto done;
	error = diff_trees(c, ta, tb);
	pop_dir(c, saved);
done:
	git_tree_free(ta);
	git_tree_free(tb);
	return error;
}

static int is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/* One side only: a whole subtree or one file added or deleted. */
static int one_side(struct diff_ctx *c, const git_tree_entry *e, int is_new)
{
	if (is_tree(e))
		return is_new ? diff_subtrees(c, NULL, e)
		              : diff_subtrees(c, e, NULL);
	return add_change(c, git_tree_entry_name(e),
	                  is_new ? NULL : git_tree_entry_id(e),
	                  is_new ? 0 : git_tree_entry_filemode(e),
	                  is_new ? git_tree_entry_id(e) : NULL,
	                  is_new ? git_tree_entry_filemode(e) : 0, 0);
}

static int diff_trees(struct diff_ctx *c, git_tree *a, git_tree *b)
{
	size_t na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int error = 0;

	while (!error && (i < na || j < nb)) {
		const git_tree_entry *ea =
		        i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb =
		        j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp;

		if (!ea)
			cmp = 1;
		else if (!eb)
			cmp = -1;
		else
			cmp = cmp_names(git_tree_entry_name(ea),
			                strlen(git_tree_entry_name(ea)),
			                is_tree(ea), git_tree_entry_name(eb),
			                strlen(git_tree_entry_name(eb)),
			                is_tree(eb));
		if (cmp < 0) {
			error = one_side(c, ea, 0);
			i++;
			continue;
		}
		if (cmp > 0) {
			error = one_side(c, eb, 1);
			j++;
			continue;
		}
		i++;
		j++;
		if (git_oid_equal(git_tree_entry_id(ea),
		                  git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
			continue; /* the whole subtree or file is unchanged */
		if (is_tree(ea))
			error = diff_subtrees(c, ea, eb);
		else
			error = add_change(c, git_tree_entry_name(ea),
			                   git_tree_entry_id(ea),
			                   git_tree_entry_filemode(ea),
			                   git_tree_entry_id(eb),
			                   git_tree_entry_filemode(eb), 0);
	}
	return error;
}

static int
lookup_root(git_tree **out, struct diff_ctx *c, const unsigned char *id)
{
	git_oid oid;

	*out = NULL;
	if (!id)
		return 0;
	memcpy(oid.id, id, 20);
	return lookup_tree(out, c, &oid);
}

int pyo_walk_diff_trees(struct pyo_change_list *out,
                        struct pyo_repo *repo,
                        const unsigned char *old_tree,
                        const unsigned char *new_tree)
{
	struct diff_ctx c = { out, repo, { 0 } };
	git_tree *a = NULL, *b = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = lookup_root(&a, &c, old_tree)) < 0 ||
	    (error = lookup_root(&b, &c, new_tree)) < 0)
		goto done;
	error = diff_trees(&c, a, b);
done:
	git_tree_free(a);
	git_tree_free(b);
	pyo_buf_release(&c.prefix);
	if (error < 0)
		pyo_change_list_clear(out);
	return error;
}

/* ---- the index against a tree ---- */

static int diff_index_dir(struct diff_ctx *c,
                          git_tree *t,
                          const struct ientry *ix,
                          size_t lo,
                          size_t hi);

static int
add_staged(struct diff_ctx *c, const struct ientry *e, const git_tree_entry *te)
{
	const char *name = e->path + c->prefix.len;

	return add_change(c, name, te ? git_tree_entry_id(te) : NULL,
	                  te ? git_tree_entry_filemode(te) : 0, &e->id, e->mode,
	                  e->is_conflict);
}

/* Index entries [lo, hi) under a folder the tree does not have. */
static int add_staged_range(struct diff_ctx *c,
                            const struct ientry *ix,
                            size_t lo,
                            size_t hi)
{
	size_t saved = c->prefix.len, k;
	int error = 0;

	/* add_change() prefixes the folder: drop it, names are full paths */
	c->prefix.len = 0;
	if (c->prefix.ptr)
		c->prefix.ptr[0] = '\0';
	for (k = lo; k < hi && !error; k++)
		error = add_staged(c, &ix[k], NULL);
	if (c->prefix.ptr) {
		c->prefix.len = saved;
		c->prefix.ptr[saved] = '\0';
		memcpy(c->prefix.ptr, ix[lo].path, saved);
	}
	return error;
}

static int diff_index_dir(struct diff_ctx *c,
                          git_tree *t,
                          const struct ientry *ix,
                          size_t lo,
                          size_t hi)
{
	size_t nt = t ? git_tree_entrycount(t) : 0, j = 0, i = lo;
	size_t plen = c->prefix.len;
	int error = 0;

	while (!error && (i < hi || j < nt)) {
		const git_tree_entry *te =
		        j < nt ? git_tree_entry_byindex(t, j) : NULL;
		const char *rel = i < hi ? ix[i].path + plen : NULL;
		const char *slash = rel ? strchr(rel, '/') : NULL;
		size_t clen =
		        rel ? (slash ? (size_t)(slash - rel) : strlen(rel)) : 0;
		size_t k = i + 1;
		int cmp;

		if (!te)
			cmp = 1;
		else if (!rel)
			cmp = -1;
		else
			cmp = cmp_names(git_tree_entry_name(te),
			                strlen(git_tree_entry_name(te)),
			                is_tree(te), rel, clen, slash != NULL);
		if (slash) /* the entries of that folder: [i, k) */
			while (k < hi &&
			       !strncmp(ix[k].path + plen, rel, clen + 1))
				k++;
		if (cmp < 0) { /* only in the tree: deleted */
			error = one_side(c, te, 0);
			j++;
		} else if (cmp > 0) { /* only staged: added */
			error = slash ? add_staged_range(c, ix, i, k)
			              : add_staged(c, &ix[i], NULL);
			i = slash ? k : i + 1;
		} else if (slash) {
			git_tree *sub = NULL;
			size_t saved;

			if ((error = lookup_tree(&sub, c,
			                         git_tree_entry_id(te))) < 0 ||
			    (error = push_dir(c, git_tree_entry_name(te),
			                      &saved)) < 0) {
				git_tree_free(sub);
				break;
			}
			error = diff_index_dir(c, sub, ix, i, k);
			pop_dir(c, saved);
			git_tree_free(sub);
			i = k;
			j++;
		} else {
			if (!git_oid_equal(git_tree_entry_id(te), &ix[i].id) ||
			    git_tree_entry_filemode(te) != ix[i].mode ||
			    ix[i].is_conflict)
				error = add_staged(c, &ix[i], te);
			i++;
			j++;
		}
	}
	return error;
}

/* Stage 0 entries as they are; for unmerged paths, stage 2 ("ours"). */
static int collect_index(struct ientry **out,
                         size_t *nr,
                         git_index *idx,
                         size_t *nr_conflicts)
{
	size_t n = git_index_entrycount(idx), i, k = 0;
	struct ientry *ix = calloc(n ? n : 1, sizeof(*ix));
	const char *last = NULL;

	if (!ix)
		return pyo_error_oom();
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);

		if (GIT_INDEX_ENTRY_STAGE(e) == 0) {
			if (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)
				continue;
		} else {
			if (last && !strcmp(last, e->path))
				continue; /* another stage of the same path */
			last = e->path;
			(*nr_conflicts)++;
			/* stage 2 is "ours"; none: deleted on our side */
			if (!(e = git_index_get_bypath(idx, e->path, 2)))
				continue;
			ix[k].is_conflict = 1;
		}
		ix[k].path = e->path;
		git_oid_cpy(&ix[k].id, &e->id);
		ix[k].mode = e->mode;
		ix[k].size = e->file_size;
		k++;
	}
	*out = ix;
	*nr = k;
	return 0;
}

/* Every staged file with the size the index records. */
static int
list_staged(struct pyo_tree_list *all, const struct ientry *ix, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		struct pyo_entry *e;

		if (PYO_ARRAY_GROW(all->items, all->nr, all->alloc) < 0)
			return PYO_ERROR;
		e = &all->items[all->nr];
		memset(e, 0, sizeof(*e));
		if (mode_kind(ix[i].mode, &e->kind) < 0)
			continue;
		if (!(e->path = pyo_strdup(ix[i].path)))
			return PYO_ERROR;
		memcpy(e->oid, ix[i].id.id, 20);
		e->size = ix[i].size;
		all->nr++;
	}
	return 0;
}

int pyo_walk_diff_index(struct pyo_change_list *out,
                        struct pyo_tree_list *all,
                        struct pyo_repo *repo,
                        const unsigned char *head_tree,
                        const char *index_path)
{
	struct diff_ctx c = { out, repo, { 0 } };
	struct pyo_buf path = { 0 };
	git_index *idx = NULL;
	git_tree *t = NULL;
	struct ientry *ix = NULL;
	size_t nr = 0;
	const char *env = getenv("GIT_INDEX_FILE");
	int error;

	memset(out, 0, sizeof(*out));
	if (index_path)
		pyo_buf_puts(&path, index_path);
	else if (env && *env)
		pyo_buf_puts(&path, env);
	else
		pyo_buf_printf(&path, "%s/index", repo->git_dir);
	if (!path.ptr) {
		error = pyo_error_oom();
		goto done;
	}
	if (git_index_open(&idx, path.ptr) < 0) {
		error = pyo_error_setc(PYO_EREPO,
		                       "cannot read the index '%s': %s",
		                       path.ptr, pyo_git_errmsg());
		goto done;
	}
	if ((error = collect_index(&ix, &nr, idx, &out->nr_conflicts)) < 0 ||
	    (error = lookup_root(&t, &c, head_tree)) < 0)
		goto done;
	if ((error = diff_index_dir(&c, t, ix, 0, nr)) < 0)
		goto done;
	if (all)
		error = list_staged(all, ix, nr);
done:
	free(ix);
	git_tree_free(t);
	git_index_free(idx);
	pyo_buf_release(&path);
	pyo_buf_release(&c.prefix);
	if (error < 0)
		pyo_change_list_clear(out);
	return error;
}

/* ---- revisions ---- */

static int
peel(unsigned char commit[20], unsigned char tree[20], git_commit *cm)
{
	memcpy(commit, git_commit_id(cm)->id, 20);
	memcpy(tree, git_commit_tree_id(cm)->id, 20);
	return 0;
}

int pyo_walk_resolve(unsigned char commit[20],
                     unsigned char tree[20],
                     struct pyo_repo *repo,
                     const char *rev)
{
	git_object *obj = NULL;
	git_commit *cm = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo->git, rev) < 0 ||
	    git_object_peel((git_object **)&cm, obj, GIT_OBJECT_COMMIT) < 0) {
		error = pyo_error_setc(
		        PYO_ENOTFOUND,
		        "unknown revision '%s'; give a branch, tag "
		        "or commit that exists (in CI, fetch it "
		        "first: git fetch origin %s)",
		        rev, rev);
		goto done;
	}
	error = peel(commit, tree, cm);
done:
	git_commit_free(cm);
	git_object_free(obj);
	return error;
}

int pyo_walk_merge_base(unsigned char commit[20],
                        unsigned char tree[20],
                        struct pyo_repo *repo,
                        const unsigned char a[20],
                        const unsigned char b[20])
{
	git_oid oa, ob, mb;
	git_commit *cm = NULL;
	int error = 0, gerr;

	memcpy(oa.id, a, 20);
	memcpy(ob.id, b, 20);
	gerr = git_merge_base(&mb, repo->git, &oa, &ob);
	if (gerr == GIT_ENOTFOUND) {
		return pyo_error_setc(
		        PYO_ENOTFOUND,
		        "the base and head revisions share no history%s",
		        repo->is_shallow ? " in this shallow clone; fetch "
		                           "more (fetch-depth: 0)"
		                         : "");
	}
	if (gerr < 0 || git_commit_lookup(&cm, repo->git, &mb) < 0) {
		error = pyo_error_setc(PYO_EREPO,
		                       "cannot find the merge base: %s",
		                       pyo_git_errmsg());
		goto done;
	}
	error = peel(commit, tree, cm);
done:
	git_commit_free(cm);
	return error;
}
