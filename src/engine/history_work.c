/*
 * history_work.c: the workers of the history walk. Each has its own
 * repository handle, path -> language cache and totals; it takes batches
 * of commits from the queue, diffs each against its first parent,
 * classifies the changed paths and records them under the author after
 * .mailmap.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyorgo/common.h"
#include "history_int.h"
#include "mailmap.h"
#include "repo.h"
#include "vec.h"
#include "banned.h"

/* cache value: path not in any language */
static char not_counted;

/* paths in a cache, about 25 MB */
#define PATH_CACHE_MAX (256u * 1024)

static struct batch *queue_pop(struct queue *q)
{
	struct batch *b;

	pthread_mutex_lock(&q->mu);
	while (!q->head && !q->closed)
		pthread_cond_wait(&q->can_pop, &q->mu);
	b = q->head;
	if (b) {
		q->head = b->next;
		if (!q->head)
			q->tail = NULL;
		q->nr--;
		pthread_cond_signal(&q->can_push);
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void work_batch(struct worker *w, struct batch *b);
static void batch_put(struct queue *q, struct batch *b);

void hwork_push(struct queue *q, struct batch *b)
{
	if (q->inline_w) {
		if (!q->share_n || q->nr_batches % q->share_n == q->share_k)
			work_batch(q->inline_w, b);
		else if (q->feed_fd > 0 && hwork_batch_write(q->feed_fd, b) < 0)
			q->failed = 1;
		q->nr_batches++;
		if (q->inline_w->oom)
			q->failed = 1;
		batch_put(q, b);
		return;
	}
	pthread_mutex_lock(&q->mu);
	while (q->nr >= HWORK_QUEUE_MAX && !q->failed)
		pthread_cond_wait(&q->can_push, &q->mu);
	b->next = NULL;
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->nr++;
	pthread_cond_signal(&q->can_pop);
	pthread_mutex_unlock(&q->mu);
}

/* An empty batch, reused from the spares when possible. */
struct batch *hwork_batch_get(struct queue *q)
{
	struct batch *b;

	pthread_mutex_lock(&q->mu);
	b = q->spare;
	if (b)
		q->spare = b->next;
	pthread_mutex_unlock(&q->mu);
	if (!b && !(b = calloc(1, sizeof(*b)))) {
		pyo_error_oom();
		return NULL;
	}
	b->nr = 0;
	b->next = NULL;
	pyo_buf_clear(&b->strs);
	return b;
}

static void batch_put(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	b->next = q->spare;
	q->spare = b;
	pthread_mutex_unlock(&q->mu);
}

static void queue_fail(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->failed = 1;
	pthread_cond_broadcast(&q->can_push);
	pthread_mutex_unlock(&q->mu);
}

void hwork_batch_list_free(struct batch *b)
{
	while (b) {
		struct batch *next = b->next;

		pyo_buf_release(&b->strs);
		free(b);
		b = next;
	}
}

/* ---- workers ------------------------------------------------------------ */

static const struct pyo_language *
path_lang(struct worker *w, const char *path, size_t len)
{
	const struct pyo_language *lang = NULL;
	enum pyo_lang_type type;
	struct pyo_class cls;
	void *v;

	if ((v = pyo_strmap_get(&w->langs, path, len)))
		return v == (void *)&not_counted ? NULL : v;
	memset(&cls, 0, sizeof(cls));
	if (pyo_classify_path(&cls, w->rules, path, NULL) >= 0 && cls.lang &&
	    cls.exclude == PYO_EX_NONE) {
		type = pyo_language_type(cls.lang);
		if (type == PYO_LT_PROGRAMMING || type == PYO_LT_MARKUP)
			lang = cls.lang;
	}
	/* a bound whatever the history: the cache starts again when full */
	if (w->langs.nr >= PATH_CACHE_MAX)
		pyo_strmap_clear(&w->langs, NULL);
	if (pyo_strmap_put(&w->langs, path, len,
	                   lang ? (void *)(uintptr_t)lang
	                        : (void *)&not_counted) < 0)
		w->oom = 1;
	return lang;
}

static int on_path(void *payload, const char *path, size_t len)
{
	struct worker *w = payload;
	const struct pyo_language *lang = path_lang(w, path, len);
	size_t i;

	w->agg.changed_paths++;
	if (w->oom)
		return PYO_ERROR;
	if (!lang)
		return 0;
	for (i = 0; i < w->nr_cur; i++)
		if (w->cur[i].lang == lang) {
			w->cur[i].touches++;
			return 0;
		}
	if (PYO_ARRAY_GROW(w->cur, w->nr_cur, w->alloc_cur) < 0) {
		w->oom = 1;
		return PYO_ERROR;
	}
	w->cur[w->nr_cur].lang = lang;
	w->cur[w->nr_cur++].touches = 1;
	return 0;
}

/* Diffs one commit against its first parent and records it. */
static int work_one(struct worker *w, const struct item *it, const char *strs)
{
	const char *name, *email;
	int error;

	w->nr_cur = 0;
	error = hdiff_trees(w->trees, it->has_parent ? &it->parent_tree : NULL,
	                    &it->tree, on_path, w);
	if (w->oom)
		return PYO_ERROR;
	if (error < 0) {
		/* a missing tree: the commit's changes are unknown */
		w->agg.missing_objects++;
		w->agg.unattributed++;
		return 0;
	}
	pyo_mailmap_resolve(w->mm, &name, &email, strs + it->name,
	                    strs + it->email);
	return hagg_commit(&w->agg, name, email, it->time, w->cur, w->nr_cur);
}

static void work_batch(struct worker *w, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nr && !w->oom; i++)
		if (work_one(w, &b->items[i], b->strs.ptr) < 0) {
			w->oom = 1;
			snprintf(w->error, sizeof(w->error), "%s",
			         pyo_error_last());
		}
}

void hwork_run_batch(struct worker *w, struct batch *b)
{
	work_batch(w, b);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* 1 when all `n` bytes came, 0 at a clean end before any, -1 otherwise. */
static int read_all(int fd, void *p, size_t n)
{
	char *c = p;
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, c + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (!k)
			return got ? -1 : 0;
		got += (size_t)k;
	}
	return 1;
}

/* Same program on both ends of the pipe: the items go as they are. */
int hwork_batch_write(int fd, const struct batch *b)
{
	uint64_t head[2] = { b->nr, b->strs.len };

	if (write_all(fd, head, sizeof(head)) < 0 ||
	    write_all(fd, b->items, b->nr * sizeof(*b->items)) < 0 ||
	    (b->strs.len && write_all(fd, b->strs.ptr, b->strs.len) < 0))
		return pyo_error_set("cannot hand commits to a worker");
	return 0;
}

int hwork_batch_read(int fd, struct batch *b)
{
	uint64_t head[2];
	int rc = read_all(fd, head, sizeof(head));

	if (rc <= 0)
		return rc;
	if (head[0] > HWORK_BATCH || head[1] > (64u << 20))
		return -1;
	b->nr = (size_t)head[0];
	pyo_buf_clear(&b->strs);
	if (read_all(fd, b->items, b->nr * sizeof(*b->items)) != 1 ||
	    pyo_buf_grow(&b->strs, (size_t)head[1]) < 0 ||
	    (head[1] && read_all(fd, b->strs.ptr, (size_t)head[1]) != 1))
		return -1;
	b->strs.len = (size_t)head[1];
	b->strs.ptr[b->strs.len] = '\0';
	return 1;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch *b;

	while ((b = queue_pop(w->q))) {
		work_batch(w, b);
		batch_put(w->q, b);
		if (w->oom)
			queue_fail(w->q);
	}
	return NULL;
}

int hwork_failed(struct queue *q)
{
	int failed;

	pthread_mutex_lock(&q->mu);
	failed = q->failed;
	pthread_mutex_unlock(&q->mu);
	return failed;
}

int hwork_start(struct worker *ws,
                size_t n,
                struct queue *q,
                struct pyo_repo *repo,
                const struct pyo_rules *rules,
                const struct pyo_mailmap *mm)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ws[i].q = q;
		ws[i].rules = rules;
		ws[i].mm = mm;
		if (pyo_repo_reopen(&ws[i].repo, repo) < 0 ||
		    hdiff_cache_new(&ws[i].trees, ws[i].repo) < 0)
			return PYO_ERROR;
		if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i])) {
			pyo_repo_free(ws[i].repo);
			ws[i].repo = NULL;
			return pyo_error_set("cannot start a history worker");
		}
		ws[i].started = 1;
	}
	return 0;
}

int hwork_stop(struct worker *ws, size_t n, struct queue *q)
{
	int error = 0;
	size_t i;

	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->can_pop);
	pthread_mutex_unlock(&q->mu);
	for (i = 0; i < n; i++) {
		if (ws[i].started)
			pthread_join(ws[i].thread, NULL);
		ws[i].started = 0;
		if (ws[i].oom && !error)
			error = pyo_error_set("history: %s", ws[i].error);
	}
	for (i = 1; i < n && !error; i++)
		error = hagg_merge(&ws[0].agg, &ws[i].agg);
	return error;
}
