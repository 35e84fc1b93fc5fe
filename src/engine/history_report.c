/*
 * history_report.c: turns the merged totals of the walk into the public
 * struct pyo_history (sorted, deterministic) and into signals. Every
 * measure is defined in docs/history.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "history_int.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define DAY 86400
#define TREND_FLAT 1.0 /* |slope| under this many points/quarter: "flat" */

/* A language's totals while they are gathered. */
struct lacc {
	const struct pyo_language *lang;
	struct pyo_history_lang out;
	uint64_t *per_author; /* commits of each human author, for bus factor */
	size_t nr_pa, alloc_pa;
	struct hq *qs; /* ascending; .touches, .commits; authors below */
	uint64_t *q_authors;
	size_t nr_qs, alloc_qs, alloc_qa;
};

static int is_lang(const struct pyo_language *l, const char *name)
{
	return l && !strcmp(pyo_language_name(l), name);
}

static int cmp_author(const void *pa, const void *pb)
{
	const struct hauthor *a = *(const struct hauthor *const *)pa;
	const struct hauthor *b = *(const struct hauthor *const *)pb;

	if (a->is_bot != b->is_bot)
		return a->is_bot - b->is_bot;
	if (a->commits != b->commits)
		return a->commits > b->commits ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int cmp_author_lang(const void *pa, const void *pb)
{
	const struct pyo_history_author_lang *a = pa, *b = pb;

	if (a->commits != b->commits)
		return a->commits > b->commits ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_lang(const void *pa, const void *pb)
{
	const struct pyo_history_lang *a = pa, *b = pb;

	if (a->commits != b->commits)
		return a->commits > b->commits ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_u64_desc(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a == b ? 0 : a > b ? -1 : 1;
}

static struct lacc *lacc_get(struct lacc **accs,
                             size_t *nr,
                             size_t *alloc,
                             const struct pyo_language *lang)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if ((*accs)[i].lang == lang)
			return &(*accs)[i];
	if (pyo_array_grow((void **)accs, alloc, *nr, sizeof(**accs)) < 0)
		return NULL;
	memset(&(*accs)[*nr], 0, sizeof(**accs));
	(*accs)[*nr].lang = lang;
	(*accs)[*nr].out.last_time = INT64_MIN;
	return &(*accs)[(*nr)++];
}

static int lacc_quarter(struct lacc *la, const struct hq *q)
{
	size_t lo = 0, hi = la->nr_qs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (la->qs[mid].q < q->q)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == la->nr_qs || la->qs[lo].q != q->q) {
		size_t alloc_qs = la->alloc_qs;

		if (PYO_ARRAY_GROW(la->qs, la->nr_qs, la->alloc_qs) < 0 ||
		    pyo_array_grow((void **)&la->q_authors, &la->alloc_qa,
		                   la->nr_qs, sizeof(uint64_t)) < 0)
			return PYO_ERROR;
		(void)alloc_qs;
		memmove(&la->qs[lo + 1], &la->qs[lo],
		        (la->nr_qs - lo) * sizeof(la->qs[0]));
		memmove(&la->q_authors[lo + 1], &la->q_authors[lo],
		        (la->nr_qs - lo) * sizeof(uint64_t));
		memset(&la->qs[lo], 0, sizeof(la->qs[0]));
		la->qs[lo].q = q->q;
		la->q_authors[lo] = 0;
		la->nr_qs++;
	}
	la->qs[lo].commits += q->commits;
	la->qs[lo].touches += q->touches;
	la->q_authors[lo]++;
	return 0;
}

/* fewest authors whose commits add up to at least half of `total` */
static uint64_t bus_factor(uint64_t *commits, size_t nr, uint64_t total)
{
	uint64_t sum = 0;
	size_t k;

	pyo_qsort(commits, nr, sizeof(*commits), cmp_u64_desc);
	for (k = 0; k < nr; k++) {
		sum += commits[k];
		if (2 * sum >= total)
			return k + 1;
	}
	return nr;
}

static int lang_add_author(struct lacc *la,
                           const struct hal *l,
                           int64_t start_90d,
                           int64_t start_12m)
{
	size_t j;

	la->out.commits += l->commits;
	la->out.touches += l->touches;
	la->out.authors++;
	if (l->last_time > la->out.last_time)
		la->out.last_time = l->last_time;
	if (l->last_time >= start_90d)
		la->out.active_90d++;
	if (l->last_time >= start_12m)
		la->out.active_12m++;
	if (pyo_array_grow((void **)&la->per_author, &la->alloc_pa, la->nr_pa,
	                   sizeof(uint64_t)) < 0)
		return PYO_ERROR;
	la->per_author[la->nr_pa++] = l->commits;
	for (j = 0; j < l->nr; j++)
		if (lacc_quarter(la, &l->qs[j]) < 0)
			return PYO_ERROR;
	return 0;
}

static void window_add(struct pyo_history_window *w,
                       const struct hauthor *au,
                       int64_t start)
{
	int py = 0, go = 0;
	size_t i;

	if (au->last_time < start)
		return;
	for (i = 0; i < au->nr; i++) {
		if (au->langs[i].last_time < start)
			continue;
		py |= is_lang(au->langs[i].lang, "Python");
		go |= is_lang(au->langs[i].lang, "Go");
	}
	w->active++;
	if (py && go)
		w->both++;
	else if (py)
		w->python_only++;
	else if (go)
		w->go_only++;
	else
		w->neither++;
}

static void trend_add(struct pyo_history_trend *tr,
                      const struct hauthor *au,
                      int64_t q_last)
{
	size_t i, j;

	for (i = 0; i < au->nr; i++) {
		const struct hal *l = &au->langs[i];
		int py = is_lang(l->lang, "Python"),
		    go = is_lang(l->lang, "Go");

		for (j = 0; j < l->nr; j++) {
			int64_t k =
			        l->qs[j].q - (q_last - PYO_TREND_QUARTERS + 1);
			struct pyo_history_trend_point *p;

			if (k < 0 || k >= PYO_TREND_QUARTERS)
				continue;
			p = &tr->points[k];
			p->touches += l->qs[j].touches;
			if (py)
				p->python += l->qs[j].touches;
			if (go)
				p->go += l->qs[j].touches;
		}
	}
}

/* least-squares slope of y over x = quarter index, quarters with data */
static double slope(const struct pyo_history_trend *tr, int go)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0, d;
	size_t k;

	for (k = 0; k < PYO_TREND_QUARTERS; k++) {
		const struct pyo_history_trend_point *p = &tr->points[k];
		double y = go ? p->go_share : p->python_share;

		if (!p->touches)
			continue;
		n++;
		sx += (double)k;
		sy += y;
		sxx += (double)k * (double)k;
		sxy += (double)k * y;
	}
	d = n * sxx - sx * sx;
	if (n < 2 || d == 0)
		return 0;
	return (n * sxy - sx * sy) / d;
}

static const char *direction(double s, size_t n)
{
	if (n < 2)
		return "unknown";
	if (s >= TREND_FLAT)
		return "rising";
	if (s <= -TREND_FLAT)
		return "falling";
	return "flat";
}

static void trend_finish(struct pyo_history_trend *tr, int64_t q_last)
{
	uint64_t touches = 0, py = 0, go = 0;
	size_t k;

	for (k = 0; k < PYO_TREND_QUARTERS; k++) {
		struct pyo_history_trend_point *p = &tr->points[k];

		history_quarter_format(p->label, sizeof(p->label),
		                       q_last - PYO_TREND_QUARTERS + 1 +
		                               (int64_t)k);
		if (p->touches) {
			tr->quarters_with_data++;
			p->python_share =
			        100.0 * (double)p->python / (double)p->touches;
			p->go_share =
			        100.0 * (double)p->go / (double)p->touches;
		}
		touches += p->touches;
		py += p->python;
		go += p->go;
	}
	tr->python_slope = slope(tr, 0);
	tr->go_slope = slope(tr, 1);
	/* keep output stable: round to the two decimals it is printed with */
	tr->python_slope = round(tr->python_slope * 100) / 100;
	tr->go_slope = round(tr->go_slope * 100) / 100;
	tr->python_direction =
	        direction(tr->python_slope, tr->quarters_with_data);
	tr->go_direction = direction(tr->go_slope, tr->quarters_with_data);
	if (touches) {
		tr->python_share = 100.0 * (double)py / (double)touches;
		tr->go_share = 100.0 * (double)go / (double)touches;
	}
}

static int author_out(struct pyo_history_author *o, const struct hauthor *au)
{
	size_t i;

	o->key = pyo_strdup(au->key);
	o->name = pyo_strdup(au->name ? au->name : "");
	o->email = pyo_strdup(au->email ? au->email : "");
	o->commits = au->commits;
	o->first_time = au->first_time;
	o->last_time = au->last_time;
	o->is_bot = au->is_bot;
	if (!o->key || !o->name || !o->email)
		return PYO_ERROR;
	if (au->nr && !(o->langs = calloc(au->nr, sizeof(*o->langs))))
		return pyo_error_oom();
	for (i = 0; i < au->nr; i++) {
		o->langs[i].commits = au->langs[i].commits;
		o->langs[i].touches = au->langs[i].touches;
		o->langs[i].last_time = au->langs[i].last_time;
		o->langs[i].name =
		        pyo_strdup(pyo_language_name(au->langs[i].lang));
		o->nr_langs++;
		if (!o->langs[i].name)
			return PYO_ERROR;
	}
	pyo_qsort(o->langs, o->nr_langs, sizeof(*o->langs), cmp_author_lang);
	return 0;
}

static int lang_out(struct pyo_history_lang *o, struct lacc *la)
{
	size_t k;

	*o = la->out;
	la->out.name = NULL;
	o->quarters = NULL;
	o->nr_quarters = 0;
	if (!(o->name = pyo_strdup(pyo_language_name(la->lang))))
		return PYO_ERROR;
	o->bus_factor = bus_factor(la->per_author, la->nr_pa, o->commits);
	if (la->nr_qs &&
	    !(o->quarters = calloc(la->nr_qs, sizeof(*o->quarters))))
		return pyo_error_oom();
	for (k = 0; k < la->nr_qs; k++) {
		struct pyo_history_quarter *q = &o->quarters[k];

		history_quarter_format(q->label, sizeof(q->label), la->qs[k].q);
		q->commits = la->qs[k].commits;
		q->touches = la->qs[k].touches;
		q->authors = la->q_authors[k];
	}
	o->nr_quarters = la->nr_qs;
	return 0;
}

int hagg_finish(struct pyo_history *h, const struct hagg *a)
{
	int64_t start_90d = h->ref_time - 90 * (int64_t)DAY;
	int64_t start_12m = h->ref_time - 365 * (int64_t)DAY;
	int64_t q_last = history_quarter(h->ref_time);
	struct hauthor **list = NULL;
	struct pyo_strmap_entry *e;
	struct lacc *accs = NULL;
	size_t nr = 0, nr_accs = 0, alloc_accs = 0, i, j;
	int error = PYO_ERROR;

	if (a->authors.nr && !(list = calloc(a->authors.nr, sizeof(*list))))
		return pyo_error_oom();
	pyo_strmap_foreach(&a->authors, i, e) if (e->value) list[nr++] =
	        e->value;
	pyo_qsort(list, nr, sizeof(*list), cmp_author);

	h->attributed = a->attributed;
	h->unattributed += a->unattributed;
	h->missing_objects += a->missing_objects;
	h->changed_paths = a->changed_paths;
	h->first_time = a->has_time ? a->first_time : 0;
	h->last_time = a->has_time ? a->last_time : 0;
	h->window_90d.days = 90;
	h->window_12m.days = 365;
	if (nr && !(h->authors = calloc(nr, sizeof(*h->authors)))) {
		pyo_error_oom();
		goto done;
	}
	for (i = 0; i < nr; i++) {
		const struct hauthor *au = list[i];

		h->nr_authors++;
		if (author_out(&h->authors[i], au) < 0)
			goto done;
		if (au->is_bot) {
			h->bots++;
			h->bot_commits += au->commits;
			continue; /* never a team member */
		}
		h->humans++;
		window_add(&h->window_90d, au, start_90d);
		window_add(&h->window_12m, au, start_12m);
		trend_add(&h->trend, au, q_last);
		for (j = 0; j < au->nr; j++) {
			struct lacc *la = lacc_get(&accs, &nr_accs, &alloc_accs,
			                           au->langs[j].lang);

			if (!la || lang_add_author(la, &au->langs[j], start_90d,
			                           start_12m) < 0)
				goto done;
		}
	}
	trend_finish(&h->trend, q_last);
	if (nr_accs && !(h->langs = calloc(nr_accs, sizeof(*h->langs)))) {
		pyo_error_oom();
		goto done;
	}
	for (i = 0; i < nr_accs; i++) {
		h->nr_langs++;
		if (lang_out(&h->langs[i], &accs[i]) < 0)
			goto done;
	}
	pyo_qsort(h->langs, h->nr_langs, sizeof(*h->langs), cmp_lang);
	error = 0;
done:
	for (i = 0; i < nr_accs; i++) {
		free(accs[i].per_author);
		free(accs[i].qs);
		free(accs[i].q_authors);
	}
	free(accs);
	free(list);
	return error;
}

void pyo_history_free(struct pyo_history *h)
{
	size_t i, j;

	if (!h)
		return;
	for (i = 0; i < h->nr_langs; i++) {
		free(h->langs[i].name);
		free(h->langs[i].quarters);
	}
	free(h->langs);
	for (i = 0; i < h->nr_authors; i++) {
		for (j = 0; j < h->authors[i].nr_langs; j++)
			free(h->authors[i].langs[j].name);
		free(h->authors[i].langs);
		free(h->authors[i].key);
		free(h->authors[i].name);
		free(h->authors[i].email);
	}
	free(h->authors);
	free(h);
}

const struct pyo_history_lang *pyo_history_lang(const struct pyo_history *h,
                                                const char *name)
{
	size_t i;

	for (i = 0; h && i < h->nr_langs; i++)
		if (!strcmp(h->langs[i].name, name))
			return &h->langs[i];
	return NULL;
}

static int dir_value(const char *d)
{
	return !strcmp(d, "rising") ? 1 : !strcmp(d, "falling") ? -1 : 0;
}

static int put_window(struct pyo_signals *out,
                      const struct pyo_history_window *w,
                      const char *suffix)
{
	static const char *const names[] = { "active", "python_active",
		                             "go_active", "both_active",
		                             "neither_active" };
	uint64_t v[5];
	char name[64];
	size_t i;

	v[0] = w->active;
	v[1] = w->python_only + w->both; /* python-active includes "both" */
	v[2] = w->go_only + w->both;
	v[3] = w->both;
	v[4] = w->neither;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "team.%s_%s", names[i], suffix);
		if (!pyo_signals_set(out, name, (double)v[i], "history", 0))
			return PYO_ERROR;
	}
	return 0;
}

int pyo_history_signals(struct pyo_signals *out, const struct pyo_history *h)
{
	const struct pyo_history_lang *py = pyo_history_lang(h, "Python");
	const struct pyo_history_lang *go = pyo_history_lang(h, "Go");
	const struct {
		const char *name;
		double value;
	} sig[] = {
		{ "history.commits", (double)h->commits },
		{ "history.merges", (double)h->merges },
		{ "history.bot_commits", (double)h->bot_commits },
		{ "history.is_shallow", h->is_shallow },
		{ "history.truncated", h->truncated },
		{ "history.missing_objects", (double)h->missing_objects },
		{ "team.authors", (double)h->humans },
		{ "team.bots", (double)h->bots },
		{ "team.python_authors", py ? (double)py->authors : 0 },
		{ "team.go_authors", go ? (double)go->authors : 0 },
		{ "team.python_commits", py ? (double)py->commits : 0 },
		{ "team.go_commits", go ? (double)go->commits : 0 },
		{ "team.bus_factor.python", py ? (double)py->bus_factor : 0 },
		{ "team.bus_factor.go", go ? (double)go->bus_factor : 0 },
		{ "trend.python_share", h->trend.python_share },
		{ "trend.go_share", h->trend.go_share },
		{ "trend.python_slope", h->trend.python_slope },
		{ "trend.go_slope", h->trend.go_slope },
		{ "trend.python_direction",
		  dir_value(h->trend.python_direction) },
		{ "trend.go_direction", dir_value(h->trend.go_direction) },
	};
	size_t i;

	for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++)
		if (!pyo_signals_set(out, sig[i].name, sig[i].value, "history",
		                     0))
			return PYO_ERROR;
	if (put_window(out, &h->window_90d, "90d") < 0 ||
	    put_window(out, &h->window_12m, "12m") < 0)
		return PYO_ERROR;
	return 0;
}
