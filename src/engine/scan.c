/*
 * scan.c: one repository through the whole pipeline. The HEAD analysis
 * runs on one worker per core, each with its own repository handle and
 * detector; the history walk runs beside it. Nothing here is global, so a
 * batch may run many scans at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pyorgo/config.h"
#include "pyorgo/detect.h"
#include "pyorgo/history.h"
#include "pyorgo/recommend.h"
#include "pyorgo/scan.h"
#include "repo.h"
#include "scan_int.h"
#include "buf.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define DEFAULT_MAX_BLOB (16u * 1024 * 1024)
#define MAX_LISTED_MISSING 100

int pyo_global_init(void)
{
	return pyo_repo_global_init();
}

void pyo_global_shutdown(void)
{
	git_libgit2_shutdown();
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int threads_wanted(const struct pyo_scan_options *opts)
{
	long n = opts->threads > 0 ? opts->threads
	                           : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Warnings of the history walk, kept apart until the end. */
struct history_warnings {
	char **items;
	size_t nr, alloc;
};

static void history_warn(void *payload, const char *msg)
{
	struct history_warnings *hw = payload;
	char *copy;

	if (hw->nr >= 50 || PYO_ARRAY_GROW(hw->items, hw->nr, hw->alloc) < 0 ||
	    !(copy = pyo_strdup(msg)))
		return;
	hw->items[hw->nr++] = copy;
}

static int load_config(struct pyo_config **out,
                       struct pyo_repo *repo,
                       const struct pyo_scan_options *opts)
{
	char *data = NULL;
	size_t len = 0;
	const char *name = ".pyorgo.json";
	int error;

	*out = NULL;
	if (opts->no_config)
		return 0;
	if (opts->config_path) {
		FILE *f = fopen(opts->config_path, "rb");
		struct pyo_buf b = { 0 };
		char chunk[8192];
		size_t n;

		if (!f)
			return pyo_error_setc(PYO_EINVALID,
			                      "cannot read config '%s'",
			                      opts->config_path);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			pyo_buf_put(&b, chunk, n);
		fclose(f);
		len = b.len;
		data = pyo_buf_detach(&b);
		name = opts->config_path;
	} else {
		error = pyo_repo_read_path(&data, &len, repo, ".pyorgo.json",
		                           1024 * 1024);
		if (error == PYO_ENOTFOUND)
			return 0;
		if (error < 0)
			return error;
	}
	error = pyo_config_parse(out, name, data, len);
	free(data);
	return error;
}

static int add_lang_signals(struct pyo_report *r)
{
	static const struct {
		const char *lang, *prefix;
	} tracked[] = { { "Python", "lang.python" }, { "Go", "lang.go" } };
	char name[64];
	size_t i, k;

	for (k = 0; k < sizeof(tracked) / sizeof(tracked[0]); k++) {
		double share = 0, bytes = 0, files = 0;

		for (i = 0; i < r->nr_langs; i++)
			if (!strcmp(r->langs[i].name, tracked[k].lang)) {
				share = r->langs[i].share;
				bytes = (double)r->langs[i].bytes;
				files = (double)r->langs[i].files;
			}
		snprintf(name, sizeof(name), "%s.share", tracked[k].prefix);
		if (!pyo_signals_set(&r->signals, name, share, "detected", 0))
			return PYO_ERROR;
		snprintf(name, sizeof(name), "%s.bytes", tracked[k].prefix);
		if (!pyo_signals_set(&r->signals, name, bytes, "detected", 0))
			return PYO_ERROR;
		snprintf(name, sizeof(name), "%s.files", tracked[k].prefix);
		if (!pyo_signals_set(&r->signals, name, files, "detected", 0))
			return PYO_ERROR;
	}
	return 0;
}

/* Lists submodules and missing objects (sorted, as the tree is). */
static int list_special(struct pyo_report *r, const struct pyo_tree_list *t)
{
	size_t i, nsub = 0, nmiss = 0;

	for (i = 0; i < t->nr; i++) {
		if (t->items[i].kind == PYO_ENTRY_SUBMODULE)
			nsub++;
		else if (t->items[i].is_missing)
			nmiss++;
	}
	r->nr_missing = nmiss + t->nr_missing_trees;
	r->submodules = calloc(nsub + 1, sizeof(char *));
	r->missing = calloc(
	        (nmiss < MAX_LISTED_MISSING ? nmiss : MAX_LISTED_MISSING) + 1,
	        sizeof(char *));
	if (!r->submodules || !r->missing)
		return pyo_error_oom();
	for (i = 0; i < t->nr; i++) {
		const struct pyo_entry *e = &t->items[i];

		if (e->kind == PYO_ENTRY_SUBMODULE) {
			if (!(r->submodules[r->nr_submodules] =
			              pyo_strdup(e->path)))
				return PYO_ERROR;
			r->nr_submodules++;
		} else if (e->is_missing &&
		           r->nr_missing_listed < MAX_LISTED_MISSING) {
			if (!(r->missing[r->nr_missing_listed] =
			              pyo_strdup(e->path)))
				return PYO_ERROR;
			r->nr_missing_listed++;
		}
	}
	if (r->nr_missing)
		pyo_report_warn(r,
		                "%llu objects are missing (shallow, partial "
		                "or damaged repository); they are not counted",
		                (unsigned long long)r->nr_missing);
	return 0;
}

static int cmp_dep(const void *pa, const void *pb)
{
	const struct pyo_dep *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->manifest, b->manifest)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->ecosystem, b->ecosystem)))
		return c;
	return strcmp(a->name, b->name);
}

/* Sorts dependencies and drops repeats (an included file parsed twice). */
static void tidy_deps(struct pyo_deps *deps)
{
	size_t i, n = 0;

	if (deps->nr > 1)
		pyo_qsort(deps->items, deps->nr, sizeof(*deps->items), cmp_dep);
	for (i = 0; i < deps->nr; i++) {
		if (n && !cmp_dep(&deps->items[n - 1], &deps->items[i])) {
			pyo_dep_release(&deps->items[i]);
			continue;
		}
		deps->items[n++] = deps->items[i];
	}
	deps->nr = n;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct pyo_file_rec *)a)->path,
	              ((const struct pyo_file_rec *)b)->path);
}

/* The parts' string pools: the findings past the cap borrow from them
 * until cap_findings() has removed those findings. */
struct pools {
	struct pyo_strmap *maps;
	size_t nr;
};

static void pools_clear(struct pools *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		pyo_strmap_clear(&p->maps[i], NULL);
	free(p->maps);
	memset(p, 0, sizeof(*p));
}

static int analyze_head(struct pyo_report *r,
                        struct pyo_repo *repo,
                        const struct pyo_scan_options *opts,
                        struct pyo_tree_list *tree,
                        int nthreads,
                        struct pools *pools)
{
	struct scan_job *jobs;
	pthread_t *tids;
	struct pyo_strmap langs = { 0 };
	struct scan_queue queue;
	int i, error = 0, started = 0;

	if ((size_t)nthreads > tree->nr / 64 + 1)
		nthreads = (int)(tree->nr / 64 + 1);
	jobs = calloc((size_t)nthreads, sizeof(*jobs));
	tids = calloc((size_t)nthreads, sizeof(*tids));
	if (!jobs || !tids) {
		error = pyo_error_oom();
		goto done;
	}
	atomic_init(&queue.next, 0);
	queue.nr_chunks = (tree->nr + SCAN_CHUNK - 1) / SCAN_CHUNK;
	for (i = 0; i < nthreads; i++) {
		jobs[i].opts = opts;
		jobs[i].tree = tree;
		jobs[i].queue = &queue;
		if (i == 0)
			jobs[i].repo = repo;
		else if ((error = pyo_repo_reopen(&jobs[i].repo, repo)) < 0)
			goto done;
	}
	/* a worker that cannot start leaves its chunks to the others */
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, pyo_scan_analyze, &jobs[i]))
			break;
		started = i;
	}
	pyo_scan_analyze(&jobs[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	if (error)
		goto done;
	for (i = 0; i < nthreads; i++) {
		if (jobs[i].part.error < 0 && !error)
			error = pyo_error_setc(
			        jobs[i].part.error, "%s",
			        jobs[i].part.nr_warnings
			                ? jobs[i].part.warnings
			                          [jobs[i].part.nr_warnings - 1]
			                : "analysis failed");
		if (!error &&
		    (error = pyo_scan_part_merge(r, &langs, &jobs[i].part)) < 0)
			break;
	}
	if (!error)
		error = pyo_scan_merge_findings(r, jobs, (size_t)nthreads);
	if (!error)
		error = pyo_scan_finish_langs(r, &langs);
	r->has_files = opts->list_files;
	pyo_qsort(r->files, r->nr_files, sizeof(*r->files), cmp_file);
done:
	if (jobs && !pools->maps &&
	    (pools->maps = calloc((size_t)nthreads, sizeof(*pools->maps))))
		pools->nr = (size_t)nthreads;
	if (jobs)
		for (i = 0; i < nthreads; i++) {
			if (pools->maps) {
				/* moved: the report's findings borrow from it
				 */
				pools->maps[i] = jobs[i].part.pool;
				memset(&jobs[i].part.pool, 0,
				       sizeof(jobs[i].part.pool));
			} else if (!error) {
				error = pyo_error_oom();
			}
			pyo_scan_part_release(&jobs[i].part);
			if (i > 0)
				pyo_repo_free(jobs[i].repo);
		}
	pyo_strmap_clear(&langs, NULL);
	free(jobs);
	free(tids);
	return error;
}

static int fill_identity(struct pyo_report *r,
                         const struct pyo_repo *repo,
                         const struct pyo_scan_options *opts)
{
	r->repo_path = pyo_strdup(opts->path ? opts->path : ".");
	r->git_dir = pyo_strdup(repo->git_dir);
	r->rev = pyo_strdup(opts->rev ? opts->rev : "HEAD");
	r->rules_version = pyo_strdup(pyo_rules_version(opts->rules));
	if (!r->repo_path || !r->git_dir || !r->rev || !r->rules_version)
		return PYO_ERROR;
	git_oid_tostr(r->commit, sizeof(r->commit), &repo->commit_id);
	r->commit_time = repo->commit_time;
	r->is_bare = repo->is_bare;
	r->is_shallow = repo->is_shallow;
	return 0;
}

static void
remap_evidence(const size_t *map, struct pyo_reason *reasons, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < reasons[i].nr_evidence; k++)
			reasons[i].evidence[k].finding =
			        map[reasons[i].evidence[k].finding];
}

/*
 * Which findings the cap lists (keep 1): it reads the sorted findings
 * only, so it runs next to the summaries and the recommendation
 * (cap_findings() uses it).
 */
struct cap_plan {
	const struct pyo_findings *fs;
	uint64_t max;
	unsigned char *keep; /* NULL: no cap */
	int error;
};

/* Counts finding i for its rule; keeps it while under the cap. */
static int plan_one(struct cap_plan *cp, struct pyo_strmap *per_rule, size_t i)
{
	const struct pyo_finding *f = &cp->fs->items[i];
	struct pyo_strmap_entry *e =
	        pyo_strmap_slot(per_rule, f->rule_id, strlen(f->rule_id));

	if (!e)
		return PYO_ERROR;
	if ((uintptr_t)e->value < cp->max) {
		e->value = (void *)((uintptr_t)e->value + 1);
		cp->keep[i] = 1;
	}
	return 0;
}

static void *plan_cap(void *arg)
{
	struct cap_plan *cp = arg;
	struct pyo_strmap per_rule = { 0 };
	size_t i, k, nr = cp->fs->nr, nr_later = 0;
	size_t *later; /* whole findings outside service code, in order */

	if (cp->max == UINT64_MAX || nr <= cp->max)
		return NULL;
	cp->keep = calloc(nr, 1);
	later = malloc(nr * sizeof(*later));
	if (!cp->keep || !later) {
		cp->error = PYO_ERROR;
		goto done;
	}
	/* one pass over the findings: service code's now, the others
	 * after; borrowed strings: past the cap (dropped below) */
	for (i = 0; i < nr; i++) {
		const struct pyo_finding *f = &cp->fs->items[i];

		if (f->strings == PYO_FINDING_BORROWED)
			continue;
		if (f->scope != PYO_SCOPE_SERVICE)
			later[nr_later++] = i;
		else if (plan_one(cp, &per_rule, i) < 0)
			cp->error = PYO_ERROR;
	}
	for (k = 0; k < nr_later && !cp->error; k++)
		if (plan_one(cp, &per_rule, later[k]) < 0)
			cp->error = PYO_ERROR;
done:
	free(later);
	pyo_strmap_clear(&per_rule, NULL);
	return NULL;
}

/*
 * Lists at most `max` findings of each rule (service code first, then in
 * path order: `keep`, from plan_cap()) and counts the rest. Signals were
 * counted on all of them; their indices are remapped. A reason's
 * evidence keeps its path, line and rule; its finding index is
 * PYO_NOT_LISTED when the cap left the finding out (a reason shows the
 * first findings behind it, which a rule's first findings need not be).
 * Which findings the cap leaves out depends on nothing but the findings:
 * not on which worker found which (scan_analyze.c makes the findings
 * past a rule's quota in its part light, and those are always past the
 * cap).
 */
static int cap_findings(struct pyo_report *r, unsigned char *keep)
{
	size_t *map = NULL, i, k, n = 0, nr = r->findings.nr;
	int error = 0;

	if (!keep)
		return 0;
	if (!(map = malloc(nr * sizeof(*map)))) {
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < nr; i++) {
		struct pyo_finding *f = &r->findings.items[i];

		map[i] = keep[i] ? n : PYO_NOT_LISTED;
		if (keep[i])
			r->findings.items[n++] = *f;
		/* a light finding owns nothing: left as it is, past nr */
		else if (f->strings != PYO_FINDING_BORROWED)
			pyo_finding_release(f);
	}
	r->findings.nr = n;
	r->findings_omitted += nr - n;
	for (i = 0; i < r->signals.nr; i++) {
		struct pyo_signal *sig = &r->signals.items[i];
		size_t m = 0;

		for (k = 0; k < sig->nr_findings; k++)
			if (map[sig->findings[k]] != PYO_NOT_LISTED)
				sig->findings[m++] = map[sig->findings[k]];
		sig->nr_findings = m;
	}
	if (r->verdict) {
		remap_evidence(map, r->verdict->hard, r->verdict->nr_hard);
		remap_evidence(map, r->verdict->reasons,
		               r->verdict->nr_reasons);
		remap_evidence(map, r->verdict->notes, r->verdict->nr_notes);
	}
done:
	free(map);
	return error;
}

static int decide(struct pyo_report *r,
                  const struct pyo_scan_options *opts,
                  const struct pyo_needs *needs)
{
	struct cap_plan cp = { &r->findings,
		               opts->max_findings ? opts->max_findings
		                                  : PYO_FINDINGS_PER_RULE,
		               NULL, 0 };
	pthread_t t;
	size_t sorted;
	int error, helped;

	/*
	 * The workers' findings come first, in path order: their chunks in
	 * tree order, which is path order (git sorts a folder as its name
	 * and '/', as a path compares), each file's sorted; the manifests'
	 * come after them.
	 */
	for (sorted = r->findings.nr;
	     sorted &&
	     r->findings.items[sorted - 1].where == PYO_WHERE_MANIFEST;
	     sorted--)
		;
	pyo_findings_sort_after(&r->findings, sorted);
	helped = 0;
	if ((error = pyo_detect_summarize(r)) < 0)
		goto done;
	/*
	 * The findings are read only from here to cap_findings(): the cap's
	 * plan runs next to the recommendation (the summaries keep both
	 * cores busy already)
	 */
	helped = r->findings.nr > 4096 &&
	         !pthread_create(&t, NULL, plan_cap, &cp);
	if ((error = add_lang_signals(r)) < 0 ||
	    (r->history &&
	     (error = pyo_history_signals(&r->signals, r->history)) < 0) ||
	    (error = pyo_needs_signals(&r->signals, needs)) < 0)
		goto done;
	pyo_signals_sort(&r->signals);
	r->findings_total = r->findings.nr + r->findings_omitted;
	error = pyo_recommend(&r->verdict, opts->rules, &r->signals,
	                      &r->findings, needs);
done:
	if (helped)
		pthread_join(t, NULL);
	else
		plan_cap(&cp);
	if (!error && cp.error < 0)
		error = pyo_error_oom();
	if (!error)
		error = cap_findings(r, cp.keep);
	free(cp.keep);
	return error;
}

int pyo_scan(struct pyo_report **out, const struct pyo_scan_options *in)
{
	struct pyo_scan_options opts = *in;
	struct pyo_report *r = NULL;
	struct pyo_repo *repo = NULL;
	struct pyo_tree_list tree = { 0 };
	struct pyo_config *config = NULL;
	struct pyo_needs needs = in->needs;
	struct history_warnings hw = { 0 };
	struct pyo_history_job *hjob = NULL;
	struct pyo_history_options ho = { 0 };
	struct pools pools = { 0 };
	int error;
	double t0 = now_ms(), t, t_history = 0;
	size_t i;

	*out = NULL;
	if (!opts.rules)
		return pyo_error_setc(PYO_EINVALID, "no rules to scan with");
	if (!opts.max_blob_size)
		opts.max_blob_size = DEFAULT_MAX_BLOB;
	if ((error = pyo_report_new(&r)) < 0)
		return error;
	if ((error = pyo_repo_open(&repo, opts.path ? opts.path : ".", opts.rev,
	                           opts.allow_foreign_owner)) < 0 ||
	    (error = fill_identity(r, repo, &opts)) < 0)
		goto done;
	if ((error = load_config(&config, repo, &opts)) < 0)
		goto done;
	if (config) {
		pyo_config_apply(&needs, config);
		for (i = 0; i < config->nr_warnings; i++)
			pyo_report_warn(r, "%s", config->warnings[i]);
	}
	r->timings.open_ms = now_ms() - t0;

	if (!opts.no_history) {
		/* before any thread: the history workers are processes */
		ho.since = opts.since;
		ho.max_commits = opts.max_commits;
		ho.first_parent = opts.first_parent;
		ho.threads = opts.threads;
		t_history = now_ms();
		if ((error = pyo_history_start(&hjob, repo, opts.rules, &ho)) <
		    0)
			goto done;
	}

	/* sizes are read by the workers, each for its own entries */
	t = now_ms();
	if ((error = pyo_walk_tree(&tree, repo, PYO_WALK_NO_SIZES, NULL,
	                           NULL)) < 0)
		goto done;
	r->timings.walk_ms = now_ms() - t;
	if (tree.nr_missing_trees)
		pyo_report_warn(r,
		                "%zu subtrees are missing; their files "
		                "are not counted",
		                tree.nr_missing_trees);

	t = now_ms();
	error = analyze_head(r, repo, &opts, &tree, threads_wanted(&opts),
	                     &pools);
	/* after the workers: they find the missing blobs */
	if (!error)
		error = list_special(r, &tree);
	if (!error)
		error = pyo_detect_deps(&r->findings, opts.rules, &r->deps);
	tidy_deps(&r->deps);
	if (!error)
		pyo_detect_requires(&r->findings, opts.rules, &r->deps);
	r->timings.analyze_ms = now_ms() - t;

	if (hjob && !error) {
		error = pyo_history_finish(&r->history, hjob, history_warn,
		                           &hw);
		r->timings.history_ms = now_ms() - t_history;
		for (i = 0; i < hw.nr; i++)
			pyo_report_warn(r, "history: %s", hw.items[i]);
	}
	if (error < 0)
		goto done;

	t = now_ms();
	if ((error = decide(r, &opts, &needs)) < 0)
		goto done;
	r->timings.decide_ms = now_ms() - t;
	r->timings.total_ms = now_ms() - t0;
	*out = r;
	r = NULL;
done:
	pyo_history_job_free(hjob);
	for (i = 0; i < hw.nr; i++)
		free(hw.items[i]);
	free(hw.items);
	pyo_report_free(r); /* before the pools its findings may borrow */
	pyo_tree_list_clear(&tree);
	pools_clear(&pools);
	pyo_config_free(config);
	pyo_repo_free(repo);
	return error;
}
