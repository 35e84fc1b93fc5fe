/*
 * check_signals.c: the verdict of each side of a change, without a full
 * scan. A full scan reads every blob; a pre-commit hook cannot. So:
 *
 * - the language mix of the head comes from a path-only pass over the
 *   index (--staged: the sizes it records) or the head tree (sizes from
 *   object headers), language from the path as in the scan's first
 *   classification phase; the base's is the head's minus the changed
 *   files' new sides plus their old sides;
 * - detected signals come from the evidence of the changed files only;
 * - declared needs (flags, .pyorgo.json) apply to both sides;
 * - history signals are left out (they do not change with a commit).
 *
 * The two verdicts are therefore comparable with each other, not with a
 * full `pyorgo scan`: evidence in files the change does not touch is not
 * seen. docs/ci.md says so.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/classify.h"
#include "pyorgo/detect.h"
#include "pyorgo/recommend.h"
#include "check_int.h"
#include "pack.h"
#include "repo.h"
#include "walk.h"
#include "strmap.h"
#include "strutil.h"
#include "banned.h"

/* Bytes and files of the two tracked languages, and of the share. */
struct mix {
	double py_bytes, py_files, go_bytes, go_files, share_bytes;
};

enum mix_class { MIX_NONE = 1, MIX_OTHER, MIX_PYTHON, MIX_GO };

static enum mix_class classify(const struct pyo_rules *rules, const char *path)
{
	struct pyo_class cls;
	const struct pyo_language *l;
	enum pyo_lang_type t;

	if (pyo_classify_path(&cls, rules, path, NULL) < 0 ||
	    cls.exclude != PYO_EX_NONE || !cls.lang)
		return MIX_NONE;
	l = pyo_language_group(cls.lang);
	t = pyo_language_type(l);
	if (t != PYO_LT_PROGRAMMING && t != PYO_LT_MARKUP)
		return MIX_NONE;
	if (!strcmp(pyo_language_name(l), "Python"))
		return MIX_PYTHON;
	if (!strcmp(pyo_language_name(l), "Go"))
		return MIX_GO;
	return MIX_OTHER;
}

/*
 * Files of one folder that share everything from the first dot of their
 * name on ("a.py" and "b.py", but not "x.pb.go" and "x.go") classify
 * alike by path for the share: memoised, as 50,000 paths cost a third of
 * a second otherwise. Evidence never goes through this cache.
 */
static enum mix_class classify_memo(struct pyo_strmap *memo,
                                    const struct pyo_rules *rules,
                                    const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	char key[512];
	size_t dl;
	int n;
	struct pyo_strmap_entry *e;
	enum mix_class k;

	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	if (!memo || !dot || dot == base)
		return classify(rules, path);
	dl = (size_t)(base - path);
	n = snprintf(key, sizeof(key), "%.*s%s", (int)dl, path, dot);
	if (n < 0 || (size_t)n >= sizeof(key))
		return classify(rules, path);
	if ((e = pyo_strmap_slot(memo, key, (size_t)n)) && e->value)
		return (enum mix_class)(uintptr_t)e->value;
	k = classify(rules, path);
	if (e)
		e->value = (void *)(uintptr_t)k;
	return k;
}

static void mix_add(struct mix *m,
                    struct pyo_strmap *memo,
                    const struct pyo_rules *rules,
                    const char *path,
                    uint64_t size,
                    double sign,
                    struct pyo_repo *repo,
                    struct pyo_reader *reader,
                    struct pyo_entry *e)
{
	enum mix_class k = classify_memo(memo, rules, path);

	if (k == MIX_NONE)
		return;
	/* sizes are read only for the files that count: from the pack
	 * entry when the reader knows it (no lock, no allocation; the
	 * other thread is reading blobs through libgit2), else libgit2 */
	if (e && e->size == PYO_SIZE_UNKNOWN) {
		size = pyo_entry_size(repo, reader, e, NULL);
		if (e->is_missing)
			return;
	}
	m->share_bytes += sign * (double)size;
	if (k == MIX_PYTHON) {
		m->py_bytes += sign * (double)size;
		m->py_files += sign;
	} else if (k == MIX_GO) {
		m->go_bytes += sign * (double)size;
		m->go_files += sign;
	}
}

/*
 * The entries of a listed tree, handed out in chunks to whichever thread
 * asks: the mix thread from the start, the main thread too once its own
 * work is done (the mix of a large tree is the longest part of a check).
 */
#define MIX_CHUNK 512

struct mix_share {
	pthread_mutex_t lock;
	struct pyo_tree_list *tree; /* NULL until listed */
	size_t next;
};

/* Adds chunks of the shared tree to `m` until none is left. */
static void mix_chunks(struct mix *m,
                       const struct pyo_rules *rules,
                       struct pyo_repo *repo,
                       struct mix_share *sh)
{
	struct pyo_strmap memo = { 0 };
	struct pyo_reader *reader = NULL;

	(void)pyo_reader_new(&reader, repo->git, repo->odb, 0);
	for (;;) {
		struct pyo_tree_list *t;
		size_t from, to, i;

		pthread_mutex_lock(&sh->lock);
		t = sh->tree;
		from = sh->next;
		to = t && from < t->nr
		             ? (t->nr - from > MIX_CHUNK ? from + MIX_CHUNK
		                                         : t->nr)
		             : from;
		sh->next = to;
		pthread_mutex_unlock(&sh->lock);
		if (from == to)
			break;
		for (i = from; i < to; i++)
			if (t->items[i].kind == PYO_ENTRY_BLOB &&
			    !t->items[i].is_missing)
				mix_add(m, &memo, rules, t->items[i].path,
				        t->items[i].size, 1, repo, reader,
				        &t->items[i]);
	}
	pyo_reader_free(reader);
	pyo_strmap_clear(&memo, NULL);
}

/* Adds every blob of `t` to the mix on this thread; unknown sizes are
 * read only for the files that count. */
static void list_mix(struct mix *m,
                     const struct pyo_rules *rules,
                     struct pyo_repo *repo,
                     struct pyo_tree_list *t)
{
	struct mix_share sh = { PTHREAD_MUTEX_INITIALIZER, t, 0 };

	mix_chunks(m, rules, repo, &sh);
}

/* The head tree's mix on this thread alone. */
static int
tree_mix(struct mix *m, const struct pyo_rules *rules, struct pyo_repo *repo)
{
	struct pyo_tree_list tree = { 0 };
	int error;

	if ((error = pyo_walk_tree(&tree, repo, PYO_WALK_NO_SIZES, NULL,
	                           NULL)) < 0)
		return error;
	list_mix(m, rules, repo, &tree);
	pyo_tree_list_clear(&tree);
	return 0;
}

struct mix_job {
	pthread_t thread;
	const struct pyo_rules *rules;
	struct pyo_repo *repo; /* the mix thread's own handle */
	struct pyo_tree_list tree;
	struct mix_share share;
	struct mix m;
	int error;
	char errmsg[256];
};

static void *mix_main(void *arg)
{
	struct mix_job *j = arg;

	j->error =
	        pyo_walk_tree(&j->tree, j->repo, PYO_WALK_NO_SIZES, NULL, NULL);
	if (j->error < 0) {
		snprintf(j->errmsg, sizeof(j->errmsg), "%s", pyo_error_last());
		return NULL;
	}
	pthread_mutex_lock(&j->share.lock);
	j->share.tree = &j->tree;
	pthread_mutex_unlock(&j->share.lock);
	mix_chunks(&j->m, j->rules, j->repo, &j->share);
	return NULL;
}

int check_mix_start(struct check_ctx *x)
{
	struct mix_job *j = calloc(1, sizeof(*j));

	if (!j)
		return pyo_error_oom();
	j->rules = x->rules;
	if (pthread_mutex_init(&j->share.lock, NULL)) {
		free(j);
		return 0; /* computed inline later instead */
	}
	if (pyo_repo_reopen(&j->repo, x->repo) < 0 ||
	    pthread_create(&j->thread, NULL, mix_main, j)) {
		pthread_mutex_destroy(&j->share.lock);
		pyo_repo_free(j->repo);
		free(j);
		return 0;
	}
	x->mix = j;
	return 0;
}

/* Helps the mix thread with what is left, waits for it; 0 or its error. */
static int mix_join(struct mix *m, struct check_ctx *x)
{
	struct mix_job *j = x->mix;
	struct mix help = { 0 };
	int error;

	mix_chunks(&help, x->rules, x->repo, &j->share);
	pthread_join(j->thread, NULL);
	*m = j->m;
	/* sums of whole byte counts: exact in any order */
	m->py_bytes += help.py_bytes;
	m->py_files += help.py_files;
	m->go_bytes += help.go_bytes;
	m->go_files += help.go_files;
	m->share_bytes += help.share_bytes;
	error = j->error;
	if (error < 0)
		pyo_error_setc(error, "%s", j->errmsg);
	pyo_tree_list_clear(&j->tree);
	pthread_mutex_destroy(&j->share.lock);
	pyo_repo_free(j->repo);
	free(j);
	x->mix = NULL;
	return error;
}

void check_mix_release(struct check_ctx *x)
{
	struct mix m;

	if (x->mix)
		mix_join(&m, x);
}

/* The head state's mix: the index's own sizes for --staged (no object
 * read), else the head tree with sizes from object headers. */
static int head_mix(struct mix *m, struct check_ctx *x, int staged)
{
	if (!staged)
		return x->mix ? mix_join(m, x) : tree_mix(m, x->rules, x->repo);
	list_mix(m, x->rules, x->repo, &x->staged);
	return 0;
}

static void change_mix(struct mix *m,
                       const struct pyo_rules *rules,
                       const struct pyo_change_list *changes,
                       int new_side,
                       double sign)
{
	size_t i;

	for (i = 0; i < changes->nr; i++) {
		const struct pyo_side *s =
		        new_side ? &changes->items[i].new_side
		                 : &changes->items[i].old_side;

		if (s->present && s->entry.kind == PYO_ENTRY_BLOB)
			mix_add(m, NULL, rules, s->entry.path, s->entry.size,
			        sign, NULL, NULL, NULL);
	}
}

static int set(struct pyo_signals *s, const char *name, double v)
{
	return pyo_signals_set(s, name, v < 0 ? 0 : v, "detected", 0)
	               ? 0
	               : PYO_ERROR;
}

static int mix_signals(struct pyo_signals *s, const struct mix *m)
{
	double share = m->share_bytes > 0 ? 100.0 / m->share_bytes : 0;

	if (set(s, "lang.python.share", m->py_bytes * share) < 0 ||
	    set(s, "lang.python.bytes", m->py_bytes) < 0 ||
	    set(s, "lang.python.files", m->py_files) < 0 ||
	    set(s, "lang.go.share", m->go_bytes * share) < 0 ||
	    set(s, "lang.go.bytes", m->go_bytes) < 0 ||
	    set(s, "lang.go.files", m->go_files) < 0)
		return PYO_ERROR;
	return 0;
}

/* Signals of one side from its findings (sorted) and mix; then decides. */
static int decide(struct pyo_verdict **out,
                  struct pyo_report *r,
                  const struct mix *m,
                  const struct pyo_rules *rules,
                  const struct pyo_needs *needs)
{
	int error;

	if ((error = pyo_detect_summarize(r)) < 0 ||
	    (error = mix_signals(&r->signals, m)) < 0 ||
	    (error = pyo_needs_signals(&r->signals, needs)) < 0)
		return error;
	pyo_signals_sort(&r->signals);
	return pyo_recommend(out, rules, &r->signals, &r->findings, needs);
}

static int has_hard(const struct pyo_verdict *v, const char *factor)
{
	size_t i;

	for (i = 0; v && i < v->nr_hard; i++)
		if (!strcmp(v->hard[i].factor, factor))
			return 1;
	return 0;
}

static int new_hard(struct pyo_check *c)
{
	const struct pyo_verdict *h = c->report->verdict;
	size_t i;

	if (!h || !h->nr_hard)
		return 0;
	c->new_hard = calloc(h->nr_hard, sizeof(char *));
	if (!c->new_hard)
		return pyo_error_oom();
	for (i = 0; i < h->nr_hard; i++) {
		if (has_hard(c->base_verdict, h->hard[i].factor))
			continue;
		if (!(c->new_hard[c->nr_new_hard] =
		              pyo_strdup(h->hard[i].factor)))
			return PYO_ERROR;
		c->nr_new_hard++;
	}
	return 0;
}

int check_decide(struct check_ctx *x,
                 const struct pyo_check_options *o,
                 const struct pyo_change_list *changes)
{
	struct pyo_check *c = x->check;
	struct pyo_report *base = NULL;
	struct pyo_needs needs = o->needs;
	struct mix mh = { 0 }, mb;
	int error;

	if (x->config)
		pyo_config_apply(&needs, x->config);
	if ((error = head_mix(&mh, x, o->staged)) < 0)
		return error;
	mb = mh;
	change_mix(&mb, x->rules, changes, 1, -1);
	change_mix(&mb, x->rules, changes, 0, 1);
	if ((error = pyo_report_new(&base)) < 0)
		return error;
	base->findings = x->sides[0].findings;
	memset(&x->sides[0].findings, 0, sizeof(x->sides[0].findings));
	if ((error = decide(&c->base_verdict, base, &mb, x->rules, &needs)) <
	            0 ||
	    (error = decide(&c->report->verdict, c->report, &mh, x->rules,
	                    &needs)) < 0)
		goto done;
	c->verdict_moved =
	        c->base_verdict && c->report->verdict &&
	        c->base_verdict->choice != c->report->verdict->choice;
	error = new_hard(c);
done:
	pyo_report_free(base);
	return error;
}
