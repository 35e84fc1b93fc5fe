/*
 * recommend_evidence.c: what a reason shows of the findings behind it:
 * its template expanded ({signal}, {files:signal}, {details:signal}) and
 * its first findings.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "buf.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

/* Integers print as such, other values with one decimal. */
void recommend_put_number(struct pyo_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		pyo_buf_printf(b, "%.0f", v);
	else
		pyo_buf_printf(b, "%.1f", v);
}

static const struct pyo_signal *view_sig(const struct gview *v,
                                         const char *name)
{
	const struct gview_item *it = gview_get(v, name);

	return it ? it->sig : NULL;
}

/*
 * Distinct files behind a signal. Findings are sorted by path and a
 * signal's indices ascending (pyo_signals_sort), so a file's findings are
 * neighbours: comparing with the previous one is enough.
 */
static size_t count_files(const struct pyo_signal *sig,
                          const struct pyo_findings *fs)
{
	const char *last = NULL;
	size_t i, n = 0;

	for (i = 0; sig && fs && i < sig->nr_findings; i++) {
		const struct pyo_finding *f;

		if (sig->findings[i] >= fs->nr)
			continue;
		f = &fs->items[sig->findings[i]];
		if (!last || (last != f->path && strcmp(last, f->path)))
			n++;
		last = f->path;
	}
	return n;
}

static const char *finding_name(const struct pyo_finding *f)
{
	return f->detail && *f->detail ? f->detail : f->rule_id;
}

/* "torch, transformers, numpy +2 more": the distinct details. */
static void put_details(struct pyo_buf *b,
                        const struct pyo_signal *sig,
                        const struct pyo_findings *fs)
{
	struct pyo_strmap seen = { 0 };
	const char *last = NULL;
	size_t i, shown = 0, total = 0;

	for (i = 0; sig && fs && i < sig->nr_findings; i++) {
		struct pyo_strmap_entry *e;
		const char *name;

		if (sig->findings[i] >= fs->nr)
			continue;
		/* a rule's light findings share its strings: seen just now */
		name = finding_name(&fs->items[sig->findings[i]]);
		if (name == last)
			continue;
		last = name;
		e = pyo_strmap_slot(&seen, name, strlen(name));
		if (!e || e->value)
			continue;
		e->value = (void *)1;
		total++;
		if (shown < 3) {
			pyo_buf_printf(b, "%s%s", shown ? ", " : "", name);
			shown++;
		}
	}
	pyo_strmap_clear(&seen, NULL);
	if (!total)
		pyo_buf_puts(b, "none found");
	else if (total > shown)
		pyo_buf_printf(b, " +%zu more", total - shown);
}

/*
 * Expands a factor's template: {signal} is its value, {files:signal} the
 * number of distinct files behind it, {details:signal} the packages or
 * rules found.
 */
char *recommend_expand(const char *tpl,
                       const struct gview *v,
                       const struct pyo_findings *fs)
{
	struct pyo_buf b = { 0 };
	const char *p = tpl, *open, *close;
	char name[128];

	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		size_t n = (size_t)(close - open - 1);

		pyo_buf_put(&b, p, (size_t)(open - p));
		p = close + 1;
		if (n == 0 || n >= sizeof(name)) {
			pyo_buf_put(&b, open, (size_t)(close - open + 1));
			continue;
		}
		memcpy(name, open + 1, n);
		name[n] = '\0';
		if (pyo_str_startswith(name, "files:"))
			pyo_buf_printf(&b, "%zu",
			               count_files(view_sig(v, name + 6), fs));
		else if (pyo_str_startswith(name, "details:"))
			put_details(&b, view_sig(v, name + 8), fs);
		else
			recommend_put_number(&b, gview_value(v, name));
	}
	pyo_buf_puts(&b, p);
	return pyo_buf_detach(&b);
}

struct names {
	const char *items[64];
	size_t nr;
};

static void collect_name(void *payload, const char *name)
{
	struct names *n = payload;
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (!strcmp(n->items[i], name))
			return;
	if (n->nr < sizeof(n->items) / sizeof(*n->items))
		n->items[n->nr++] = name;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* 1 when the signal's finding indices ascend (pyo_signals_sort()). */
static int ascending(const struct pyo_signal *s)
{
	size_t k;

	for (k = 1; k < s->nr_findings; k++)
		if (s->findings[k - 1] >= s->findings[k])
			return 0;
	return 1;
}

/*
 * The first `max` distinct findings of ascending lists, merged, into
 * idx, and how many distinct ones there are: no copy and sort of them
 * all (a signal of the bench repository holds 100,000).
 */
static size_t merge_first(const struct pyo_signal *const *lists,
                          size_t nl,
                          size_t nr_findings,
                          size_t *idx,
                          size_t max)
{
	size_t pos[64] = { 0 }, out = 0, last = SIZE_MAX, k;

	for (;;) {
		size_t m = SIZE_MAX;

		for (k = 0; k < nl; k++)
			if (pos[k] < lists[k]->nr_findings &&
			    lists[k]->findings[pos[k]] < m)
				m = lists[k]->findings[pos[k]];
		if (m == SIZE_MAX || m >= nr_findings)
			break;
		for (k = 0; k < nl; k++)
			if (pos[k] < lists[k]->nr_findings &&
			    lists[k]->findings[pos[k]] == m)
				pos[k]++;
		if (m != last) {
			if (out < max)
				idx[out] = m;
			out++;
			last = m;
		}
	}
	return out;
}

int recommend_add_evidence(struct pyo_reason *r,
                           const struct gfactor *fa,
                           const struct gview *v,
                           const struct pyo_findings *fs,
                           size_t max)
{
	struct names names = { 0 };
	const struct pyo_signal *lists[64];
	size_t *idx = NULL, nr = 0, alloc = 0, i, k, out = 0, nl = 0;
	int error = 0, sorted = 1;

	gexpr_signals(&fa->when, collect_name, &names);
	for (i = 0; i < fa->nr_evidence; i++)
		collect_name(&names, fa->evidence[i]);
	for (i = 0; fs && i < names.nr; i++) {
		const struct gview_item *it = gview_get(v, names.items[i]);

		if (it && it->sig && it->value > 0) {
			lists[nl++] = it->sig;
			sorted &= ascending(it->sig);
		}
	}
	if (sorted && nl) {
		if (!(idx = calloc(max + 1, sizeof(*idx))))
			return pyo_error_oom();
		out = merge_first(lists, nl, fs->nr, idx, max);
		goto take;
	}
	for (i = 0; fs && i < names.nr; i++) {
		const struct gview_item *it = gview_get(v, names.items[i]);

		if (!it || !it->sig || !(it->value > 0))
			continue;
		for (k = 0; k < it->sig->nr_findings; k++) {
			if (it->sig->findings[k] >= fs->nr)
				continue;
			if (PYO_ARRAY_GROW(idx, nr, alloc) < 0) {
				error = pyo_error_oom();
				goto done;
			}
			idx[nr++] = it->sig->findings[k];
		}
	}
	if (!nr)
		goto done;
	pyo_qsort(idx, nr, sizeof(*idx), cmp_size);
	for (i = 0; i < nr; i++)
		if (!out || idx[out - 1] != idx[i])
			idx[out++] = idx[i];
take:
	if (!out)
		goto done;
	r->nr_evidence = out < max ? out : max;
	r->more_evidence = out - r->nr_evidence;
	if (!(r->evidence = calloc(r->nr_evidence, sizeof(*r->evidence)))) {
		r->nr_evidence = 0;
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < r->nr_evidence; i++) {
		const struct pyo_finding *f = &fs->items[idx[i]];

		r->evidence[i].finding = idx[i];
		r->evidence[i].line = f->line;
		r->evidence[i].path = pyo_strdup(f->path);
		r->evidence[i].rule_id = pyo_strdup(f->rule_id);
		if (!r->evidence[i].path || !r->evidence[i].rule_id) {
			error = pyo_error_oom();
			goto done;
		}
	}
done:
	free(idx);
	return error;
}
