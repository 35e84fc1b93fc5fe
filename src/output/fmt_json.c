/*
 * fmt_json.c: the report as one JSON document (schema in
 * docs/schema/report.schema.json), or as JSON Lines in batch mode.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writer.h"
#include "banned.h"

struct json_state {
	FILE *out;
	struct pyo_writer_options opts;
};

static int
json_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct json_state *s = calloc(1, sizeof(*s));

	if (!s)
		return pyo_error_oom();
	s->out = out;
	s->opts = *opts;
	*state = s;
	return 0;
}

static void iso_time(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "1970-01-01T00:00:00Z");
}

static void write_languages(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i;

	pyo_jsonw_key(w, "languages");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->nr_langs; i++) {
		const struct pyo_lang_stat *l = &r->langs[i];
		static const char *types[] = { "programming", "markup", "data",
			                       "prose" };

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "name", l->name);
		pyo_jsonw_kstr(w, "type", types[l->type]);
		pyo_jsonw_kbool(w, "in_share", l->in_share);
		pyo_jsonw_kdouble(w, "share", l->share, 2);
		pyo_jsonw_kuint(w, "files", l->files);
		pyo_jsonw_kuint(w, "bytes", l->bytes);
		pyo_jsonw_kuint(w, "lines", l->lines);
		pyo_jsonw_key(w, "code");
		if (l->has_line_kinds)
			pyo_jsonw_uint(w, l->code);
		else
			pyo_jsonw_null(w);
		pyo_jsonw_key(w, "comment");
		if (l->has_line_kinds)
			pyo_jsonw_uint(w, l->comment);
		else
			pyo_jsonw_null(w);
		pyo_jsonw_kuint(w, "blank", l->blank);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

static void write_excluded(struct pyo_jsonw *w, const struct pyo_report *r)
{
	int k;

	pyo_jsonw_key(w, "excluded");
	pyo_jsonw_obj_begin(w);
	for (k = 1; k < PYO_EX_COUNT; k++) {
		pyo_jsonw_key(w, pyo_exclude_name((enum pyo_exclude)k));
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kuint(w, "files", r->excluded[k].files);
		pyo_jsonw_kuint(w, "bytes", r->excluded[k].bytes);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_obj_end(w);
}

static void write_strv(struct pyo_jsonw *w, const char *key, char **v, size_t n)
{
	size_t i;

	pyo_jsonw_key(w, key);
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < n; i++)
		pyo_jsonw_str(w, v[i]);
	pyo_jsonw_arr_end(w);
}

static void write_files(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i;

	pyo_jsonw_key(w, "files");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->nr_files; i++) {
		const struct pyo_file_rec *f = &r->files[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "path", f->path);
		pyo_jsonw_kstr(w, "language", f->language);
		pyo_jsonw_kstr(w, "strategy", f->strategy);
		pyo_jsonw_kstr(w, "excluded",
		               f->exclude == PYO_EX_NONE
		                       ? NULL
		                       : pyo_exclude_name(f->exclude));
		pyo_jsonw_kuint(w, "bytes", f->bytes);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

static void write_deps(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i;

	pyo_jsonw_key(w, "dependencies");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->deps.nr; i++) {
		const struct pyo_dep *d = &r->deps.items[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "ecosystem", d->ecosystem);
		pyo_jsonw_kstr(w, "name", d->name);
		pyo_jsonw_kstr(w, "constraint", d->constraint);
		pyo_jsonw_kstr(w, "group", d->group);
		pyo_jsonw_kstr(w, "manifest", d->manifest);
		pyo_jsonw_kuint(w, "line", d->line);
		pyo_jsonw_kbool(w, "direct", d->is_direct);
		pyo_jsonw_kbool(w, "lock", d->is_lock);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

void pyo_json_finding(struct pyo_jsonw *w, const struct pyo_finding *f)
{
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "rule_id", f->rule_id);
	pyo_jsonw_kstr(w, "category", f->category);
	pyo_jsonw_kstr(w, "signal", f->signal);
	pyo_jsonw_kstr(w, "language", f->language);
	pyo_jsonw_kdouble(w, "weight", f->weight, 2);
	pyo_jsonw_kstr(w, "path", f->path);
	pyo_jsonw_kuint(w, "line", f->line);
	pyo_jsonw_kuint(w, "column", f->column);
	pyo_jsonw_kstr(w, "snippet", f->snippet);
	pyo_jsonw_kstr(w, "detail", f->detail);
	pyo_jsonw_kstr(w, "where", pyo_where_name(f->where));
	pyo_jsonw_kstr(w, "scope", pyo_scope_name(f->scope));
	pyo_jsonw_obj_end(w);
}

static void write_findings(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i;

	pyo_jsonw_key(w, "findings");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->findings.nr; i++)
		pyo_json_finding(w, &r->findings.items[i]);
	pyo_jsonw_arr_end(w);
}

static void write_categories(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i;
	int k;

	pyo_jsonw_key(w, "categories");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->nr_categories; i++) {
		const struct pyo_category_summary *c = &r->categories[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "category", c->category);
		pyo_jsonw_kuint(w, "findings", c->findings);
		pyo_jsonw_kuint(w, "files", c->files);
		pyo_jsonw_key(w, "by_scope");
		pyo_jsonw_obj_begin(w);
		for (k = 0; k < PYO_SCOPE_COUNT; k++)
			pyo_jsonw_kuint(w, pyo_scope_name((enum pyo_scope)k),
			                c->by_scope[k]);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

static void write_signals(struct pyo_jsonw *w, const struct pyo_report *r)
{
	size_t i, k;

	pyo_jsonw_key(w, "signals");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->signals.nr; i++) {
		const struct pyo_signal *s = &r->signals.items[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "name", s->name);
		pyo_jsonw_kdouble(w, "value", s->value, 4);
		pyo_jsonw_kstr(w, "source", s->source);
		pyo_jsonw_key(w, "findings");
		pyo_jsonw_arr_begin(w);
		for (k = 0; k < s->nr_findings; k++)
			pyo_jsonw_uint(w, s->findings[k]);
		pyo_jsonw_arr_end(w);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

static void write_timings(struct pyo_jsonw *w, const struct pyo_timings *t)
{
	pyo_jsonw_key(w, "timings_ms");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "open", t->open_ms, 1);
	pyo_jsonw_kdouble(w, "tree_walk", t->walk_ms, 1);
	pyo_jsonw_kdouble(w, "analyze", t->analyze_ms, 1);
	pyo_jsonw_kdouble(w, "history", t->history_ms, 1);
	pyo_jsonw_kdouble(w, "decide", t->decide_ms, 1);
	pyo_jsonw_kdouble(w, "total", t->total_ms, 1);
	pyo_jsonw_obj_end(w);
}

static void write_tool(struct pyo_jsonw *w, const struct pyo_report *r)
{
	pyo_jsonw_kstr(w, "schema_version", PYO_SCHEMA_VERSION);
	pyo_jsonw_key(w, "tool");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "name", "pyorgo");
	pyo_jsonw_kstr(w, "version", pyo_version());
	pyo_jsonw_kstr(w, "rules", r->rules_version);
	pyo_jsonw_obj_end(w);
}

/* A repository that failed in a batch: what, where, and the code. */
static void write_error(struct pyo_jsonw *w, const struct pyo_report *r)
{
	pyo_jsonw_obj_begin(w);
	write_tool(w, r);
	pyo_jsonw_key(w, "repository");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "path", r->repo_path);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "error");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kint(w, "code", r->error_code);
	pyo_jsonw_kstr(w, "kind", pyo_error_name(r->error_code));
	pyo_jsonw_kstr(w, "message", r->error);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_obj_end(w);
}

void pyo_json_report(FILE *out,
                     const struct pyo_report *r,
                     int pretty,
                     int timings)
{
	struct pyo_jsonw w;
	char when[32];

	pyo_jsonw_init(&w, out, pretty);
	if (r->error) {
		write_error(&w, r);
		return;
	}
	pyo_jsonw_obj_begin(&w);
	write_tool(&w, r);
	pyo_jsonw_key(&w, "repository");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kstr(&w, "path", r->repo_path);
	pyo_jsonw_kstr(&w, "git_dir", r->git_dir);
	pyo_jsonw_kbool(&w, "bare", r->is_bare);
	pyo_jsonw_kbool(&w, "shallow", r->is_shallow);
	pyo_jsonw_obj_end(&w);
	pyo_jsonw_key(&w, "revision");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kstr(&w, "asked", r->rev);
	pyo_jsonw_kstr(&w, "commit", r->commit);
	pyo_jsonw_kint(&w, "time", r->commit_time);
	iso_time(when, sizeof(when), r->commit_time);
	pyo_jsonw_kstr(&w, "date", when);
	pyo_jsonw_obj_end(&w);
	pyo_jsonw_key(&w, "totals");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kuint(&w, "files", r->total_files);
	pyo_jsonw_kuint(&w, "bytes", r->total_bytes);
	pyo_jsonw_kuint(&w, "share_bytes", r->share_bytes);
	pyo_jsonw_kuint(&w, "too_large", r->too_large);
	pyo_jsonw_obj_end(&w);
	write_languages(&w, r);
	write_excluded(&w, r);
	write_strv(&w, "submodules", r->submodules, r->nr_submodules);
	pyo_jsonw_key(&w, "missing_objects");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kuint(&w, "count", r->nr_missing);
	write_strv(&w, "paths", r->missing, r->nr_missing_listed);
	pyo_jsonw_obj_end(&w);
	write_deps(&w, r);
	if (r->has_files)
		write_files(&w, r);
	pyo_jsonw_kuint(&w, "findings_total", r->findings_total);
	pyo_jsonw_kuint(&w, "findings_omitted", r->findings_omitted);
	write_findings(&w, r);
	write_categories(&w, r);
	write_signals(&w, r);
	pyo_jsonw_key(&w, "history");
	if (r->history)
		pyo_json_history(&w, r->history);
	else
		pyo_jsonw_null(&w);
	pyo_jsonw_key(&w, "verdict");
	if (r->verdict)
		pyo_json_verdict(&w, r->verdict);
	else
		pyo_jsonw_null(&w);
	write_strv(&w, "warnings", r->warnings, r->nr_warnings);
	if (timings)
		write_timings(&w, &r->timings);
	pyo_jsonw_obj_end(&w);
}

static int json_add(void *state, const struct pyo_report *r)
{
	struct json_state *s = state;

	if (r->check) {
		pyo_json_check(s->out, r->check, !s->opts.no_timings);
		return 0;
	}
	pyo_json_report(s->out, r, !s->opts.lines, !s->opts.no_timings);
	if (s->opts.lines)
		fputc('\n', s->out);
	return 0;
}

static int json_end(void *state)
{
	struct json_state *s = state;
	int error = fflush(s->out) ? pyo_error_set("cannot write output") : 0;

	free(s);
	return error;
}

const struct pyo_writer pyo_writer_json = {
	"json",     "one JSON document (JSON Lines in batch mode)",
	json_begin, json_add,
	json_end,
};
