/*
 * scan_merge.c: the workers' parts put together into the report: the
 * language table, exclusions, files, dependencies and warnings of each
 * part, and the findings in chunk order (scan_int.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "scan_int.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

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
	size_t total = 0, c, k, from, half = 0, nr_chunks = 0, room;
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
	/*
	 * The size at once (doubling zeroed and copied it twice), with room
	 * for the dependency findings that come next (pyo_detect_deps(), a
	 * few per dependency): one more would double the array again, and
	 * zero 24 MB of new pages on the bench repository.
	 */
	room = r->findings.nr + total + 4 * r->deps.nr + 64;
	if (r->findings.alloc < room) {
		struct pyo_finding *all =
		        realloc(r->findings.items, room * sizeof(*all));

		if (!all)
			return pyo_error_oom();
		r->findings.items = all;
		r->findings.alloc = room;
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
