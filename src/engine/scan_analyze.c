/*
 * scan_analyze.c: what happens to each file of the tree at REV. Every blob
 * is read at most once: its bytes feed the classifier, the line counter,
 * the detectors and, for manifests, the dependency parsers.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "pack.h"
#include "repo.h"
#include "scan_int.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

/* A part keeps this many warnings (memory bounds them); the report
 * shows the first ones in tree order (scan_merge.c). */
#define MAX_PART_WARNINGS 10000

static void part_warn(struct scan_part *p, const char *msg)
{
	char *copy;

	if (p->nr_warnings >= MAX_PART_WARNINGS) {
		p->dropped_warnings++;
		return;
	}
	if (PYO_ARRAY_GROW(p->warnings, p->nr_warnings, p->alloc_warnings) <
	            0 ||
	    !(copy = pyo_strdup(msg)))
		return;
	p->warnings[p->nr_warnings++] = copy;
}

/* Warnings about one file (payload: its struct pyo_analyzed). */
static void warn_cb(void *payload, const char *msg)
{
	const struct pyo_analyzed *an = payload;
	struct scan_job *job = an->payload;
	struct pyo_buf b = { 0 };

	/* messages that already name their file are kept as they are */
	if (strstr(msg, an->path)) {
		part_warn(&job->part, msg);
		return;
	}
	pyo_buf_printf(&b, "%s: %s", an->path, msg);
	if (b.ptr)
		part_warn(&job->part, b.ptr);
	pyo_buf_release(&b);
}

static int read_cb(char **data, size_t *len, const char *path, void *payload)
{
	const struct pyo_analyzed *an = payload;
	struct scan_job *job = an->payload;

	return pyo_repo_read_path(data, len, job->repo, path,
	                          job->opts->max_blob_size);
}

static struct pyo_lang_stat *lang_stat(struct scan_part *p,
                                       const struct pyo_language *lang)
{
	const char *name = pyo_language_name(lang);
	struct pyo_strmap_entry *e;
	struct pyo_lang_stat *st;

	e = pyo_strmap_slot(&p->langs, name, strlen(name));
	if (!e)
		return NULL;
	if (e->value)
		return e->value;
	st = calloc(1, sizeof(*st));
	if (!st || !(st->name = pyo_strdup(name))) {
		free(st);
		pyo_error_oom();
		return NULL;
	}
	st->type = pyo_language_type(lang);
	st->has_line_kinds = pyo_language_has_comments(lang);
	st->in_share =
	        st->type == PYO_LT_PROGRAMMING || st->type == PYO_LT_MARKUP;
	e->value = st;
	return st;
}

/* Remembers what became of one file, for scan --files. */
static int record_file(struct scan_job *job,
                       const char *path,
                       const struct pyo_class *cls,
                       enum pyo_exclude ex,
                       uint64_t bytes)
{
	struct scan_part *p = &job->part;
	struct pyo_file_rec *f;

	if (!job->opts->list_files)
		return 0;
	if (PYO_ARRAY_GROW(p->files, p->nr_files, p->alloc_files) < 0)
		return PYO_ERROR;
	f = &p->files[p->nr_files];
	memset(f, 0, sizeof(*f));
	if (!(f->path = pyo_strdup(path)))
		return PYO_ERROR;
	if (cls && cls->lang &&
	    !(f->language = pyo_strdup(pyo_language_name(cls->lang)))) {
		free(f->path);
		return PYO_ERROR;
	}
	f->strategy = cls ? cls->strategy : NULL;
	f->exclude = ex;
	f->bytes = ex == PYO_EX_NONE ? bytes : 0;
	p->nr_files++;
	return 0;
}

static void exclude(struct scan_part *p, enum pyo_exclude why, uint64_t size)
{
	p->excluded[why].files++;
	p->excluded[why].bytes += size;
}

/* Counts a file left out of the figures, and records why. */
static int leave_out(struct scan_job *job,
                     const char *path,
                     const struct pyo_class *cls,
                     enum pyo_exclude why,
                     uint64_t size)
{
	exclude(&job->part, why, size);
	return record_file(job, path, cls, why, 0);
}

/* Counts a file that is in the figures. */
static int count_file(struct scan_part *p,
                      const struct pyo_class *cls,
                      uint64_t bytes,
                      const struct pyo_analyzed *an)
{
	const struct pyo_language *group = pyo_language_group(cls->lang);
	struct pyo_lang_stat *st = lang_stat(p, group ? group : cls->lang);
	struct pyo_line_counts lc = { 0 };

	/* Linguist reports a language under its group: TSX as TypeScript */
	if (!st)
		return PYO_ERROR;
	st->in_share |= cls->in_share;
	st->files++;
	st->bytes += bytes;
	if (an && an->counted)
		lc = an->lines;
	else if (an && an->text)
		pyo_count_lines(&lc, cls->lang, an->text, an->len);
	if (an && an->text) {
		st->lines += lc.lines;
		st->code += lc.code;
		st->comment += lc.comment;
		st->blank += lc.blank;
	}
	return 0;
}

/*
 * Keeps the first PYO_FINDINGS_PER_FILE findings of each rule among those
 * added for one file (from `first` on), and counts the rest: a rule that
 * matches on every line of a file says no more than its first matches.
 */
static void cap_file_findings(struct scan_part *p, size_t first)
{
	struct pyo_findings *fs = &p->findings;
	size_t i, k, n = first;

	for (i = first; i < fs->nr; i++) {
		size_t same = 0;

		for (k = first; k < n; k++)
			if (!strcmp(fs->items[k].rule_id, fs->items[i].rule_id))
				same++;
		if (same >= PYO_FINDINGS_PER_FILE) {
			pyo_finding_release(&fs->items[i]);
			p->findings_dropped++;
			continue;
		}
		fs->items[n++] = fs->items[i];
	}
	fs->nr = n;
}

/* The pool's copy of `s` (NULL stays NULL); NULL on OOM. */
static const char *intern(struct pyo_strmap *pool, const char *s, int *oom)
{
	struct pyo_strmap_entry *e;

	if (!s)
		return NULL;
	if (!(e = pyo_strmap_slot(pool, s, strlen(s)))) {
		*oom = 1;
		return NULL;
	}
	return e->key;
}

/* The key of a (signal, detail) in scan_part.details: its length, or 0
 * when it does not fit (such a finding always stays whole). */
static size_t
detail_key(char *key, size_t size, const char *signal, const char *detail)
{
	size_t a = strlen(signal), b = strlen(detail);

	if (a + b + 2 > size)
		return 0;
	memcpy(key, signal, a);
	key[a] = '\x1f';
	memcpy(key + a + 1, detail, b + 1);
	return a + 1 + b;
}

/* 1 when the finding stays whole: within its rule's quota of this part,
 * or the first of its (signal, detail) here; 0 when not, <0 on OOM. */
static int
stays_whole(struct scan_part *p, const struct pyo_finding *f, uint64_t quota)
{
	struct pyo_strmap_entry *e =
	        pyo_strmap_slot(&p->per_rule, f->rule_id, strlen(f->rule_id));
	uint32_t *kept;
	int service = f->scope == PYO_SCOPE_SERVICE, fresh = 0;

	if (!e)
		return pyo_error_oom();
	if (!e->value && !(e->value = calloc(2, sizeof(uint32_t))))
		return pyo_error_oom();
	kept = e->value;
	if (f->detail && f->signal) {
		char key[512];
		size_t n = detail_key(key, sizeof(key), f->signal, f->detail);
		struct pyo_strmap_entry *d;

		if (!n)
			return 1;
		if (!(d = pyo_strmap_slot(&p->details, key, n)))
			return pyo_error_oom();
		fresh = !d->value;
		d->value = (void *)1;
	}
	if (kept[!service] < quota) {
		kept[!service]++;
		return 1;
	}
	return fresh;
}

static uint64_t quota_of(const struct scan_job *job)
{
	return job->opts->max_findings ? job->opts->max_findings
	                               : PYO_FINDINGS_PER_RULE;
}

/*
 * For the detector: the rule's quota here was filled by earlier files, so
 * this file's findings of it will be light, but for the first of each
 * (signal, detail) (stays_whole()).
 */
static int light_cb(void *payload,
                    const char *rule_id,
                    enum pyo_scope scope,
                    const char *signal,
                    const char *detail)
{
	struct scan_job *job = payload;
	/* the detector asks with its rules' own id strings: the counters
	 * (they stay where they are once made) are kept by address */
	size_t h = ((uintptr_t)rule_id >> 4) % SCAN_KEPT_CACHE;
	const uint32_t *kept = job->kept_id[h] == rule_id ? job->kept[h] : NULL;
	uint64_t quota = quota_of(job);
	char key[512];
	size_t n;

	if (!kept && (kept = pyo_strmap_get(&job->part.per_rule, rule_id,
	                                    strlen(rule_id)))) {
		job->kept_id[h] = rule_id;
		job->kept[h] = kept;
	}
	if (quota == UINT64_MAX || !kept ||
	    kept[scope != PYO_SCOPE_SERVICE] < quota)
		return 0;
	if (!detail || !signal)
		return 1;
	n = detail_key(key, sizeof(key), signal, detail);
	return n && pyo_strmap_get(&job->part.details, key, n);
}

static const char *intern_cb(void *payload, const char *s)
{
	struct scan_job *job = payload;
	int oom = 0;

	return intern(&job->part.pool, s, &oom);
}

/*
 * The report lists at most `quota` findings of a rule (service files
 * first, then in path order) and this part sees its files in path order:
 * a finding past the quota here can never be listed. It still counts in
 * the summaries, so it stays, with borrowed strings and no snippet. The
 * first finding of each (signal, detail) stays whole: the reasons name
 * the details.
 */
static int
lighten_findings(struct scan_job *job, size_t first, const char *path)
{
	struct scan_part *p = &job->part;
	uint64_t quota = quota_of(job);
	size_t i;

	if (quota == UINT64_MAX)
		return 0;
	for (i = first; i < p->findings.nr; i++) {
		struct pyo_finding *f = &p->findings.items[i], lite = *f;
		int whole, oom = 0;

		/* made light by the detector already (light_cb) */
		if (f->strings == PYO_FINDING_BORROWED)
			continue;
		if ((whole = stays_whole(p, f, quota)) > 0)
			continue;
		lite.rule_id = (char *)intern(&p->pool, f->rule_id, &oom);
		lite.category = (char *)intern(&p->pool, f->category, &oom);
		lite.signal = (char *)intern(&p->pool, f->signal, &oom);
		lite.language = (char *)intern(&p->pool, f->language, &oom);
		lite.detail = (char *)intern(&p->pool, f->detail, &oom);
		lite.path = (char *)path; /* the tree's: it outlives the scan */
		lite.snippet = NULL;
		lite.strings = PYO_FINDING_BORROWED;
		if (whole < 0 || oom)
			return PYO_ERROR;
		pyo_finding_release(f);
		*f = lite;
	}
	return 0;
}

static int analyze_blob(struct scan_job *job,
                        const struct pyo_analysis *a,
                        const struct pyo_entry *e)
{
	struct scan_part *p = &job->part;
	struct pyo_attrs attrs_buf, *attrs = NULL;
	struct pyo_analyzed an;
	char lang_buf[128];
	int error;

	if (job->tree->has_linguist_attrs) {
		pyo_walk_attrs(&attrs_buf, lang_buf, sizeof(lang_buf),
		               job->tree, e->path);
		attrs = &attrs_buf;
	}
	error = pyo_analyze_file(&an, a, e, attrs);
	if (error < 0)
		goto done;
	/* the detector says when no rule passed the cap here */
	if (p->findings.nr - an.first_finding > PYO_FINDINGS_PER_FILE &&
	    (!a->det ||
	     pyo_detector_most_per_rule(a->det) > PYO_FINDINGS_PER_FILE))
		cap_file_findings(p, an.first_finding);
	/* in order here, the report's findings merge in linear time */
	pyo_findings_sort_from(&p->findings, an.first_finding);
	if (p->findings.nr > an.first_finding &&
	    (error = lighten_findings(job, an.first_finding, e->path)) < 0)
		goto done;
	switch (an.status) {
	case PYO_AN_EXCLUDED:
		error = leave_out(job, e->path, &an.cls,
		                  an.cls.exclude != PYO_EX_NONE
		                          ? an.cls.exclude
		                          : PYO_EX_UNKNOWN,
		                  e->size);
		break;
	case PYO_AN_MISSING:
		error = leave_out(job, e->path, &an.cls, PYO_EX_MISSING,
		                  e->size);
		break;
	case PYO_AN_TOO_LARGE:
		p->too_large++;
		error = count_file(p, &an.cls, an.bytes, NULL);
		break;
	case PYO_AN_COUNTED:
		error = count_file(p, &an.cls, an.bytes, &an);
		break;
	}
	if (!error &&
	    (an.status == PYO_AN_TOO_LARGE || an.status == PYO_AN_COUNTED))
		error = record_file(job, e->path, &an.cls, PYO_EX_NONE,
		                    an.bytes);
done:
	pyo_analyzed_release(&an);
	return error;
}

/* One entry of the tree; <0 stops the worker (out of memory). */
static int analyze_entry(struct scan_job *job,
                         const struct pyo_analysis *a,
                         struct pyo_reader *reader,
                         int *probe,
                         struct pyo_entry *e)
{
	struct scan_part *p = &job->part;
	int error;

	if (e->kind == PYO_ENTRY_BLOB)
		pyo_entry_size(job->repo, reader, e, probe); /* or missing */
	if (e->kind != PYO_ENTRY_BLOB || e->is_missing)
		return leave_out(job, e->path, NULL,
		                 e->kind == PYO_ENTRY_SYMLINK ? PYO_EX_SYMLINK
		                 : e->kind == PYO_ENTRY_SUBMODULE
		                         ? PYO_EX_SUBMODULE
		                         : PYO_EX_MISSING,
		                 e->kind == PYO_ENTRY_SYMLINK ? e->size : 0);
	if ((error = analyze_blob(job, a, e)) < 0) {
		struct pyo_buf b = { 0 };

		/* keep the message: the thread's error state dies */
		pyo_buf_printf(&b, "%s", pyo_error_last());
		part_warn(p, b.ptr ? b.ptr : "error");
		pyo_buf_release(&b);
	}
	return error;
}

void *pyo_scan_analyze(void *arg)
{
	struct scan_job *job = arg;
	struct scan_part *p = &job->part;
	struct pyo_detector *det = NULL;
	struct pyo_analysis a = { 0 };
	size_t i;
	int probe = 0; /* after a missing blob, check existence first */
	struct pyo_reader *reader = NULL;
	struct pyo_line_index lines = { 0 };

	if (!job->opts->no_detect &&
	    (p->error = pyo_detector_new(&det, job->opts->rules)) < 0) {
		part_warn(p, pyo_error_last());
		return NULL;
	}
	if (det) {
		pyo_detector_set_light(det, light_cb, intern_cb, job);
		pyo_detector_set_arena(det, &job->part.strings);
	}
	/* for blob sizes only: without it they go through libgit2 */
	(void)pyo_reader_new(&reader, job->repo->git, job->repo->odb, 0);
	a.rules = job->opts->rules;
	a.repo = job->repo;
	a.det = det;
	a.lines = det ? &lines : NULL; /* counted once for both */
	a.max_blob = job->opts->max_blob_size;
	a.findings = &p->findings;
	a.deps = &p->deps;
	a.warn = warn_cb;
	a.read = read_cb;
	a.payload = job;
	/* chunks in turn, to whichever worker asks first: each worker's
	 * chunks, and so its files, in tree order */
	while (!p->error) {
		size_t c = atomic_fetch_add(&job->queue->next, 1), end;

		if (c >= job->queue->nr_chunks)
			break;
		/* its findings and warnings will go back in its place */
		if (PYO_ARRAY_GROW(p->segs, p->nr_segs, p->alloc_segs) < 0) {
			p->error = PYO_ERROR;
			break;
		}
		p->segs[p->nr_segs++] =
		        (struct scan_seg){ c, p->findings.nr, p->nr_warnings };
		end = (c + 1) * SCAN_CHUNK;
		if (end > job->tree->nr)
			end = job->tree->nr;
		for (i = c * SCAN_CHUNK; i < end && !p->error; i++)
			p->error = analyze_entry(job, &a, reader, &probe,
			                         &job->tree->items[i]);
	}
	pyo_detector_free(det);
	pyo_reader_free(reader);
	free(lines.starts);
	return NULL;
}
