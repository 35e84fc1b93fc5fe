/*
 * scan_analyze.c: what happens to each file of the tree at REV. Every blob
 * is read at most once: its bytes feed the classifier, the line counter,
 * the detectors and, for manifests, the dependency parsers.
 */
#include <pthread.h>
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

#define MAX_WARNINGS 200

static void part_warn(struct scan_part *p, const char *msg)
{
	char *copy;

	if (p->nr_warnings >= MAX_WARNINGS) {
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
                      const char *data,
                      size_t len,
                      int has_data)
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
	if (has_data) {
		pyo_count_lines(&lc, cls->lang, data, len);
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
		int n = snprintf(key, sizeof(key), "%s\x1f%s", f->signal,
		                 f->detail);
		struct pyo_strmap_entry *d;

		if (n < 0 || (size_t)n >= sizeof(key))
			return 1;
		if (!(d = pyo_strmap_slot(&p->details, key, (size_t)n)))
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

/* For the detector: the rule's quota here was filled by earlier files, so
 * this file's findings of it (with no detail) will all be light. */
static int light_cb(void *payload, const char *rule_id, enum pyo_scope scope)
{
	const struct scan_job *job = payload;
	const uint32_t *kept =
	        pyo_strmap_get(&job->part.per_rule, rule_id, strlen(rule_id));
	uint64_t quota = quota_of(job);

	return quota != UINT64_MAX && kept &&
	       kept[scope != PYO_SCOPE_SERVICE] >= quota;
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
	if (p->findings.nr - an.first_finding > PYO_FINDINGS_PER_FILE)
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
		error = count_file(p, &an.cls, an.bytes, NULL, 0, 0);
		break;
	case PYO_AN_COUNTED:
		error = count_file(p, &an.cls, an.bytes, an.text, an.len,
		                   an.text != NULL);
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

/* The entry after `i` in this job's chunks. */
static size_t next_entry(const struct scan_job *job, size_t i)
{
	i++;
	return i % SCAN_CHUNK ? i : i + (job->step - 1) * SCAN_CHUNK;
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

	if (!job->opts->no_detect &&
	    (p->error = pyo_detector_new(&det, job->opts->rules)) < 0) {
		part_warn(p, pyo_error_last());
		return NULL;
	}
	if (det)
		pyo_detector_set_light(det, light_cb, intern_cb, job);
	/* for blob sizes only: without it they go through libgit2 */
	(void)pyo_reader_new(&reader, job->repo->git, job->repo->odb, 0);
	a.rules = job->opts->rules;
	a.repo = job->repo;
	a.det = det;
	a.max_blob = job->opts->max_blob_size;
	a.findings = &p->findings;
	a.deps = &p->deps;
	a.warn = warn_cb;
	a.read = read_cb;
	a.payload = job;
	for (i = job->first * SCAN_CHUNK; i < job->tree->nr;
	     i = next_entry(job, i)) {
		struct pyo_entry *e = &job->tree->items[i];

		/* a chunk starts: its findings will go back in its place */
		if (i % SCAN_CHUNK == 0 &&
		    (PYO_ARRAY_GROW(p->segs, p->nr_segs, p->alloc_segs) < 0 ||
		     !(p->segs[p->nr_segs++] = p->findings.nr, 1))) {
			p->error = PYO_ERROR;
			break;
		}

		if (e->kind == PYO_ENTRY_BLOB)
			pyo_entry_size(job->repo, reader, e,
			               &probe); /* or missing */

		if (e->kind != PYO_ENTRY_BLOB || e->is_missing) {
			p->error = leave_out(
			        job, e->path, NULL,
			        e->kind == PYO_ENTRY_SYMLINK ? PYO_EX_SYMLINK
			        : e->kind == PYO_ENTRY_SUBMODULE
			                ? PYO_EX_SUBMODULE
			                : PYO_EX_MISSING,
			        e->kind == PYO_ENTRY_SYMLINK ? e->size : 0);
			if (p->error < 0)
				break;
			continue;
		}
		if ((p->error = analyze_blob(job, &a, e)) < 0) {
			struct pyo_buf b = { 0 };

			/* keep the message: the thread's error state dies */
			pyo_buf_printf(&b, "%s", pyo_error_last());
			part_warn(p, b.ptr ? b.ptr : "error");
			pyo_buf_release(&b);
			break;
		}
	}
	pyo_detector_free(det);
	pyo_reader_free(reader);
	return NULL;
}

static void free_stat(void *v)
{
	struct pyo_lang_stat *st = v;

	if (st)
		free(st->name);
	free(st);
}

void pyo_scan_part_release(struct scan_part *p)
{
	size_t i;

	pyo_strmap_clear(&p->langs, free_stat);
	pyo_findings_clear(&p->findings);
	free(p->segs);
	pyo_strmap_clear(&p->pool, NULL);
	pyo_strmap_clear(&p->per_rule, free);
	pyo_strmap_clear(&p->details, NULL);
	pyo_deps_clear(&p->deps);
	for (i = 0; i < p->nr_files; i++) {
		free(p->files[i].path);
		free(p->files[i].language);
	}
	free(p->files);
	for (i = 0; i < p->nr_warnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	memset(p, 0, sizeof(*p));
}

int pyo_scan_part_merge(struct pyo_report *r,
                        struct pyo_strmap *langs,
                        struct scan_part *p)
{
	struct pyo_strmap_entry *e;
	size_t i;
	int k;

	pyo_strmap_foreach(&p->langs, i, e)
	{
		struct pyo_lang_stat *src = e->value, *dst;
		struct pyo_strmap_entry *d =
		        pyo_strmap_slot(langs, e->key, e->keylen);

		if (!d)
			return PYO_ERROR;
		if (!d->value) {
			d->value = src; /* moved */
			e->value = NULL;
			continue;
		}
		dst = d->value;
		dst->in_share |= src->in_share;
		dst->files += src->files;
		dst->bytes += src->bytes;
		dst->lines += src->lines;
		dst->code += src->code;
		dst->comment += src->comment;
		dst->blank += src->blank;
	}
	for (k = 0; k < PYO_EX_COUNT; k++) {
		r->excluded[k].files += p->excluded[k].files;
		r->excluded[k].bytes += p->excluded[k].bytes;
	}
	/* dependencies move: no copy of their strings */
	while (r->deps.alloc < r->deps.nr + p->deps.nr)
		if (pyo_array_grow((void **)&r->deps.items, &r->deps.alloc,
		                   r->deps.alloc, sizeof(*r->deps.items)) < 0)
			return PYO_ERROR;
	if (p->deps.nr)
		memcpy(r->deps.items + r->deps.nr, p->deps.items,
		       p->deps.nr * sizeof(*p->deps.items));
	r->deps.nr += p->deps.nr;
	p->deps.nr = 0;
	while (r->alloc_files < r->nr_files + p->nr_files)
		if (pyo_array_grow((void **)&r->files, &r->alloc_files,
		                   r->alloc_files, sizeof(*r->files)) < 0)
			return PYO_ERROR;
	if (p->nr_files)
		memcpy(r->files + r->nr_files, p->files,
		       p->nr_files * sizeof(*p->files));
	r->nr_files += p->nr_files;
	p->nr_files = 0;
	for (i = 0; i < p->nr_warnings; i++)
		if (pyo_report_warn(r, "%s", p->warnings[i]) < 0)
			return PYO_ERROR;
	if (p->dropped_warnings)
		pyo_report_warn(r, "%zu more warnings not shown",
		                p->dropped_warnings);
	r->too_large += p->too_large;
	r->findings_omitted += p->findings_dropped;
	return 0;
}

static int cmp_lang(const void *pa, const void *pb)
{
	const struct pyo_lang_stat *a = pa, *b = pb;

	if (a->in_share != b->in_share)
		return a->in_share ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->name, b->name);
}

int pyo_scan_finish_langs(struct pyo_report *r, struct pyo_strmap *langs)
{
	struct pyo_strmap_entry *e;
	size_t i, n = 0;

	r->langs = calloc(langs->nr ? langs->nr : 1, sizeof(*r->langs));
	if (!r->langs)
		return pyo_error_oom();
	pyo_strmap_foreach(langs, i, e)
	{
		struct pyo_lang_stat *st = e->value;

		r->langs[n++] = *st;
		free(st); /* name moved into the report */
		e->value = NULL;
	}
	r->nr_langs = n;
	for (i = 0; i < n; i++) {
		r->total_files += r->langs[i].files;
		r->total_bytes += r->langs[i].bytes;
		if (r->langs[i].in_share)
			r->share_bytes += r->langs[i].bytes;
	}
	for (i = 0; i < n; i++)
		r->langs[i].share =
		        r->langs[i].in_share && r->share_bytes
		                ? 100.0 * (double)r->langs[i].bytes /
		                          (double)r->share_bytes
		                : 0;
	pyo_qsort(r->langs, n, sizeof(*r->langs), cmp_lang);
	return 0;
}

/* The size of chunk c's findings (0 past the last chunk) and its start. */
static size_t
chunk_span(const struct scan_job *jobs, size_t n, size_t c, size_t *from)
{
	const struct scan_part *p = &jobs[c % n].part;
	size_t seg = c / n, to;

	if (seg >= p->nr_segs)
		return *from = 0;
	*from = p->segs[seg];
	to = seg + 1 < p->nr_segs ? p->segs[seg + 1] : p->findings.nr;
	return to - *from;
}

struct chunk_copy {
	const struct scan_job *jobs;
	size_t n, first, last; /* chunks [first, last) */
	struct pyo_finding *dst;
};

static void *copy_chunks(void *arg)
{
	const struct chunk_copy *cc = arg;
	struct pyo_finding *dst = cc->dst;
	size_t c, from, len;

	for (c = cc->first; c < cc->last; c++)
		if ((len = chunk_span(cc->jobs, cc->n, c, &from))) {
			memcpy(dst,
			       cc->jobs[c % cc->n].part.findings.items + from,
			       len * sizeof(*dst));
			dst += len;
		}
	return NULL;
}

int pyo_scan_merge_findings(struct pyo_report *r,
                            struct scan_job *jobs,
                            size_t n)
{
	size_t total = 0, c, k, from, half = 0, nr_chunks = 0;
	struct chunk_copy a, b;
	pthread_t helper;
	int helped;

	for (k = 0; k < n; k++) {
		total += jobs[k].part.findings.nr;
		if (jobs[k].part.nr_segs * n + k > nr_chunks)
			nr_chunks = jobs[k].part.nr_segs * n + k;
	}
	if (!total)
		return 0;
	/* the exact size at once: doubling zeroed and copied it twice */
	if (r->findings.alloc < r->findings.nr + total) {
		struct pyo_finding *all =
		        realloc(r->findings.items,
		                (r->findings.nr + total) * sizeof(*all));

		if (!all)
			return pyo_error_oom();
		r->findings.items = all;
		r->findings.alloc = r->findings.nr + total;
	}
	/*
	 * Chunk c is job c % n's segment c / n; they move, strings and all,
	 * in two halves on two threads (27 MB on the bench repository, and
	 * the pages of the new array fault in as they are written).
	 */
	for (c = 0; c < nr_chunks && half < total / 2; c++)
		half += chunk_span(jobs, n, c, &from);
	a = (struct chunk_copy){ jobs, n, 0, c,
		                 r->findings.items + r->findings.nr };
	b = (struct chunk_copy){ jobs, n, c, nr_chunks, a.dst + half };
	helped = total > 65536 &&
	         !pthread_create(&helper, NULL, copy_chunks, &b);
	copy_chunks(&a);
	if (helped)
		pthread_join(helper, NULL);
	else
		copy_chunks(&b);
	r->findings.nr += total;
	for (k = 0; k < n; k++)
		jobs[k].part.findings.nr = 0;
	return 0;
}
