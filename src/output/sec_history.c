/*
 * sec_history.c: the "history" part of a report: who writes which
 * language, the active team, the Python/Go trend. Field names and
 * measures are defined in docs/history.md.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pyorgo/history.h"
#include "sections.h"
#include "banned.h"

#define TEXT_AUTHORS 10
#define JSON_AUTHORS 200
#define TEXT_QUARTERS 4

/* "2026-07-01" (UTC), or "-" for no date */
static void date_str(char *buf, size_t n, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == INT64_MIN || t == INT64_MAX || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, n, "%Y-%m-%d", &tm))
		snprintf(buf, n, "-");
}

static const char *dir_or(const char *d)
{
	return d ? d : "unknown";
}

/* ---- JSON ------------------------------------------------------------- */

static void json_window(struct pyo_jsonw *w,
                        const char *key,
                        const struct pyo_history_window *win)
{
	pyo_jsonw_key(w, key);
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kuint(w, "days", win->days);
	pyo_jsonw_kuint(w, "active", win->active);
	pyo_jsonw_kuint(w, "python", win->python_only + win->both);
	pyo_jsonw_kuint(w, "go", win->go_only + win->both);
	pyo_jsonw_kuint(w, "python_only", win->python_only);
	pyo_jsonw_kuint(w, "go_only", win->go_only);
	pyo_jsonw_kuint(w, "both", win->both);
	pyo_jsonw_kuint(w, "neither", win->neither);
	pyo_jsonw_obj_end(w);
}

static void json_lang(struct pyo_jsonw *w, const struct pyo_history_lang *l)
{
	size_t k;

	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "name", l->name);
	pyo_jsonw_kuint(w, "commits", l->commits);
	pyo_jsonw_kuint(w, "authors", l->authors);
	pyo_jsonw_kuint(w, "touches", l->touches);
	pyo_jsonw_kuint(w, "bus_factor", l->bus_factor);
	pyo_jsonw_kuint(w, "active_90d", l->active_90d);
	pyo_jsonw_kuint(w, "active_12m", l->active_12m);
	pyo_jsonw_kint(w, "last_time", l->last_time);
	pyo_jsonw_key(w, "quarters");
	pyo_jsonw_arr_begin(w);
	for (k = 0; k < l->nr_quarters; k++) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "quarter", l->quarters[k].label);
		pyo_jsonw_kuint(w, "commits", l->quarters[k].commits);
		pyo_jsonw_kuint(w, "authors", l->quarters[k].authors);
		pyo_jsonw_kuint(w, "touches", l->quarters[k].touches);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_obj_end(w);
}

static void json_trend(struct pyo_jsonw *w, const struct pyo_history_trend *t)
{
	size_t k;

	pyo_jsonw_key(w, "trend");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kuint(w, "quarters_with_data", t->quarters_with_data);
	pyo_jsonw_key(w, "python");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "share", t->python_share, 1);
	pyo_jsonw_kdouble(w, "slope", t->python_slope, 2);
	pyo_jsonw_kstr(w, "direction", dir_or(t->python_direction));
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "go");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "share", t->go_share, 1);
	pyo_jsonw_kdouble(w, "slope", t->go_slope, 2);
	pyo_jsonw_kstr(w, "direction", dir_or(t->go_direction));
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "quarters");
	pyo_jsonw_arr_begin(w);
	for (k = 0; k < PYO_TREND_QUARTERS; k++) {
		const struct pyo_history_trend_point *p = &t->points[k];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "quarter", p->label);
		pyo_jsonw_kuint(w, "touches", p->touches);
		pyo_jsonw_kuint(w, "python", p->python);
		pyo_jsonw_kuint(w, "go", p->go);
		pyo_jsonw_kdouble(w, "python_share", p->python_share, 1);
		pyo_jsonw_kdouble(w, "go_share", p->go_share, 1);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_obj_end(w);
}

static void json_author(struct pyo_jsonw *w, const struct pyo_history_author *a)
{
	size_t k;

	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "key", a->key);
	pyo_jsonw_kstr(w, "name", a->name);
	pyo_jsonw_kstr(w, "email", a->email);
	pyo_jsonw_kbool(w, "is_bot", a->is_bot);
	pyo_jsonw_kuint(w, "commits", a->commits);
	pyo_jsonw_kint(w, "first_time", a->first_time);
	pyo_jsonw_kint(w, "last_time", a->last_time);
	pyo_jsonw_key(w, "languages");
	pyo_jsonw_arr_begin(w);
	for (k = 0; k < a->nr_langs; k++) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "name", a->langs[k].name);
		pyo_jsonw_kuint(w, "commits", a->langs[k].commits);
		pyo_jsonw_kuint(w, "touches", a->langs[k].touches);
		pyo_jsonw_kint(w, "last_time", a->langs[k].last_time);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_obj_end(w);
}

void pyo_json_history(struct pyo_jsonw *w, const struct pyo_history *h)
{
	size_t i;

	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kuint(w, "commits", h->commits);
	pyo_jsonw_kuint(w, "merges", h->merges);
	pyo_jsonw_kuint(w, "attributed", h->attributed);
	pyo_jsonw_kuint(w, "bot_commits", h->bot_commits);
	pyo_jsonw_kuint(w, "boundary_commits", h->boundary_commits);
	pyo_jsonw_kuint(w, "unattributed", h->unattributed);
	pyo_jsonw_kuint(w, "missing_objects", h->missing_objects);
	pyo_jsonw_kuint(w, "changed_paths", h->changed_paths);
	pyo_jsonw_kuint(w, "authors", h->humans);
	pyo_jsonw_kuint(w, "bots", h->bots);
	pyo_jsonw_kbool(w, "is_shallow", h->is_shallow);
	pyo_jsonw_kbool(w, "truncated", h->truncated);
	pyo_jsonw_kbool(w, "first_parent", h->first_parent);
	pyo_jsonw_key(w, "mailmap");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kbool(w, "found", h->has_mailmap);
	pyo_jsonw_kuint(w, "entries", h->mailmap_entries);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_kint(w, "ref_time", h->ref_time);
	pyo_jsonw_kint(w, "first_time", h->first_time);
	pyo_jsonw_kint(w, "last_time", h->last_time);
	pyo_jsonw_key(w, "active");
	pyo_jsonw_obj_begin(w);
	json_window(w, "90d", &h->window_90d);
	json_window(w, "12m", &h->window_12m);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "languages");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < h->nr_langs; i++)
		json_lang(w, &h->langs[i]);
	pyo_jsonw_arr_end(w);
	json_trend(w, &h->trend);
	pyo_jsonw_kuint(w, "contributors_total", h->nr_authors);
	pyo_jsonw_key(w, "contributors");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < h->nr_authors && i < JSON_AUTHORS; i++)
		json_author(w, &h->authors[i]);
	pyo_jsonw_arr_end(w);
	pyo_jsonw_obj_end(w);
}

/* ---- text ------------------------------------------------------------- */

static void text_summary(FILE *out, const struct pyo_history *h)
{
	char from[16], to[16];

	date_str(from, sizeof(from), h->first_time);
	date_str(to, sizeof(to), h->last_time);
	fprintf(out, "  %llu commits (%llu merges, %llu by bots), %s .. %s\n",
	        (unsigned long long)h->commits, (unsigned long long)h->merges,
	        (unsigned long long)h->bot_commits, from, to);
	fprintf(out, "  %llu authors, %llu bots%s%s\n",
	        (unsigned long long)h->humans, (unsigned long long)h->bots,
	        h->has_mailmap ? ", .mailmap applied" : "",
	        h->first_parent ? ", first parent only" : "");
	if (h->is_shallow)
		fprintf(out,
		        "  shallow clone: stopped at %llu boundary "
		        "commits\n",
		        (unsigned long long)h->boundary_commits);
	if (h->truncated)
		fprintf(out, "  truncated by --since / --max-commits\n");
	if (h->missing_objects)
		fprintf(out,
		        "  %llu objects missing, %llu commits not "
		        "attributed\n",
		        (unsigned long long)h->missing_objects,
		        (unsigned long long)h->unattributed);
}

static void text_windows(FILE *out,
                         const struct pyo_history *h,
                         const struct pyo_text_style *st)
{
	const struct pyo_history_window *ws[2] = { &h->window_90d,
		                                   &h->window_12m };
	static const char *const names[2] = { "last 90 days",
		                              "last 12 months" };
	char ref[16];
	size_t i;

	date_str(ref, sizeof(ref), h->ref_time);
	fprintf(out, "\n  %sActive before %s%s  %6s %7s %6s %6s %8s\n",
	        pyo_style_bold(st), ref, pyo_style_reset(st), "total", "Python",
	        "Go", "both", "neither");
	for (i = 0; i < 2; i++)
		fprintf(out, "    %-22s %7llu %7llu %6llu %6llu %8llu\n",
		        names[i], (unsigned long long)ws[i]->active,
		        (unsigned long long)ws[i]->python_only,
		        (unsigned long long)ws[i]->go_only,
		        (unsigned long long)ws[i]->both,
		        (unsigned long long)ws[i]->neither);
	fprintf(out, "    %s(Python, Go: only that one of the two)%s\n",
	        pyo_style_dim(st), pyo_style_reset(st));
}

static void text_langs(FILE *out,
                       const struct pyo_history *h,
                       const struct pyo_text_style *st)
{
	size_t i, k, shown = 0;

	if (!h->nr_langs)
		return;
	fprintf(out, "\n  %s%-20s%s %8s %8s %5s  %s\n", pyo_style_bold(st),
	        "Language", pyo_style_reset(st), "commits", "authors", "bus",
	        "commits in the last 4 quarters");
	for (i = 0; i < h->nr_langs && shown < 12; i++, shown++) {
		const struct pyo_history_lang *l = &h->langs[i];

		fprintf(out, "    %-18.18s %8llu %8llu %5llu ", l->name,
		        (unsigned long long)l->commits,
		        (unsigned long long)l->authors,
		        (unsigned long long)l->bus_factor);
		k = l->nr_quarters > TEXT_QUARTERS
		            ? l->nr_quarters - TEXT_QUARTERS
		            : 0;
		for (; k < l->nr_quarters; k++)
			fprintf(out, " %s:%llu", l->quarters[k].label + 2,
			        (unsigned long long)l->quarters[k].commits);
		fputc('\n', out);
	}
	if (h->nr_langs > shown)
		fprintf(out, "    ... and %zu more languages\n",
		        h->nr_langs - shown);
}

static void text_trend(FILE *out,
                       const struct pyo_history *h,
                       const struct pyo_text_style *st)
{
	const struct pyo_history_trend *t = &h->trend;
	size_t k;

	fprintf(out, "\n  %sShare of changed files%s %s .. %s\n",
	        pyo_style_bold(st), pyo_style_reset(st), t->points[0].label,
	        t->points[PYO_TREND_QUARTERS - 1].label);
	fprintf(out, "    %-7s", "Python");
	for (k = 0; k < PYO_TREND_QUARTERS; k++)
		if (t->points[k].touches)
			fprintf(out, " %4.0f%%", t->points[k].python_share);
		else
			fprintf(out, " %5s", "-");
	fprintf(out, "  %s (%+.1f/q)\n", dir_or(t->python_direction),
	        t->python_slope);
	fprintf(out, "    %-7s", "Go");
	for (k = 0; k < PYO_TREND_QUARTERS; k++)
		if (t->points[k].touches)
			fprintf(out, " %4.0f%%", t->points[k].go_share);
		else
			fprintf(out, " %5s", "-");
	fprintf(out, "  %s (%+.1f/q)\n", dir_or(t->go_direction), t->go_slope);
}

static void text_authors(FILE *out,
                         const struct pyo_history *h,
                         const struct pyo_text_style *st)
{
	size_t i, k, shown = 0;
	char date[16], langs[40];

	if (!h->humans)
		return;
	fprintf(out, "\n  %s%-24s%s %7s  %-10s  %s\n", pyo_style_bold(st),
	        "Author", pyo_style_reset(st), "commits", "last", "languages");
	for (i = 0; i < h->nr_authors && shown < TEXT_AUTHORS; i++) {
		const struct pyo_history_author *a = &h->authors[i];
		size_t len = 0;

		if (a->is_bot)
			continue;
		shown++;
		langs[0] = '\0';
		for (k = 0; k < a->nr_langs && len < sizeof(langs); k++) {
			int n = snprintf(
			        langs + len, sizeof(langs) - len, "%s%s %llu",
			        k ? ", " : "", a->langs[k].name,
			        (unsigned long long)a->langs[k].commits);

			if (n < 0)
				break;
			len += (size_t)n;
		}
		date_str(date, sizeof(date), a->last_time);
		fprintf(out, "    %-22.22s %7llu  %-10s  %.32s\n",
		        *a->name ? a->name : a->key,
		        (unsigned long long)a->commits, date, langs);
	}
	if (h->humans > shown)
		fprintf(out, "    ... and %llu more authors\n",
		        (unsigned long long)(h->humans - shown));
}

void pyo_text_history(FILE *out,
                      const struct pyo_report *r,
                      const struct pyo_text_style *st)
{
	const struct pyo_history *h = r->history;

	if (!h)
		return;
	fprintf(out, "\n%sHistory%s\n", pyo_style_bold(st),
	        pyo_style_reset(st));
	text_summary(out, h);
	text_windows(out, h, st);
	text_langs(out, h, st);
	text_trend(out, h, st);
	text_authors(out, h, st);
}

/* ---- markdown ----------------------------------------------------------- */

void pyo_markdown_history(FILE *out, const struct pyo_report *r)
{
	const struct pyo_history *h = r->history;
	size_t i;

	if (!h)
		return;
	fprintf(out, "### History\n\n");
	fprintf(out,
	        "%llu commits (%llu merges, %llu by bots), %llu authors%s"
	        "%s.\n\n",
	        (unsigned long long)h->commits, (unsigned long long)h->merges,
	        (unsigned long long)h->bot_commits,
	        (unsigned long long)h->humans,
	        h->is_shallow ? ", shallow clone" : "",
	        h->truncated ? ", truncated" : "");
	fprintf(out, "| active | total | Python only | Go only | both | "
	             "neither |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
	fprintf(out, "| last 90 days | %llu | %llu | %llu | %llu | %llu |\n",
	        (unsigned long long)h->window_90d.active,
	        (unsigned long long)h->window_90d.python_only,
	        (unsigned long long)h->window_90d.go_only,
	        (unsigned long long)h->window_90d.both,
	        (unsigned long long)h->window_90d.neither);
	fprintf(out,
	        "| last 12 months | %llu | %llu | %llu | %llu | %llu |\n\n",
	        (unsigned long long)h->window_12m.active,
	        (unsigned long long)h->window_12m.python_only,
	        (unsigned long long)h->window_12m.go_only,
	        (unsigned long long)h->window_12m.both,
	        (unsigned long long)h->window_12m.neither);
	if (h->nr_langs) {
		fprintf(out, "| language | commits | authors | bus factor |\n"
		             "| --- | ---: | ---: | ---: |\n");
		for (i = 0; i < h->nr_langs && i < 12; i++)
			fprintf(out, "| %s | %llu | %llu | %llu |\n",
			        h->langs[i].name,
			        (unsigned long long)h->langs[i].commits,
			        (unsigned long long)h->langs[i].authors,
			        (unsigned long long)h->langs[i].bus_factor);
		fputc('\n', out);
	}
	fprintf(out,
	        "Share of changed files over the last eight quarters: "
	        "Python %.1f%% (%s, %+.2f points/quarter), Go %.1f%% "
	        "(%s, %+.2f points/quarter).\n\n",
	        h->trend.python_share, dir_or(h->trend.python_direction),
	        h->trend.python_slope, h->trend.go_share,
	        dir_or(h->trend.go_direction), h->trend.go_slope);
}
