/*
 * repo.c: opening a repository read-only and resolving the revision to
 * scan. Every repository is opened as bare (objects only: no work tree,
 * index, hooks or filters), isolated from user and system git config.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "repo.h"
#include "pack.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

const char *pyo_git_errmsg(void)
{
	const git_error *e = git_error_last(); /* may be NULL in 1.5 */

	return e && e->message ? e->message : "unknown libgit2 error";
}

int pyo_repo_global_init(void)
{
	static const char *ext[] = { "partialclone", "worktreeconfig",
		                     "preciousobjects" };
	int levels[] = { GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
		         GIT_CONFIG_LEVEL_GLOBAL,
		         GIT_CONFIG_LEVEL_PROGRAMDATA };
	size_t i;

	if (git_libgit2_init() < 0)
		return pyo_error_set("cannot initialise libgit2: %s",
		                     pyo_git_errmsg());
	/* results must not depend on ~/.gitconfig (mailmap.file, ...) */
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "") <
		    0)
			return pyo_error_set("cannot isolate git config: %s",
			                     pyo_git_errmsg());
	/* re-hashing every object read doubles the cost of a history walk */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* the object cache costs more than it saves for a read-once walk:
	 * past its limit every store scans the table to evict (measured:
	 * 45% of a history walk, under the cache lock) */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)64 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, (size_t)128);
	git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, ext,
	                 sizeof(ext) / sizeof(ext[0]));
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int open_bare(git_repository **out, const char *path)
{
	unsigned flags =
	        GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE;

	return git_repository_open_ext(out, path, flags, NULL);
}

/* Maps a libgit2 open failure to a message that says what to do. */
static int open_error(int gerr, const char *path)
{
	const char *msg = pyo_git_errmsg();

	if (strstr(msg, "safe.directory") || gerr == GIT_EOWNER)
		return pyo_error_setc(
		        PYO_EREPO,
		        "repository '%s' is owned by another user; if you "
		        "trust it, scan it with --allow-foreign-owner",
		        path);
	if (strstr(msg, "objectformat") || strstr(msg, "sha256"))
		return pyo_error_setc(PYO_EREPO,
		                      "cannot read '%s': SHA-256 repositories "
		                      "are not supported by libgit2 1.5",
		                      path);
	if (strstr(msg, "extension"))
		return pyo_error_setc(PYO_EREPO, "cannot read '%s': %s", path,
		                      msg);
	return pyo_error_setc(PYO_EREPO, "cannot open repository '%s': %s",
	                      path, msg);
}

/* 1 when `dir` is listed in GIT_CEILING_DIRECTORIES (colon-separated). */
static int is_ceiling(const char *dir)
{
	const char *env = getenv("GIT_CEILING_DIRECTORIES"), *p, *end;

	for (p = env; p && *p; p = *end ? end + 1 : end) {
		size_t n, dl = strlen(dir);

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		while (n > 1 && p[n - 1] == '/')
			n--;
		if (n == dl && !memcmp(p, dir, n))
			return 1;
	}
	return 0;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * Tries `dir` and `dir/.git`, then (unless `no_search`) each parent folder
 * up to GIT_CEILING_DIRECTORIES, like git does for a folder inside a work
 * tree. A `.git` that exists but cannot be opened stops the search: a
 * broken repository is reported, not silently replaced by its parent.
 */
static int find_repo(git_repository **out, const char *path, int no_search)
{
	struct pyo_buf dir = { 0 }, dotgit = { 0 };
	char *real;
	int gerr = GIT_ENOTFOUND, stop = 0;

	real = realpath(path, NULL);
	if (!real) {
		int e = errno;

		return pyo_error_setc(PYO_ENOTFOUND, "cannot open '%s': %s",
		                      path, strerror(e));
	}
	if (!is_dir(real)) {
		free(real);
		return pyo_error_setc(PYO_ENOTFOUND,
		                      "'%s' is not a folder; give the path of "
		                      "a repository",
		                      path);
	}
	pyo_buf_puts(&dir, real);
	free(real);
	for (;;) {
		char *slash;

		gerr = open_bare(out, dir.ptr);
		if (gerr == GIT_ENOTFOUND) {
			pyo_buf_clear(&dotgit);
			pyo_buf_printf(&dotgit, "%s/.git", dir.ptr);
			gerr = open_bare(out, dotgit.ptr);
			if (gerr == GIT_ENOTFOUND && exists(dotgit.ptr))
				stop = 1;
		}
		if (gerr == GIT_ENOTFOUND &&
		    strstr(pyo_git_errmsg(), "safe.directory"))
			break;
		if (gerr != GIT_ENOTFOUND || stop || no_search ||
		    !strcmp(dir.ptr, "/"))
			break;
		slash = strrchr(dir.ptr, '/');
		dir.len = slash == dir.ptr ? 1 : (size_t)(slash - dir.ptr);
		dir.ptr[dir.len] = '\0';
		if (is_ceiling(dir.ptr))
			break;
	}
	if (gerr == GIT_ENOTFOUND && stop &&
	    !strstr(pyo_git_errmsg(), "safe.directory")) {
		gerr = pyo_error_setc(PYO_EREPO,
		                      "'%s' is not a valid repository (%s); "
		                      "check it with git fsck",
		                      dotgit.ptr, pyo_git_errmsg());
		pyo_buf_release(&dir);
		pyo_buf_release(&dotgit);
		return gerr;
	}
	pyo_buf_release(&dir);
	pyo_buf_release(&dotgit);
	if (gerr == GIT_ENOTFOUND &&
	    !strstr(pyo_git_errmsg(), "safe.directory"))
		return pyo_error_setc(PYO_ENOTFOUND,
		                      "'%s' is not a git repository (nor is "
		                      "any parent folder); give the path of "
		                      "a work tree, a .git folder or a bare "
		                      "repository",
		                      path);
	if (gerr < 0)
		return open_error(gerr, path);
	return 0;
}

static int resolve(struct pyo_repo *repo, const char *rev)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int gerr, error = 0;

	if (git_repository_head_unborn(repo->git) == 1 && !rev)
		return pyo_error_setc(PYO_EUNBORN,
		                      "repository '%s' has no commits yet; "
		                      "commit something first",
		                      repo->path);
	gerr = git_revparse_single(&obj, repo->git, rev ? rev : "HEAD");
	if (gerr == GIT_ENOTFOUND || gerr == GIT_EAMBIGUOUS ||
	    gerr == GIT_EINVALIDSPEC) {
		error = pyo_error_setc(
		        PYO_ENOTFOUND,
		        "unknown revision '%s' in '%s'; give a branch, tag or "
		        "commit that exists (git rev-parse '%s' to check)",
		        rev ? rev : "HEAD", repo->path, rev ? rev : "HEAD");
		goto done;
	}
	if (gerr < 0) {
		error = pyo_error_setc(PYO_EREPO, "cannot resolve '%s': %s",
		                       rev ? rev : "HEAD", pyo_git_errmsg());
		goto done;
	}
	if ((gerr = git_object_peel((git_object **)&commit, obj,
	                            GIT_OBJECT_COMMIT)) < 0) {
		error = pyo_error_setc(gerr == GIT_ENOTFOUND ? PYO_EREPO
		                                             : PYO_ENOTFOUND,
		                       "revision '%s' is not a commit: %s",
		                       rev ? rev : "HEAD", pyo_git_errmsg());
		goto done;
	}
	git_oid_cpy(&repo->commit_id, git_commit_id(commit));
	git_oid_cpy(&repo->tree_id, git_commit_tree_id(commit));
	repo->commit_time = (int64_t)git_commit_time(commit);
done:
	git_commit_free(commit);
	git_object_free(obj);
	return error;
}

void pyo_repo_free(struct pyo_repo *repo)
{
	if (!repo)
		return;
	pyo_reader_free(repo->blob_reader);
	git_odb_free(repo->odb);
	git_repository_free(repo->git);
	free(repo->path);
	free(repo->git_dir);
	free(repo);
}

static int finish_open(struct pyo_repo *repo)
{
	const char *gd = git_repository_path(repo->git);
	size_t n = strlen(gd);

	if (n > 1 && gd[n - 1] == '/')
		n--;
	repo->git_dir = pyo_strndup(gd, n);
	if (!repo->git_dir)
		return PYO_ERROR;
	if (git_repository_odb(&repo->odb, repo->git) < 0)
		return pyo_error_setc(PYO_EREPO,
		                      "cannot read objects of '%s': %s",
		                      repo->path, pyo_git_errmsg());
	repo->is_shallow = git_repository_is_shallow(repo->git) == 1;
	return 0;
}

int pyo_repo_open(struct pyo_repo **out,
                  const char *path,
                  const char *rev,
                  unsigned flags)
{
	struct pyo_repo *repo;
	int error;

	*out = NULL;
	/* process-wide; every scan of a batch asks for the same value */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION,
	                 flags & PYO_REPO_ALLOW_FOREIGN_OWNER ? 0 : 1);
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return pyo_error_oom();
	if (!(repo->path = pyo_strdup(path))) {
		error = PYO_ERROR;
		goto done;
	}
	if ((error = find_repo(&repo->git, path,
	                       !!(flags & PYO_REPO_NO_SEARCH))) < 0)
		goto done;
	/* a work tree's .git/ reads as bare too, so check for a checkout */
	repo->is_bare =
	        !pyo_str_endswith(git_repository_path(repo->git), "/.git/");
	if ((error = finish_open(repo)) < 0 || (error = resolve(repo, rev)) < 0)
		goto done;
	*out = repo;
	repo = NULL;
done:
	pyo_repo_free(repo);
	return error;
}

int pyo_repo_reopen(struct pyo_repo **out, const struct pyo_repo *src)
{
	struct pyo_repo *repo;
	int error = 0;

	*out = NULL;
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return pyo_error_oom();
	repo->path = pyo_strdup(src->path);
	if (!repo->path) {
		error = PYO_ERROR;
		goto done;
	}
	if (open_bare(&repo->git, src->git_dir) < 0) {
		error = open_error(GIT_ERROR, src->path);
		goto done;
	}
	if ((error = finish_open(repo)) < 0)
		goto done;
	repo->is_bare = src->is_bare;
	repo->commit_id = src->commit_id;
	repo->tree_id = src->tree_id;
	repo->commit_time = src->commit_time;
	*out = repo;
	repo = NULL;
done:
	pyo_repo_free(repo);
	return error;
}

int pyo_repo_read_path(char **data,
                       size_t *len,
                       struct pyo_repo *repo,
                       const char *path,
                       uint64_t max_size)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_odb_object *obj = NULL;
	size_t size;
	git_object_t type;
	int error = 0;

	*data = NULL;
	*len = 0;
	if (git_tree_lookup(&tree, repo->git, &repo->tree_id) < 0 ||
	    git_tree_entry_bypath(&entry, tree, path) < 0 ||
	    git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		error = pyo_error_setc(PYO_ENOTFOUND, "no file '%s' at %s",
		                       path, "the scanned commit");
		goto done;
	}
	if (git_odb_read_header(&size, &type, repo->odb,
	                        git_tree_entry_id(entry)) < 0) {
		error = pyo_error_setc(PYO_ENOTFOUND,
		                       "object of '%s' is missing", path);
		goto done;
	}
	if (max_size && size > max_size) {
		error = pyo_error_setc(PYO_EINVALID,
		                       "'%s' is too large (%zu bytes)", path,
		                       size);
		goto done;
	}
	if (git_odb_read(&obj, repo->odb, git_tree_entry_id(entry)) < 0) {
		error = pyo_error_setc(PYO_ENOTFOUND, "cannot read '%s': %s",
		                       path, pyo_git_errmsg());
		goto done;
	}
	size = git_odb_object_size(obj);
	*data = malloc(size + 1);
	if (!*data) {
		error = pyo_error_oom();
		goto done;
	}
	memcpy(*data, git_odb_object_data(obj), size);
	(*data)[size] = '\0';
	*len = size;
done:
	git_odb_object_free(obj);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return error;
}
