/*
 * check.c: `pyorgo check`. Lists the changed paths (walk_diff.c), reads
 * both sides of each changed blob once, runs the scan's own stages on them
 * (classify, manifests, detect), and compares the evidence by identity
 * (rule, path, normalised text; then rule and text across paths, so moved
 * code is not new). The verdict of each side is decided from the repository's
 * language mix (a cheap path-only pass over the tree, adjusted by the
 * change) plus the evidence of the changed files: see check_signals.c and
 * docs/ci.md for what that approximation can and cannot see.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pyorgo/check.h"
#include "pyorgo/classify.h"
#include "pyorgo/config.h"
#include "pyorgo/detect.h"
#include "pyorgo/manifest.h"
#include "pyorgo/recommend.h"
#include "check_int.h"
#include "repo.h"
#include "pack.h"
#include "walk_diff.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "analyze.h"
#include "banned.h"

#define DEFAULT_MAX_BLOB (16u * 1024 * 1024)
#define MAX_WARNINGS 100
/* delta results kept by the blob reader: the two sides of a file share a
 * chain */
#define CHECK_BLOB_CACHE (64u * 1024 * 1024)

const struct pyo_check *pyo_check_of(const struct pyo_report *r)
{
	return r ? r->check : NULL;
}

const char *pyo_violation_name(enum pyo_violation_kind k)
{
	switch (k) {
	case PYO_VIOLATION_CONTRADICTION:
		return "contradiction";
	case PYO_VIOLATION_FLIP:
		return "flip";
	case PYO_VIOLATION_HARD:
		return "hard-constraint";
	}
	return "unknown";
}

void pyo_check_free(struct pyo_check *c)
{
	size_t i;

	if (!c)
		return;
	pyo_report_free(c->report);
	free(c->marks);
	pyo_findings_clear(&c->removed);
	for (i = 0; i < c->nr_files; i++)
		free(c->files[i].path);
	free(c->files);
	free(c->base_rev);
	free(c->head_rev);
	pyo_verdict_free(c->base_verdict);
	for (i = 0; i < c->nr_new_hard; i++)
		free(c->new_hard[i]);
	free(c->new_hard);
	free(c->config_name);
	free(c->declared);
	for (i = 0; i < c->nr_violations; i++) {
		free(c->violations[i].message);
		free(c->violations[i].path);
		free(c->violations[i].rule_id);
	}
	free(c->violations);
	free(c);
}

/* ---- reading one side of a changed file ---- */

/* Warnings about one file (payload: its struct pyo_analyzed). */
static void warn_cb(void *payload, const char *msg)
{
	const struct pyo_analyzed *an = payload;
	const struct check_ctx *x = an->payload;
	struct pyo_report *r = x->check->report;

	if (r->nr_warnings >= MAX_WARNINGS)
		return;
	if (strstr(msg, an->path))
		pyo_report_warn(r, "%s", msg);
	else
		pyo_report_warn(r, "%s: %s", an->path, msg);
}

static int read_cb(char **data, size_t *len, const char *path, void *payload)
{
	const struct pyo_analyzed *an = payload;
	const struct check_ctx *x = an->payload;

	/* includes come from the head commit: close enough for a staged
	 * requirements file that includes another */
	return pyo_repo_read_path(data, len, x->repo, path, x->max_blob);
}

/* 1 when `line` (1-based) of `data` or the line above says
 * `pyorgo: ignore` or `pyorgo: ignore[...rule_id...]`. */
int pyo_check_suppressed(const char *data,
                         size_t len,
                         unsigned line,
                         const char *rule_id)
{
	const char *p = data, *end = data + len, *starts[2] = { NULL, NULL };
	unsigned n = 1;
	int k;

	if (!line)
		return 0;
	while (p < end && n < line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return 0;
		if (n == line - 1)
			starts[0] = p;
		p = nl + 1;
		n++;
	}
	starts[1] = p;
	for (k = 0; k < 2; k++) {
		const char *s = starts[k], *e, *m;
		size_t idlen = strlen(rule_id);

		if (!s || s >= end)
			continue;
		e = memchr(s, '\n', (size_t)(end - s));
		if (!e)
			e = end;
		m = pyo_memmem(s, (size_t)(e - s), "pyorgo: ignore", 14);
		if (!m)
			continue;
		m += 14;
		if (m >= e || *m != '[')
			return 1; /* every rule */
		for (m++; m < e && *m != ']';) {
			const char *q = m;

			while (q < e && *q != ']' && *q != ',')
				q++;
			while (m < q && *m == ' ')
				m++;
			if ((size_t)(q - m) >= idlen &&
			    !memcmp(m, rule_id, idlen) &&
			    (q - m == (long)idlen || m[idlen] == ' '))
				return 1;
			m = q < e && *q == ',' ? q + 1 : q;
		}
	}
	return 0;
}

struct blob_text {
	const char *data;
	size_t len;
};

/* 0 for a finding that an ignore comment covers. */
static int not_suppressed(const struct pyo_finding *f, void *payload)
{
	const struct blob_text *t = payload;

	return f->where == PYO_WHERE_MANIFEST ||
	       !pyo_check_suppressed(t->data, t->len, f->line, f->rule_id);
}

/* Drops findings [from, nr) that an ignore comment covers. */
static void apply_suppressions(struct check_ctx *x,
                               struct pyo_findings *f,
                               size_t from,
                               const char *data,
                               size_t len)
{
	struct blob_text t = { data, len };

	x->suppressed[x->side] +=
	        pyo_findings_filter(f, from, not_suppressed, &t);
}

static int analyze_side(struct check_ctx *x, const struct pyo_side *s)
{
	struct side_state *st = &x->sides[x->side];
	struct pyo_analysis a = { 0 };
	struct pyo_analyzed an;
	int error;

	if (!s->present || s->entry.kind != PYO_ENTRY_BLOB ||
	    s->entry.is_missing)
		return 0;
	a.rules = x->rules;
	a.repo = x->repo;
	a.det = x->det;
	a.max_blob = x->max_blob;
	a.findings = &st->findings;
	a.deps = &st->deps;
	a.warn = warn_cb;
	a.read = read_cb;
	a.payload = x;
	error = pyo_analyze_file(&an, &a, &s->entry, NULL);
	if (an.was_read)
		x->blobs_read++;
	if (!error && an.status == PYO_AN_TOO_LARGE)
		warn_cb(&an, "too large to read; its evidence is not checked");
	if (!error && an.text)
		apply_suppressions(x, &st->findings, an.first_finding, an.text,
		                   an.len);
	pyo_analyzed_release(&an);
	return error;
}

/* ---- configuration of the head state ---- */

static int read_file(char **data, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct pyo_buf b = { 0 };
	char chunk[8192];
	size_t n;

	if (!f)
		return pyo_error_setc(PYO_EINVALID, "cannot read config '%s'",
		                      path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (pyo_buf_put(&b, chunk, n) < 0)
			break;
	fclose(f);
	*len = b.len;
	*data = pyo_buf_detach(&b);
	if (!*data && !(*data = calloc(1, 1)))
		return pyo_error_oom();
	return 0;
}

static int load_config(struct check_ctx *x,
                       const struct pyo_check_options *o,
                       const struct pyo_change_list *changes)
{
	char *data = NULL;
	size_t len = 0, i;
	const char *name = ".pyorgo.json";
	int error = 0;

	if (o->no_config)
		return 0;
	if (o->config_path) {
		if ((error = read_file(&data, &len, o->config_path)) < 0)
			return error;
		name = o->config_path;
		goto parse;
	}
	for (i = 0; i < changes->nr; i++) {
		const struct pyo_change *ch = &changes->items[i];
		struct pyo_blob blob = { 0 };

		if (strcmp(ch->path, name))
			continue;
		/* the policy as the change leaves it */
		if (!ch->new_side.present)
			return 0;
		if (pyo_blob_read(&blob, x->repo, &ch->new_side.entry) < 0)
			return pyo_error_setc(
			        PYO_EREPO, "cannot read the staged %s", name);
		data = pyo_strndup(blob.data, blob.len);
		len = blob.len;
		pyo_blob_release(&blob);
		if (!data)
			return PYO_ERROR;
		goto parse;
	}
	if (!x->has_head_tree)
		return 0;
	error = pyo_repo_read_path(&data, &len, x->repo, name, 1024 * 1024);
	if (error == PYO_ENOTFOUND)
		return 0;
	if (error < 0)
		return error;
parse:
	error = pyo_config_parse(&x->config, name, data, len);
	free(data);
	return error;
}

/* ---- the two sides ---- */

static int fill_identity(struct check_ctx *x, const struct pyo_check_options *o)
{
	struct pyo_report *r = x->check->report;

	r->repo_path = pyo_strdup(o->path ? o->path : ".");
	r->git_dir = pyo_strdup(x->repo->git_dir);
	r->rev = pyo_strdup(o->staged ? "index" : o->head ? o->head : "HEAD");
	r->rules_version = pyo_strdup(pyo_rules_version(o->rules));
	x->check->base_rev = pyo_strdup(o->staged ? "HEAD" : o->base);
	x->check->head_rev = pyo_strdup(r->rev);
	if (!r->repo_path || !r->git_dir || !r->rev || !r->rules_version ||
	    !x->check->base_rev || !x->check->head_rev)
		return PYO_ERROR;
	git_oid_tostr(r->commit, sizeof(r->commit), &x->repo->commit_id);
	r->commit_time = x->repo->commit_time;
	r->is_bare = x->repo->is_bare;
	r->is_shallow = x->repo->is_shallow;
	return 0;
}

static int list_changes(struct check_ctx *x,
                        struct pyo_change_list *changes,
                        const struct pyo_check_options *o)
{
	unsigned char commit[20], tree[20], head[20];
	int error;

	memcpy(head, x->repo->commit_id.id, 20);
	if (o->staged) {
		git_oid_tostr(x->check->base_commit,
		              sizeof(x->check->base_commit),
		              &x->repo->commit_id);
		return pyo_walk_diff_index(changes, &x->staged, x->repo,
		                           x->repo->tree_id.id, o->index_path);
	}
	if ((error = pyo_walk_resolve(commit, tree, x->repo, o->base)) < 0 ||
	    (error = pyo_walk_merge_base(commit, tree, x->repo, commit, head)) <
	            0)
		return error;
	{
		git_oid id;

		memcpy(id.id, commit, 20);
		git_oid_tostr(x->check->base_commit,
		              sizeof(x->check->base_commit), &id);
	}
	return pyo_walk_diff_trees(changes, x->repo, tree, x->repo->tree_id.id);
}

static int record_files(struct pyo_check *c,
                        const struct pyo_change_list *changes)
{
	size_t i;

	c->files = calloc(changes->nr ? changes->nr : 1, sizeof(*c->files));
	if (!c->files)
		return pyo_error_oom();
	for (i = 0; i < changes->nr; i++) {
		struct pyo_check_file *f = &c->files[c->nr_files];

		if (!(f->path = pyo_strdup(changes->items[i].path)))
			return PYO_ERROR;
		f->status = changes->items[i].status;
		f->is_conflict = changes->items[i].is_conflict;
		c->nr_files++;
	}
	c->nr_conflicts = changes->nr_conflicts;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void ctx_release(struct check_ctx *x)
{
	int k;

	check_mix_release(x);
	for (k = 0; k < 2; k++) {
		pyo_findings_clear(&x->sides[k].findings);
		pyo_deps_clear(&x->sides[k].deps);
	}
	pyo_tree_list_clear(&x->staged);
	pyo_detector_free(x->det);
	pyo_config_free(x->config);
	pyo_repo_free(x->repo);
}

/* Before the first commit there is nothing to compare with: not an error
 * (a pre-commit hook must not block the first commit), but said. */
static int unborn(struct pyo_check *c)
{
	pyo_error_clear();
	if (!(c->base_rev = pyo_strdup("HEAD")) ||
	    !(c->head_rev = pyo_strdup("index")) ||
	    !(c->report->rev = pyo_strdup("index")) ||
	    !(c->marks = calloc(1, 1)))
		return PYO_ERROR;
	c->is_staged = 1;
	return pyo_report_warn(c->report, "no commits yet: the first commit "
	                                  "is not checked");
}

int pyo_check_run(struct pyo_check **out, const struct pyo_check_options *o)
{
	struct check_ctx x = { 0 };
	struct pyo_change_list changes = { 0 };
	struct pyo_check *c;
	double t0 = now_ms();
	size_t i;
	int error;

	*out = NULL;
	if (!o->rules)
		return pyo_error_setc(PYO_EINVALID, "no rules to check with");
	if (!o->staged && !o->base)
		return pyo_error_setc(PYO_EINVALID,
		                      "say what to compare: --staged, or "
		                      "--base REV [--head REV]");
	if (o->staged && (o->base || o->head))
		return pyo_error_setc(PYO_EINVALID,
		                      "--staged compares the index with HEAD; "
		                      "it takes no --base or --head");
	if (!(c = calloc(1, sizeof(*c))))
		return pyo_error_oom();
	x.check = c;
	x.rules = o->rules;
	x.max_blob = o->max_blob_size ? o->max_blob_size : DEFAULT_MAX_BLOB;
	c->is_staged = o->staged;
	if ((error = pyo_report_new(&c->report)) < 0)
		goto done;
	c->report->check = c;
	error = pyo_repo_open(
	        &x.repo, o->path ? o->path : ".", o->staged ? NULL : o->head,
	        o->allow_foreign_owner ? PYO_REPO_ALLOW_FOREIGN_OWNER : 0);
	if (error == PYO_EUNBORN && o->staged) {
		/* NEEDSWORK: check the first commit against the empty tree;
		 * pyo_repo_open() cannot open a repository without commits */
		error = unborn(c);
		goto finish;
	}
	if (error < 0)
		goto done;
	/* a bare repository has no index: every file would look deleted */
	if (o->staged && x.repo->is_bare && !o->index_path &&
	    !getenv("GIT_INDEX_FILE")) {
		error = pyo_error_setc(PYO_EINVALID,
		                       "--staged needs a work tree with an "
		                       "index, and '%s' is a bare repository; "
		                       "use --base REV, or --index FILE",
		                       o->path ? o->path : ".");
		goto done;
	}
	x.has_head_tree = 1;
	(void)pyo_reader_new(&x.repo->blob_reader, x.repo->git, x.repo->odb,
	                     CHECK_BLOB_CACHE);
	/* the head tree's mix is the longest part: it starts first */
	if ((!o->staged && (error = check_mix_start(&x)) < 0) ||
	    (error = fill_identity(&x, o)) < 0 ||
	    (error = list_changes(&x, &changes, o)) < 0 ||
	    (error = record_files(c, &changes)) < 0 ||
	    (error = load_config(&x, o, &changes)) < 0 ||
	    (error = pyo_detector_new(&x.det, o->rules)) < 0)
		goto done;
	if (changes.nr_conflicts)
		pyo_report_warn(c->report,
		                "%zu paths are unmerged; their \"ours\" side "
		                "(stage 2) is checked",
		                changes.nr_conflicts);

	for (i = 0; i < changes.nr && !error; i++) {
		x.side = 0;
		if ((error = analyze_side(&x, &changes.items[i].old_side)) < 0)
			break;
		x.side = 1;
		error = analyze_side(&x, &changes.items[i].new_side);
	}
	if (error < 0)
		goto done;
	for (i = 0; i < 2; i++)
		if ((error = pyo_detect_deps(&x.sides[i].findings, o->rules,
		                             &x.sides[i].deps)) < 0)
			goto done;
	c->nr_suppressed = x.suppressed[1];
	if ((error = check_compare(&x)) < 0 ||
	    (error = check_decide(&x, o, &changes)) < 0 ||
	    (error = check_policy(&x)) < 0)
		goto done;
finish:
	if (error < 0)
		goto done;
	c->report->timings.total_ms = c->elapsed_ms = now_ms() - t0;
	*out = c;
	c = NULL;
done:
	pyo_change_list_clear(&changes);
	ctx_release(&x);
	pyo_check_free(c);
	return error;
}
