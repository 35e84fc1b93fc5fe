/*
 * history_proc.c: the history walk in two worker processes. libgit2 1.5
 * takes one process-wide lock for every read from a pack, so threads that
 * read many small objects (the trees of a history walk) take turns; two
 * processes do not. The first process walks the commits and diffs every
 * other batch; it hands the others through a pipe to the second, which
 * only diffs. Their totals come back through temporary files and are
 * merged. The processes are forked before the scan starts any thread, so
 * no lock can be held in them. If a worker fails, the walk runs in
 * threads here instead: the result is the same.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pyorgo/history.h"
#include "buf.h"
#include "history_int.h"
#include "repo.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define SHARES 2
#define MAGIC 0x70796f68u /* "pyoh" */
/* the walking worker diffs one batch in WALKER_SHARE: the walk is its
 * other work */
#define WALKER_SHARE 3

struct pyo_history_job {
	struct pyo_repo *repo;
	const struct pyo_rules *rules;
	struct pyo_history_options opts;
	pid_t pids[SHARES];
	FILE *files[SHARES];
	int forked;
};

/* ---- a small binary format (same program on both ends) ---- */

static void put(FILE *f, const void *p, size_t n)
{
	fwrite(p, 1, n, f);
}

static void put_u64(FILE *f, uint64_t v)
{
	put(f, &v, sizeof(v));
}

static void put_str(FILE *f, const char *s)
{
	uint64_t n = s ? strlen(s) : UINT64_MAX;

	put_u64(f, n);
	if (s)
		put(f, s, (size_t)n);
}

static int get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -1;
}

static int get_u64(FILE *f, uint64_t *v)
{
	return get(f, v, sizeof(*v));
}

static int get_str(FILE *f, char **out)
{
	uint64_t n;

	*out = NULL;
	if (get_u64(f, &n) < 0)
		return -1;
	if (n == UINT64_MAX)
		return 0;
	if (n > (1u << 20) || !(*out = malloc((size_t)n + 1)))
		return -1;
	if (get(f, *out, (size_t)n) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[n] = '\0';
	return 0;
}

/* The walk's own counters; the rest is computed from the totals. */
static void put_history(FILE *f, const struct pyo_history *h)
{
	put(f, h, sizeof(*h)); /* pointers in it are NULL before finish */
}

static void put_agg(FILE *f, const struct hagg *a)
{
	struct pyo_strmap_entry *e;
	size_t i, k, j;

	put_u64(f, a->attributed);
	put_u64(f, a->unattributed);
	put_u64(f, a->missing_objects);
	put_u64(f, a->changed_paths);
	put(f, &a->first_time, sizeof(a->first_time));
	put(f, &a->last_time, sizeof(a->last_time));
	put(f, &a->has_time, sizeof(a->has_time));
	put_u64(f, a->authors.nr);
	pyo_strmap_foreach(&a->authors, i, e)
	{
		const struct hauthor *au = e->value;

		put_str(f, e->key);
		put_str(f, au->key);
		put_str(f, au->name);
		put_str(f, au->email);
		put(f, &au->name_time, sizeof(au->name_time));
		put_u64(f, au->commits);
		put(f, &au->first_time, sizeof(au->first_time));
		put(f, &au->last_time, sizeof(au->last_time));
		put(f, &au->is_bot, sizeof(au->is_bot));
		put_u64(f, au->nr);
		for (k = 0; k < au->nr; k++) {
			const struct hal *l = &au->langs[k];

			/* the rules were loaded before the fork: their
			 * addresses are the same in both processes */
			put(f, &l->lang, sizeof(l->lang));
			put_u64(f, l->commits);
			put_u64(f, l->touches);
			put(f, &l->last_time, sizeof(l->last_time));
			put_u64(f, l->nr);
			for (j = 0; j < l->nr; j++)
				put(f, &l->qs[j], sizeof(l->qs[j]));
		}
	}
}

static void free_author(void *v)
{
	struct hauthor *au = v;
	size_t k;

	if (!au)
		return;
	for (k = 0; k < au->nr; k++)
		free(au->langs[k].qs);
	free(au->langs);
	free(au->key);
	free(au->name);
	free(au->email);
	free(au);
}

static int get_author(FILE *f, struct hagg *a)
{
	struct hauthor *au = calloc(1, sizeof(*au));
	char *mapkey = NULL;
	uint64_t nl, nq, k, j;
	int error = -1;

	if (!au || get_str(f, &mapkey) < 0 || !mapkey ||
	    get_str(f, &au->key) < 0 || get_str(f, &au->name) < 0 ||
	    get_str(f, &au->email) < 0 ||
	    get(f, &au->name_time, sizeof(au->name_time)) < 0 ||
	    get_u64(f, &au->commits) < 0 ||
	    get(f, &au->first_time, sizeof(au->first_time)) < 0 ||
	    get(f, &au->last_time, sizeof(au->last_time)) < 0 ||
	    get(f, &au->is_bot, sizeof(au->is_bot)) < 0 ||
	    get_u64(f, &nl) < 0 || nl > 100000)
		goto done;
	if (nl && !(au->langs = calloc((size_t)nl, sizeof(*au->langs))))
		goto done;
	au->alloc = (size_t)nl;
	for (k = 0; k < nl; k++) {
		struct hal *l = &au->langs[k];

		au->nr++;
		if (get(f, &l->lang, sizeof(l->lang)) < 0 ||
		    get_u64(f, &l->commits) < 0 ||
		    get_u64(f, &l->touches) < 0 ||
		    get(f, &l->last_time, sizeof(l->last_time)) < 0 ||
		    get_u64(f, &nq) < 0 || nq > 1000000)
			goto done;
		if (nq && !(l->qs = calloc((size_t)nq, sizeof(*l->qs))))
			goto done;
		l->alloc = (size_t)nq;
		for (j = 0; j < nq; j++, l->nr++)
			if (get(f, &l->qs[j], sizeof(l->qs[j])) < 0)
				goto done;
	}
	if (pyo_strmap_put(&a->authors, mapkey, strlen(mapkey), au) < 0)
		goto done;
	au = NULL;
	error = 0;
done:
	free(mapkey);
	free_author(au);
	return error;
}

static int get_agg(FILE *f, struct hagg *a)
{
	uint64_t n, i;

	if (get_u64(f, &a->attributed) < 0 ||
	    get_u64(f, &a->unattributed) < 0 ||
	    get_u64(f, &a->missing_objects) < 0 ||
	    get_u64(f, &a->changed_paths) < 0 ||
	    get(f, &a->first_time, sizeof(a->first_time)) < 0 ||
	    get(f, &a->last_time, sizeof(a->last_time)) < 0 ||
	    get(f, &a->has_time, sizeof(a->has_time)) < 0 || get_u64(f, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (get_author(f, a) < 0)
			return -1;
	return 0;
}

/* ---- the worker process ---- */

static void child_warn(void *payload, const char *msg)
{
	struct pyo_buf *warnings = payload;

	pyo_buf_puts(warnings, msg);
	pyo_buf_putc(warnings, '\0');
}

/*
 * Worker 0 walks the commits, diffs its share and writes the other
 * batches to `fds[1]`; worker 1 only diffs what it reads from `fds[0]`,
 * so the walk is not done twice.
 */
static void child(struct pyo_history_job *job, size_t k, FILE *f, int fds[2])
{
	struct pyo_buf warnings = { 0 };
	struct pyo_history *h = NULL, none;
	struct pyo_repo *repo = NULL;
	struct hagg agg;
	uint32_t magic = MAGIC;
	const char *w;
	int error;

	memset(&agg, 0, sizeof(agg));
	memset(&none, 0, sizeof(none));
	signal(SIGPIPE, SIG_IGN); /* a dead peer is an error, not a kill */
	close(fds[k == 0 ? 0 : 1]);
	error = pyo_repo_reopen(&repo, job->repo);
	if (!error && k == 0)
		error = history_walk(&h, &agg, repo, job->rules, &job->opts, 0,
		                     WALKER_SHARE, fds[1], child_warn,
		                     &warnings);
	else if (!error)
		error = history_work_fd(&agg, repo, job->rules, fds[0]);
	close(fds[k == 0 ? 1 : 0]);
	if (error < 0)
		_exit(1);
	if (!h)
		h = &none;
	put(f, &magic, sizeof(magic));
	put_history(f, h);
	put_agg(f, &agg);
	for (w = warnings.ptr; k == 0 && w && w < warnings.ptr + warnings.len;
	     w += strlen(w) + 1)
		put_str(f, w);
	put_str(f, NULL);
	put(f, &magic, sizeof(magic));
	_exit(fflush(f) ? 1 : 0);
}

int pyo_history_start(struct pyo_history_job **out,
                      struct pyo_repo *repo,
                      const struct pyo_rules *rules,
                      const struct pyo_history_options *opts)
{
	struct pyo_history_job *job = calloc(1, sizeof(*job));
	int fds[2];
	size_t k;

	*out = NULL;
	if (!job)
		return pyo_error_oom();
	job->repo = repo;
	job->rules = rules;
	if (opts)
		job->opts = *opts;
	*out = job;
	/* with one worker asked for, or without a second core, stay here */
	if (job->opts.threads == 1 || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	fflush(NULL);
	if (pipe(fds) < 0)
		return 0;
	for (k = 0; k < SHARES; k++) {
		if (!(job->files[k] = tmpfile()))
			break;
		job->pids[k] = fork();
		if (job->pids[k] < 0) {
			job->pids[k] = 0;
			break;
		}
		if (!job->pids[k])
			child(job, k, job->files[k], fds);
	}
	close(fds[0]);
	close(fds[1]);
	job->forked = k == SHARES;
	return 0;
}

static int read_back(struct pyo_history **out,
                     struct pyo_history_job *job,
                     pyo_warn_cb warn,
                     void *payload)
{
	struct pyo_history *h = NULL, tmp;
	struct hagg aggs[SHARES];
	uint32_t magic;
	size_t k;
	int error = -1;

	memset(aggs, 0, sizeof(aggs));
	for (k = 0; k < SHARES; k++) {
		FILE *f = job->files[k];
		char *w;

		rewind(f);
		if (get(f, &magic, sizeof(magic)) < 0 || magic != MAGIC ||
		    get(f, &tmp, sizeof(tmp)) < 0 || get_agg(f, &aggs[k]) < 0)
			goto done;
		for (;;) {
			if (get_str(f, &w) < 0)
				goto done;
			if (!w)
				break;
			if (warn)
				warn(payload, w);
			free(w);
		}
		if (get(f, &magic, sizeof(magic)) < 0 || magic != MAGIC)
			goto done;
		if (k == 0) {
			if (!(h = malloc(sizeof(*h))))
				goto done;
			*h = tmp;
		}
	}
	for (k = 1; k < SHARES; k++)
		if (hagg_merge(&aggs[0], &aggs[k]) < 0)
			goto done;
	if (hagg_finish(h, &aggs[0]) < 0)
		goto done;
	history_warn_missing(h, warn, payload);
	*out = h;
	h = NULL;
	error = 0;
done:
	for (k = 0; k < SHARES; k++)
		hagg_release(&aggs[k]);
	pyo_history_free(h);
	return error;
}

int pyo_history_finish(struct pyo_history **out,
                       struct pyo_history_job *job,
                       pyo_warn_cb warn,
                       void *payload)
{
	int ok = job->forked;
	size_t k;

	*out = NULL;
	for (k = 0; k < SHARES; k++) {
		int st = 0;

		if (job->pids[k] > 0 &&
		    (waitpid(job->pids[k], &st, 0) < 0 || !WIFEXITED(st) ||
		     WEXITSTATUS(st) != 0))
			ok = 0;
		job->pids[k] = 0;
	}
	if (ok && read_back(out, job, warn, payload) == 0)
		return 0;
	/* no worker processes, or one failed: walk here, in threads */
	return pyo_history_walk(out, job->repo, job->rules, &job->opts, warn,
	                        payload);
}

void pyo_history_job_free(struct pyo_history_job *job)
{
	size_t k;

	if (!job)
		return;
	for (k = 0; k < SHARES; k++) {
		if (job->pids[k] > 0)
			waitpid(job->pids[k], NULL, 0);
		if (job->files[k])
			fclose(job->files[k]);
	}
	free(job);
}
