/*
 * history_walk.c: lists the commits reachable from REV (newest committer
 * date first, like `git log`) on the calling thread and hands them in
 * batches to worker threads, each with its own repository handle, which
 * diff them and keep their own totals; the totals are merged at the end.
 *
 * libgit2 1.5.1's revwalk fails on shallow clones, so the walk is our
 * own: a heap on commit time, a set of seen ids, and <gitdir>/shallow
 * read as the list of boundary commits.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "buf.h"
#include "history_int.h"
#include "mailmap.h"
#include "repo.h"
#include "strmap.h"
#include "vec.h"
#include "banned.h"

#define MAILMAP_MAX (4u << 20)

/* ---- a set of object ids ---------------------------------------------- */

struct oidset {
	git_oid *slots; /* all-zero id: free (never a real object) */
	size_t nr, cap;
};

static int oid_is_zero(const git_oid *id)
{
	static const git_oid zero;

	return !memcmp(id, &zero, sizeof(zero));
}

static size_t oid_slot(const struct oidset *s, const git_oid *id)
{
	size_t i;

	memcpy(&i, id->id, sizeof(i)); /* ids are uniformly random */
	i &= s->cap - 1;
	while (!oid_is_zero(&s->slots[i]) && !git_oid_equal(&s->slots[i], id))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int oidset_contains(const struct oidset *s, const git_oid *id)
{
	return s->cap && !oid_is_zero(&s->slots[oid_slot(s, id)]);
}

/* 1 when added, 0 when already there, PYO_ERROR on OOM */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t i;

	if ((s->nr + 1) * 2 > s->cap) {
		struct oidset n = { NULL, 0, s->cap ? s->cap * 2 : 1024 };

		if (!(n.slots = calloc(n.cap, sizeof(git_oid))))
			return pyo_error_oom();
		for (i = 0; i < s->cap; i++)
			if (!oid_is_zero(&s->slots[i]))
				n.slots[oid_slot(&n, &s->slots[i])] =
				        s->slots[i];
		n.nr = s->nr;
		free(s->slots);
		*s = n;
	}
	i = oid_slot(s, id);
	if (!oid_is_zero(&s->slots[i]))
		return 0;
	s->slots[i] = *id;
	s->nr++;
	return 1;
}

static void oidset_release(struct oidset *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* Reads <gitdir>/shallow: one hex id per line. */
static int read_shallow(struct oidset *set, git_repository *repo)
{
	char path[4096], line[128];
	git_oid id;
	FILE *f;
	int error = 0;

	snprintf(path, sizeof(path), "%sshallow", git_repository_path(repo));
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) &&
		    (error = oidset_add(set, &id)) < 0)
			break;
	fclose(f);
	return error < 0 ? error : 0;
}

/* ---- a heap of commits, newest committer date first ------------------- */

struct heap_item {
	int64_t time;
	git_commit *commit;
};

struct heap {
	struct heap_item *items;
	size_t nr, alloc;
};

static int heap_before(const struct heap_item *a, const struct heap_item *b)
{
	if (a->time != b->time)
		return a->time > b->time;
	return git_oid_cmp(git_commit_id(a->commit), git_commit_id(b->commit)) <
	       0;
}

static int heap_push(struct heap *h, git_commit *c)
{
	size_t i;

	if (PYO_ARRAY_GROW(h->items, h->nr, h->alloc) < 0)
		return PYO_ERROR;
	i = h->nr++;
	h->items[i].time = git_commit_time(c);
	h->items[i].commit = c;
	while (i && heap_before(&h->items[i], &h->items[(i - 1) / 2])) {
		struct heap_item t = h->items[i];

		h->items[i] = h->items[(i - 1) / 2];
		h->items[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static git_commit *heap_pop(struct heap *h)
{
	git_commit *top;
	size_t i = 0;

	if (!h->nr)
		return NULL;
	top = h->items[0].commit;
	h->items[0] = h->items[--h->nr];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct heap_item t;

		if (l < h->nr && heap_before(&h->items[l], &h->items[m]))
			m = l;
		if (r < h->nr && heap_before(&h->items[r], &h->items[m]))
			m = r;
		if (m == i)
			break;
		t = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = t;
		i = m;
	}
	return top;
}

static void heap_release(struct heap *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		git_commit_free(h->items[i].commit);
	free(h->items);
	memset(h, 0, sizeof(*h));
}

/* ---- the walk ----------------------------------------------------------- */

struct walk {
	struct pyo_history *h;
	struct pyo_repo *repo;
	const struct pyo_history_options *opts;
	struct queue *q;
	struct oidset seen, shallow;
	struct heap heap;
	struct batch *cur;
	uint64_t missing_commits;
};

/* Queues one non-merge (or first-parent) commit for the workers. */
static int enqueue(struct walk *wk, git_commit *c, const git_oid *ptree)
{
	const git_signature *sig = git_commit_author(c);
	struct item *it;

	if (!wk->cur && !(wk->cur = hwork_batch_get(wk->q)))
		return PYO_ERROR;
	it = &wk->cur->items[wk->cur->nr];
	git_oid_cpy(&it->tree, git_commit_tree_id(c));
	it->has_parent = ptree != NULL;
	if (ptree)
		git_oid_cpy(&it->parent_tree, ptree);
	it->time = sig ? (int64_t)sig->when.time : git_commit_time(c);
	it->name = wk->cur->strs.len;
	if (pyo_buf_puts(&wk->cur->strs, sig && sig->name ? sig->name : "") <
	            0 ||
	    pyo_buf_putc(&wk->cur->strs, '\0') < 0)
		return PYO_ERROR;
	it->email = wk->cur->strs.len;
	if (pyo_buf_puts(&wk->cur->strs, sig && sig->email ? sig->email : "") <
	            0 ||
	    pyo_buf_putc(&wk->cur->strs, '\0') < 0)
		return PYO_ERROR;
	if (++wk->cur->nr == HWORK_BATCH) {
		hwork_push(wk->q, wk->cur);
		wk->cur = NULL;
	}
	return 0;
}

/* The tree of a commit, read raw (the walk has usually parsed it). */
static int commit_tree(git_oid *tree, git_odb *odb, const git_oid *id)
{
	git_odb_object *obj;
	const char *data;
	int error = GIT_ENOTFOUND;

	if (git_odb_read(&obj, odb, id) < 0)
		return GIT_ENOTFOUND;
	data = git_odb_object_data(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    git_odb_object_size(obj) >= 5 + GIT_OID_HEXSZ &&
	    !memcmp(data, "tree ", 5))
		error = git_oid_fromstrn(tree, data + 5, GIT_OID_HEXSZ);
	git_odb_object_free(obj);
	return error < 0 ? GIT_ENOTFOUND : 0;
}

/*
 * Looks up and queues a parent the first time it is seen; a missing one
 * is counted. `tree` (when not NULL) receives the parent's tree id;
 * returns 1 when the parent cannot be read.
 */
static int push_parent(struct walk *wk, const git_oid *id, git_oid *tree)
{
	git_commit *p;
	int added = oidset_add(&wk->seen, id);

	if (added < 0)
		return added;
	if (!added)
		return tree && commit_tree(tree, wk->repo->odb, id) < 0 ? 1 : 0;
	if (git_commit_lookup(&p, wk->repo->git, id) < 0) {
		wk->missing_commits++;
		return 1;
	}
	if (tree)
		git_oid_cpy(tree, git_commit_tree_id(p));
	if (heap_push(&wk->heap, p) < 0) {
		git_commit_free(p);
		return PYO_ERROR;
	}
	return 0;
}

static int visit(struct walk *wk, git_commit *c)
{
	struct pyo_history *h = wk->h;
	unsigned i, np = git_commit_parentcount(c);
	int boundary = oidset_contains(&wk->shallow, git_commit_id(c));
	int parent_missing = 0, error;
	git_oid ptree;

	h->commits++;
	if (np > 1)
		h->merges++;
	if (boundary) {
		/* its parents are not here: diffing it against the empty
		 * tree would credit its author with the whole tree */
		h->boundary_commits++;
		return 0;
	}
	for (i = 0; i < np; i++) {
		error = push_parent(wk, git_commit_parent_id(c, i),
		                    i == 0 ? &ptree : NULL);
		if (error < 0)
			return error;
		if (i == 0 && error)
			parent_missing = 1;
		if (wk->opts->first_parent)
			break;
	}
	if (np > 1 && !wk->opts->first_parent)
		return 0; /* its changes are its side commits' own */
	if (parent_missing) {
		/* cannot diff against it (counted as missing already) */
		h->unattributed++;
		return 0;
	}
	return enqueue(wk, c, np ? &ptree : NULL);
}

static int walk_commits(struct walk *wk)
{
	const struct pyo_history_options *o = wk->opts;
	git_commit *c;
	int error = 0;

	if ((error = oidset_add(&wk->seen, &wk->repo->commit_id)) < 0)
		return error;
	if (git_commit_lookup(&c, wk->repo->git, &wk->repo->commit_id) < 0) {
		wk->missing_commits++;
		return 0;
	}
	if ((error = heap_push(&wk->heap, c)) < 0) {
		git_commit_free(c);
		return error;
	}
	while (!error && (c = heap_pop(&wk->heap))) {
		if ((o->max_commits && wk->h->commits >= o->max_commits) ||
		    (o->since && git_commit_time(c) < o->since)) {
			wk->h->truncated = 1;
			git_commit_free(c);
			break;
		}
		error = visit(wk, c);
		git_commit_free(c);
		if (hwork_failed(wk->q))
			error = PYO_ERROR;
	}
	if (!error && wk->cur && wk->cur->nr) {
		hwork_push(wk->q, wk->cur);
		wk->cur = NULL;
	}
	return error;
}

static void load_mailmap(struct pyo_mailmap **mm,
                         struct pyo_history *h,
                         struct pyo_repo *repo,
                         pyo_warn_cb warn,
                         void *payload)
{
	char *data = NULL, msg[512];
	size_t len = 0;
	int error =
	        pyo_repo_read_path(&data, &len, repo, ".mailmap", MAILMAP_MAX);

	if (error == PYO_ENOTFOUND)
		return;
	if (error < 0 || pyo_mailmap_parse(mm, data, len) < 0) {
		if (warn) {
			snprintf(msg, sizeof(msg), "cannot read .mailmap: %s",
			         pyo_error_last());
			warn(payload, msg);
		}
		free(data);
		return;
	}
	free(data);
	h->has_mailmap = 1;
	h->mailmap_entries = pyo_mailmap_count(*mm);
}

static void warn_missing(struct pyo_history *h, pyo_warn_cb warn, void *payload)
{
	char msg[256];

	if (!warn)
		return;
	if (h->missing_objects) {
		snprintf(msg, sizeof(msg),
		         "%llu objects missing (damaged or partial "
		         "clone); %llu commits not attributed",
		         (unsigned long long)h->missing_objects,
		         (unsigned long long)h->unattributed);
		warn(payload, msg);
	}
	if (h->boundary_commits) {
		snprintf(msg, sizeof(msg),
		         "shallow clone: the walk stopped at %llu "
		         "boundary commits",
		         (unsigned long long)h->boundary_commits);
		warn(payload, msg);
	}
}

/*
 * The walk. With `share_n` 0, worker threads diff the commits and the
 * history is finished here. With `share_n` > 0 (a worker process), the
 * batches of share `share_k` are diffed on this thread, and the walk's
 * counters and the unfinished totals go to `*out` and `agg_out`.
 */
int history_walk(struct pyo_history **out,
                 struct hagg *agg_out,
                 struct pyo_repo *repo,
                 const struct pyo_rules *rules,
                 const struct pyo_history_options *opts,
                 size_t share_k,
                 size_t share_n,
                 int feed_fd,
                 pyo_warn_cb warn,
                 void *warn_payload)
{
	struct pyo_history_options none = { 0 };
	struct pyo_mailmap *mm = NULL;
	struct worker *ws = NULL;
	struct queue q;
	struct walk wk;
	size_t n, i;
	int error = PYO_ERROR, stopped = 0;

	if (!opts)
		opts = &none;
	n = share_n ? 1 : opts->threads > 0 ? (size_t)opts->threads : 2;
	memset(&q, 0, sizeof(q));
	memset(&wk, 0, sizeof(wk));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.can_pop, NULL);
	pthread_cond_init(&q.can_push, NULL);
	wk.repo = repo;
	wk.opts = opts;
	wk.q = &q;
	if (!(wk.h = calloc(1, sizeof(*wk.h))) ||
	    !(ws = calloc(n, sizeof(*ws)))) {
		pyo_error_oom();
		goto done;
	}
	wk.h->ref_time = repo->commit_time;
	wk.h->first_parent = !!opts->first_parent;
	wk.h->is_shallow =
	        repo->is_shallow || git_repository_is_shallow(repo->git) > 0;
	load_mailmap(&mm, wk.h, repo, warn, warn_payload);
	if (read_shallow(&wk.shallow, repo->git) < 0)
		goto done;
	if (share_n) {
		ws[0].q = &q;
		ws[0].rules = rules;
		ws[0].mm = mm;
		if (pyo_repo_reopen(&ws[0].repo, repo) < 0 ||
		    hdiff_cache_new(&ws[0].trees, ws[0].repo) < 0)
			goto done;
		q.inline_w = &ws[0];
		q.share_k = share_k;
		q.share_n = share_n;
		q.feed_fd = feed_fd;
	} else if (hwork_start(ws, n, &q, repo, rules, mm) < 0) {
		goto done;
	}
	error = walk_commits(&wk);
	stopped = 1;
	if (share_n) {
		if (ws[0].oom && !error)
			error = pyo_error_set("history: %s", ws[0].error);
	} else if (hwork_stop(ws, n, &q) < 0 && !error) {
		error = PYO_ERROR;
	}
	if (error < 0)
		goto done;
	wk.h->missing_objects = wk.missing_commits;
	if (share_n) {
		*agg_out = ws[0].agg;
		memset(&ws[0].agg, 0, sizeof(ws[0].agg));
	} else {
		if ((error = hagg_finish(wk.h, &ws[0].agg)) < 0)
			goto done;
		warn_missing(wk.h, warn, warn_payload);
	}
	*out = wk.h;
	wk.h = NULL;
done:
	if (!stopped && ws && !share_n)
		hwork_stop(ws, n, &q);
	for (i = 0; ws && i < n; i++) {
		hagg_release(&ws[i].agg);
		pyo_strmap_clear(&ws[i].langs, NULL);
		free(ws[i].cur);
		hdiff_cache_free(ws[i].trees);
		pyo_repo_free(ws[i].repo);
	}
	free(ws);
	if (wk.cur)
		hwork_batch_list_free(wk.cur);
	hwork_batch_list_free(q.head);
	hwork_batch_list_free(q.spare);
	heap_release(&wk.heap);
	oidset_release(&wk.seen);
	oidset_release(&wk.shallow);
	pthread_cond_destroy(&q.can_pop);
	pthread_cond_destroy(&q.can_push);
	pthread_mutex_destroy(&q.mu);
	pyo_mailmap_free(mm);
	pyo_history_free(wk.h);
	return error;
}

int pyo_history_walk(struct pyo_history **out,
                     struct pyo_repo *repo,
                     const struct pyo_rules *rules,
                     const struct pyo_history_options *opts,
                     pyo_warn_cb warn,
                     void *warn_payload)
{
	return history_walk(out, NULL, repo, rules, opts, 0, 0, -1, warn,
	                    warn_payload);
}

int history_work_fd(struct hagg *agg_out,
                    struct pyo_repo *repo,
                    const struct pyo_rules *rules,
                    int fd)
{
	struct pyo_history dummy;
	struct pyo_mailmap *mm = NULL;
	struct worker w;
	struct batch *b = calloc(1, sizeof(*b));
	int rc, error = 0;

	memset(&w, 0, sizeof(w));
	memset(&dummy, 0, sizeof(dummy));
	if (!b)
		return pyo_error_oom();
	/* the same .mailmap as the walking process (its warnings are its) */
	load_mailmap(&mm, &dummy, repo, NULL, NULL);
	w.rules = rules;
	w.mm = mm;
	w.repo = repo;
	if (hdiff_cache_new(&w.trees, repo) < 0) {
		error = PYO_ERROR;
		goto done;
	}
	while ((rc = hwork_batch_read(fd, b)) > 0 && !w.oom)
		hwork_run_batch(&w, b);
	if (rc < 0 || w.oom)
		error = pyo_error_set("history worker: %s",
		                      w.oom ? w.error : "broken pipe");
	if (!error) {
		*agg_out = w.agg;
		memset(&w.agg, 0, sizeof(w.agg));
	}
done:
	hagg_release(&w.agg);
	pyo_strmap_clear(&w.langs, NULL);
	free(w.cur);
	hdiff_cache_free(w.trees);
	pyo_mailmap_free(mm);
	pyo_buf_release(&b->strs);
	free(b);
	return error;
}

void history_warn_missing(struct pyo_history *h,
                          pyo_warn_cb warn,
                          void *payload)
{
	warn_missing(h, warn, payload);
}
