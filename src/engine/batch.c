/*
 * batch.c: a pool of worker processes, one repository each. Processes,
 * not threads: libgit2's object cache and pack-window lock are
 * process-wide, and a crash or a runaway repository must not take the
 * batch down. Each worker writes its record to a private temporary file;
 * the parent copies records out in input order.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pyorgo/batch.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

static int is_repo(const char *dir)
{
	struct pyo_buf b = { 0 };
	struct stat st;
	int yes;

	pyo_buf_printf(&b, "%s/.git", dir);
	yes = b.ptr && !stat(b.ptr, &st);
	if (!yes) {
		/* bare: HEAD and objects/ */
		pyo_buf_clear(&b);
		pyo_buf_printf(&b, "%s/HEAD", dir);
		yes = b.ptr && !stat(b.ptr, &st) && S_ISREG(st.st_mode);
		pyo_buf_clear(&b);
		pyo_buf_printf(&b, "%s/objects", dir);
		yes = yes && b.ptr && !stat(b.ptr, &st) && S_ISDIR(st.st_mode);
	}
	pyo_buf_release(&b);
	return yes;
}

static int push_path(struct pyo_vec *v, const char *path)
{
	char *p = pyo_strdup(path);

	if (!p || pyo_vec_push(v, p) < 0) {
		free(p);
		return PYO_ERROR;
	}
	return 0;
}

static int scan_dir(struct pyo_vec *v, const char *dir, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int error = 0;

	if (!d)
		return pyo_error_setc(PYO_EINVALID,
		                      "cannot read folder '%s': %s", dir,
		                      strerror(errno));
	while (!error && (de = readdir(d))) {
		struct pyo_buf b = { 0 };
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		pyo_buf_printf(&b, "%s/%s", dir, de->d_name);
		if (b.ptr && !stat(b.ptr, &st) && S_ISDIR(st.st_mode)) {
			if (is_repo(b.ptr))
				error = push_path(v, b.ptr);
			else if (depth > 1)
				error = scan_dir(v, b.ptr, depth - 1);
		}
		pyo_buf_release(&b);
	}
	closedir(d);
	return error;
}

static int read_list(struct pyo_vec *v, FILE *f)
{
	char line[8192];

	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		             line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (push_path(v, line) < 0)
			return PYO_ERROR;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pyo_batch_paths(char ***out, size_t *nr, const char *source)
{
	struct pyo_vec v = { 0 };
	struct stat st;
	int error = 0;

	*out = NULL;
	*nr = 0;
	if (!strcmp(source, "-")) {
		error = read_list(&v, stdin);
	} else if (stat(source, &st) < 0) {
		return pyo_error_setc(PYO_EINVALID, "cannot open '%s': %s",
		                      source, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		error = is_repo(source) ? push_path(&v, source)
		                        : scan_dir(&v, source, 2);
	} else {
		FILE *f = fopen(source, "r");

		if (!f)
			return pyo_error_setc(PYO_EINVALID,
			                      "cannot read list '%s': %s",
			                      source, strerror(errno));
		error = read_list(&v, f);
		fclose(f);
	}
	if (error < 0) {
		pyo_vec_clear(&v, free);
		return error;
	}
	if (v.nr > 1)
		pyo_qsort(v.items, v.nr, sizeof(*v.items), cmp_str);
	*out = (char **)v.items;
	*nr = v.nr;
	return 0;
}

void pyo_batch_paths_free(char **paths, size_t nr)
{
	size_t i;

	if (!paths)
		return;
	for (i = 0; i < nr; i++)
		free(paths[i]);
	free(paths);
}

void pyo_batch_shard(char **paths, size_t *nr, unsigned k, unsigned n)
{
	size_t i, kept = 0;

	if (!n || !k || k > n)
		return;
	for (i = 0; i < *nr; i++) {
		if (i % n == k - 1)
			paths[kept++] = paths[i];
		else
			free(paths[i]);
	}
	*nr = kept;
}

struct slot {
	pid_t pid;
	size_t index;
	FILE *tmp;
};

static int emit_error(FILE *out,
                      const char *rules_version,
                      const char *path,
                      int code,
                      const char *msg,
                      pyo_batch_emit_cb emit,
                      void *payload)
{
	struct pyo_report *r = NULL;
	int error;

	if ((error = pyo_report_new(&r)) < 0)
		return error;
	r->repo_path = pyo_strdup(path);
	r->error = pyo_strdup(msg);
	r->rules_version = pyo_strdup(rules_version);
	r->error_code = code ? code : PYO_ERROR;
	error = r->repo_path && r->error && r->rules_version
	                ? emit(out, r, payload)
	                : PYO_ERROR;
	pyo_report_free(r);
	return error;
}

/* In the worker: scan one repository, write its record, exit. */
static void worker(const struct pyo_batch_options *opts,
                   const char *path,
                   FILE *tmp,
                   pyo_batch_emit_cb emit,
                   void *payload)
{
	struct pyo_scan_options so = opts->scan;
	struct pyo_report *r = NULL;
	int error, failed;

	if (opts->timeout_s)
		alarm(opts->timeout_s);
	so.path = path;
	so.threads = 1;   /* the pool already uses every core */
	so.no_search = 1; /* a listed path is a repository or an error */
	error = pyo_scan(&r, &so);
	failed = error < 0;
	if (failed)
		error = emit_error(tmp, pyo_rules_version(opts->scan.rules),
		                   path, error, pyo_error_last(), emit,
		                   payload);
	else
		error = emit(tmp, r, payload);
	pyo_report_free(r);
	if (fflush(tmp))
		error = PYO_ERROR;
	/* 2: an error record was written; 1: nothing could be written */
	_exit(error < 0 ? 1 : failed ? 2 : 0);
}

static int copy_out(FILE *out, FILE *tmp)
{
	char buf[65536];
	size_t n;

	rewind(tmp);
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return pyo_error_set("cannot write output");
	return 0;
}

int pyo_batch_run(struct pyo_batch_stats *stats,
                  const struct pyo_batch_options *opts,
                  char **paths,
                  size_t nr,
                  FILE *out,
                  pyo_batch_emit_cb emit,
                  void *payload)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = opts->jobs > 0 ? opts->jobs : ncpu > 0 ? (int)ncpu : 1;
	struct slot *slots;
	FILE **done; /* finished records waiting for their turn */
	int *status;
	size_t next = 0, flushed = 0, running = 0, i;
	int error = 0;

	memset(stats, 0, sizeof(*stats));
	stats->total = nr;
	slots = calloc((size_t)jobs, sizeof(*slots));
	done = calloc(nr + 1, sizeof(*done));
	status = calloc(nr + 1, sizeof(*status));
	if (!slots || !done || !status) {
		error = pyo_error_oom();
		goto out;
	}
	fflush(out);
	while (flushed < nr && !error) {
		/* start workers while there are free slots */
		while (next < nr && running < (size_t)jobs) {
			struct slot *s = NULL;
			int k;

			for (k = 0; k < jobs; k++)
				if (!slots[k].pid) {
					s = &slots[k];
					break;
				}
			s->tmp = tmpfile();
			if (!s->tmp) {
				error = pyo_error_set("cannot create a "
				                      "temporary file: %s",
				                      strerror(errno));
				break;
			}
			s->index = next;
			s->pid = fork();
			if (s->pid < 0) {
				error = pyo_error_set(
				        "cannot start a worker: %s",
				        strerror(errno));
				fclose(s->tmp);
				s->pid = 0;
				break;
			}
			if (!s->pid)
				worker(opts, paths[next], s->tmp, emit,
				       payload);
			next++;
			running++;
		}
		if (error || !running)
			break;
		/* reap one worker */
		{
			int st = 0, k;
			pid_t pid = waitpid(-1, &st, 0);

			if (pid < 0) {
				if (errno == EINTR)
					continue;
				error = pyo_error_set("waiting for workers: %s",
				                      strerror(errno));
				break;
			}
			for (k = 0; k < jobs; k++)
				if (slots[k].pid == pid)
					break;
			if (k == jobs)
				continue;
			done[slots[k].index] = slots[k].tmp;
			status[slots[k].index] = st;
			slots[k].pid = 0;
			running--;
		}
		/* write finished records in input order */
		while (flushed < nr && done[flushed]) {
			FILE *tmp = done[flushed];
			int st = status[flushed], failed = 0;
			long size;

			fseek(tmp, 0, SEEK_END);
			size = ftell(tmp);
			if (WIFSIGNALED(st) || size <= 0) {
				char msg[160];

				if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
					snprintf(msg, sizeof(msg),
					         "scan stopped after %u s "
					         "(--timeout)",
					         opts->timeout_s);
				else if (WIFSIGNALED(st))
					snprintf(msg, sizeof(msg),
					         "scan crashed (signal %d); "
					         "please report this "
					         "repository",
					         WTERMSIG(st));
				else
					snprintf(msg, sizeof(msg),
					         "scan wrote no record "
					         "(exit %d)",
					         WEXITSTATUS(st));
				error = emit_error(
				        out,
				        pyo_rules_version(opts->scan.rules),
				        paths[flushed], PYO_ERROR, msg, emit,
				        payload);
				failed = 1;
			} else {
				error = copy_out(out, tmp);
				/* the worker wrote an error record */
				failed = WEXITSTATUS(st) != 0;
			}
			fclose(tmp);
			done[flushed] = NULL;
			if (failed)
				stats->failed++;
			else
				stats->scanned++;
			if (opts->progress)
				opts->progress(flushed + 1, nr, paths[flushed],
				               failed, opts->progress_payload);
			flushed++;
			fflush(out);
		}
	}
out:
	if (slots)
		for (i = 0; i < (size_t)jobs; i++)
			if (slots[i].pid) {
				kill(slots[i].pid, SIGKILL);
				waitpid(slots[i].pid, NULL, 0);
				fclose(slots[i].tmp);
			}
	if (done)
		for (i = 0; i < nr; i++)
			if (done[i])
				fclose(done[i]);
	free(slots);
	free(done);
	free(status);
	return error;
}
