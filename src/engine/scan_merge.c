/*
 * scan_merge.c: the workers' parts put together into the report: the
 * language table, exclusions, files, dependencies and warnings of each
 * part, and the findings in chunk order (scan_int.h).
 */
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
	pyo_arena_release(&p->strings);
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

/* Which part took chunk c, and where in it (NULL: none did). */
struct chunk_at {
	const struct scan_part *p;
	size_t seg;
};

/* The findings of chunk c: their count, and where they start. */
static size_t chunk_span(const struct chunk_at *by, size_t c, size_t *from)
{
	const struct scan_part *p = by[c].p;
	size_t seg = by[c].seg, to;

	if (!p)
		return *from = 0;
	*from = p->segs[seg].finding;
	to = seg + 1 < p->nr_segs ? p->segs[seg + 1].finding : p->findings.nr;
	return to - *from;
}

/* The report shows this many of the workers' warnings, in tree order. */
#define MAX_WARNINGS 200

/* The part's warnings [from, to) into the report, within the limit. */
static int put_warnings(struct pyo_report *r,
                        const struct scan_part *p,
                        size_t from,
                        size_t to,
                        size_t *more)
{
	for (; from < to; from++) {
		if (r->nr_warnings >= MAX_WARNINGS) {
			*more += to - from;
			return 0;
		}
		if (pyo_report_warn(r, "%s", p->warnings[from]) < 0)
			return PYO_ERROR;
	}
	return 0;
}

/* The workers' warnings in chunk order (the ones before any chunk,
 * part by part, first). */
static int merge_warnings(struct pyo_report *r,
                          const struct scan_job *jobs,
                          size_t n,
                          const struct chunk_at *by,
                          size_t nr_chunks)
{
	size_t k, c, more = 0;

	for (k = 0; k < n; k++) {
		const struct scan_part *p = &jobs[k].part;

		more += p->dropped_warnings;
		if (put_warnings(r, p, 0,
		                 p->nr_segs ? p->segs[0].warning
		                            : p->nr_warnings,
		                 &more) < 0)
			return PYO_ERROR;
	}
	for (c = 0; c < nr_chunks; c++) {
		const struct scan_part *p = by[c].p;
		size_t seg = by[c].seg;

		if (p &&
		    put_warnings(r, p, p->segs[seg].warning,
		                 seg + 1 < p->nr_segs ? p->segs[seg + 1].warning
		                                      : p->nr_warnings,
		                 &more) < 0)
			return PYO_ERROR;
	}
	if (more && pyo_report_warn(r, "%zu more warnings not shown", more) < 0)
		return PYO_ERROR;
	return 0;
}

/*
 * The chunks into the array of the part that holds most findings, in
 * place: that array grows (a large one is remapped, not copied) and the
 * chunks are put in their places from the last to the first, its own
 * moving towards the end, the others' copied in. Each chunk's place is at
 * or after where its part had it, and what comes after it is placed
 * already: nothing is overwritten before it moved. Half the copying and
 * half the new pages of a merge into a new array (24 MB on the bench
 * repository).
 */
static int merge_in_place(struct pyo_report *r,
                          struct scan_job *jobs,
                          size_t n,
                          const struct chunk_at *by,
                          size_t nr_chunks,
                          size_t total,
                          size_t room)
{
	struct scan_part *host = &jobs[0].part;
	struct pyo_finding *a;
	size_t c, k, dst = total, from, len;

	for (k = 1; k < n; k++)
		if (jobs[k].part.findings.nr > host->findings.nr)
			host = &jobs[k].part;
	if (!(a = realloc(host->findings.items, room * sizeof(*a))))
		return pyo_error_oom();
	host->findings.items = a;
	for (c = nr_chunks; c-- > 0;) {
		if (!(len = chunk_span(by, c, &from)))
			continue;
		dst -= len;
		if (by[c].p == host)
			memmove(a + dst, a + from, len * sizeof(*a));
		else
			memcpy(a + dst, by[c].p->findings.items + from,
			       len * sizeof(*a));
	}
	free(r->findings.items);
	r->findings.items = a;
	r->findings.alloc = room;
	r->findings.nr = total;
	host->findings.items = NULL;
	host->findings.alloc = 0;
	for (k = 0; k < n; k++)
		jobs[k].part.findings.nr = 0;
	return 0;
}

int pyo_scan_merge_findings(struct pyo_report *r,
                            struct scan_job *jobs,
                            size_t n)
{
	size_t total = 0, c, k, room;
	size_t nr_chunks = n ? jobs[0].queue->nr_chunks : 0;
	struct chunk_at *by;
	int error;

	if (r->findings.nr)
		return pyo_error_setc(
		        PYO_EINVALID,
		        "findings merged into a report that has some");
	if (!(by = calloc(nr_chunks + 1, sizeof(*by))))
		return pyo_error_oom();
	for (k = 0; k < n; k++) {
		const struct scan_part *p = &jobs[k].part;

		total += p->findings.nr;
		for (c = 0; c < p->nr_segs; c++)
			if (p->segs[c].chunk < nr_chunks)
				by[p->segs[c].chunk] =
				        (struct chunk_at){ p, c };
	}
	/*
	 * The size at once, with room for the dependency findings that come
	 * next (pyo_detect_deps(), a few per dependency): one more would
	 * double the array again, and zero 24 MB of new pages on the bench
	 * repository.
	 */
	room = total + 4 * r->deps.nr + 64;
	if ((error = merge_warnings(r, jobs, n, by, nr_chunks)) == 0 && total)
		error = merge_in_place(r, jobs, n, by, nr_chunks, total, room);
	free(by);
	/* the strings of the whole findings go with them */
	if (!error && !r->strings &&
	    !(r->strings = calloc(1, sizeof(*r->strings))))
		error = pyo_error_oom();
	for (k = 0; !error && k < n; k++)
		pyo_arena_move(r->strings, &jobs[k].part.strings);
	return error;
}
