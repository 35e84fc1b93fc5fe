/*
 * sec_check.c: what `pyorgo check` found, as text and JSON: the evidence a
 * change adds or removes, the verdict before and after, the policy.
 */
#include <string.h>

#include "pyorgo/check.h"
#include "pyorgo/recommend.h"
#include "sections.h"
#include "banned.h"

static void text_finding(FILE *out,
                         char sign,
                         const struct pyo_finding *f,
                         const char *note)
{
	fprintf(out, "  %c %s:%u  %s  %s%s%s\n", sign, f->path,
	        f->line ? f->line : 1, f->rule_id,
	        f->detail    ? f->detail
	        : f->snippet ? f->snippet
	                     : "",
	        note ? "  " : "", note ? note : "");
}

void pyo_text_check(FILE *out, const struct pyo_check *c)
{
	const struct pyo_report *r = c->report;
	const struct pyo_verdict *v = r->verdict;
	size_t i;

	fprintf(out,
	        "pyorgo check: %s %.12s -> %s: %zu files changed, %zu "
	        "pieces of evidence added, %zu removed\n",
	        c->is_staged ? "HEAD" : "merge base", c->base_commit,
	        c->head_rev, c->nr_files, c->nr_added, c->removed.nr);
	for (i = 0; i < r->findings.nr; i++)
		if (c->marks[i] & PYO_MARK_ADDED)
			text_finding(out, '+', &r->findings.items[i],
			             c->marks[i] & PYO_MARK_VIOLATION
			                     ? "[policy violation]"
			             : c->marks[i] & PYO_MARK_CONTRADICTS
			                     ? "[contradicts the declared "
			                       "language; allowed]"
			                     : NULL);
	for (i = 0; i < c->removed.nr; i++)
		text_finding(out, '-', &c->removed.items[i], NULL);
	if (v && c->verdict_moved)
		fprintf(out, "verdict: %s -> %s\n",
		        pyo_choice_label(c->base_verdict->choice),
		        pyo_choice_label(v->choice));
	else if (v)
		fprintf(out, "verdict: %s (unchanged by this change)\n",
		        pyo_choice_label(v->choice));
	for (i = 0; i < c->nr_new_hard; i++)
		fprintf(out, "new hard constraint: %s\n", c->new_hard[i]);
	if (c->config_name)
		fprintf(out, "policy (%s): %zu violations%s\n", c->config_name,
		        c->nr_violations,
		        c->nr_suppressed || c->nr_allowed
		                ? ", some evidence suppressed or allowed"
		                : "");
	else
		fputs("policy: none (no .pyorgo.json)\n", out);
	for (i = 0; i < r->nr_warnings; i++)
		fprintf(out, "warning: %s\n", r->warnings[i]);
}

static void
json_choice(struct pyo_jsonw *w, const char *key, const struct pyo_verdict *v)
{
	pyo_jsonw_key(w, key);
	if (v)
		pyo_jsonw_str(w, pyo_choice_name(v->choice));
	else
		pyo_jsonw_null(w);
}

void pyo_json_check(FILE *out, const struct pyo_check *c, int timings)
{
	struct pyo_jsonw w;
	const struct pyo_report *r = c->report;
	size_t i;

	pyo_jsonw_init(&w, out, 1);
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kstr(&w, "schema_version", PYO_SCHEMA_VERSION);
	pyo_jsonw_kstr(&w, "kind", "check");
	pyo_jsonw_kstr(&w, "mode", c->is_staged ? "staged" : "base");
	pyo_jsonw_kstr(&w, "base", c->base_rev);
	pyo_jsonw_kstr(&w, "base_commit", c->base_commit);
	pyo_jsonw_kstr(&w, "head", c->head_rev);
	pyo_jsonw_kstr(&w, "head_commit", r->commit);
	pyo_jsonw_key(&w, "files");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < c->nr_files; i++) {
		char st[2] = { c->files[i].status, 0 };

		pyo_jsonw_obj_begin(&w);
		pyo_jsonw_kstr(&w, "path", c->files[i].path);
		pyo_jsonw_kstr(&w, "status", st);
		pyo_jsonw_kbool(&w, "unmerged", c->files[i].is_conflict);
		pyo_jsonw_kuint(&w, "added", c->files[i].added);
		pyo_jsonw_kuint(&w, "removed", c->files[i].removed);
		pyo_jsonw_obj_end(&w);
	}
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_key(&w, "added");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < r->findings.nr; i++)
		if (c->marks[i] & PYO_MARK_ADDED)
			pyo_json_finding(&w, &r->findings.items[i]);
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_key(&w, "removed");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < c->removed.nr; i++)
		pyo_json_finding(&w, &c->removed.items[i]);
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_key(&w, "verdict");
	pyo_jsonw_obj_begin(&w);
	json_choice(&w, "base", c->base_verdict);
	json_choice(&w, "head", r->verdict);
	pyo_jsonw_kbool(&w, "moved", c->verdict_moved);
	pyo_jsonw_key(&w, "new_hard_constraints");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < c->nr_new_hard; i++)
		pyo_jsonw_str(&w, c->new_hard[i]);
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_obj_end(&w);
	pyo_jsonw_key(&w, "policy");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kstr(&w, "file", c->config_name);
	pyo_jsonw_kstr(&w, "language", c->declared);
	pyo_jsonw_kuint(&w, "suppressed", c->nr_suppressed);
	pyo_jsonw_kuint(&w, "allowed", c->nr_allowed);
	pyo_jsonw_key(&w, "violations");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < c->nr_violations; i++) {
		const struct pyo_violation *v = &c->violations[i];

		pyo_jsonw_obj_begin(&w);
		pyo_jsonw_kstr(&w, "kind", pyo_violation_name(v->kind));
		pyo_jsonw_kstr(&w, "rule_id", v->rule_id);
		pyo_jsonw_kstr(&w, "path", v->path);
		pyo_jsonw_kuint(&w, "line", v->line);
		pyo_jsonw_kstr(&w, "message", v->message);
		pyo_jsonw_obj_end(&w);
	}
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_obj_end(&w);
	pyo_jsonw_key(&w, "warnings");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < r->nr_warnings; i++)
		pyo_jsonw_str(&w, r->warnings[i]);
	pyo_jsonw_arr_end(&w);
	if (timings)
		pyo_jsonw_kdouble(&w, "elapsed_ms", c->elapsed_ms, 1);
	pyo_jsonw_obj_end(&w);
	fputc('\n', out);
}
