/* cmd_check.c: pyorgo check --staged | --base REV [--head REV] [PATH] */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/check.h"
#include "pyorgo/recommend.h"
#include "cli.h"
#include "writer.h"
#include "banned.h"

static const char usage_line[] =
        "pyorgo check (--staged | --base REV [--head REV]) [PATH] [options]";
static const char summary[] =
        "Reports the evidence a change adds or removes, whether it moves the "
        "verdict,\nand whether it breaks the policy of .pyorgo.json. "
        "--staged compares the index\nwith HEAD (for pre-commit); --base "
        "compares HEAD (or --head) with its merge\nbase with REV, like git "
        "diff REV...HEAD (for pull requests). Reads only the\nblobs that "
        "changed. Exit codes: 0 no violation, 1 policy violation, 2 usage "
        "or\nconfiguration error, 3 repository or runtime error, 4 broken "
        "rule file.";

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

static void write_text(FILE *out, const struct pyo_check *c)
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

static void json_finding(struct pyo_jsonw *w, const struct pyo_finding *f)
{
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "rule_id", f->rule_id);
	pyo_jsonw_kstr(w, "category", f->category);
	pyo_jsonw_kstr(w, "signal", f->signal);
	pyo_jsonw_kstr(w, "path", f->path);
	pyo_jsonw_kuint(w, "line", f->line);
	pyo_jsonw_kuint(w, "column", f->column);
	pyo_jsonw_kstr(w, "snippet", f->snippet);
	pyo_jsonw_kstr(w, "detail", f->detail);
	pyo_jsonw_kstr(w, "where", pyo_where_name(f->where));
	pyo_jsonw_kstr(w, "scope", pyo_scope_name(f->scope));
	pyo_jsonw_kdouble(w, "weight", f->weight, 2);
	pyo_jsonw_obj_end(w);
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

static void write_json(FILE *out, const struct pyo_check *c, int timings)
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
			json_finding(&w, &r->findings.items[i]);
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_key(&w, "removed");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < c->removed.nr; i++)
		json_finding(&w, &c->removed.items[i]);
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

static int
write_report(const struct pyo_check *c, const char *format, int no_timings)
{
	const struct pyo_writer *writer;
	struct pyo_writer_options wo = { 0 };
	void *state = NULL;
	int error;

	if (!strcmp(format, "text")) {
		write_text(stdout, c);
		return 0;
	}
	if (!strcmp(format, "json")) {
		write_json(stdout, c, !no_timings);
		return 0;
	}
	writer = pyo_writer_find(format);
	wo.style.width = 80;
	wo.no_timings = no_timings;
	if ((error = writer->begin(&state, stdout, &wo)) < 0)
		return error;
	if ((error = writer->add(state, c->report)) < 0) {
		writer->end(state);
		return error;
	}
	return writer->end(state);
}

int cmd_check(int argc, char **argv)
{
	static struct pyo_check_options opts;
	const char *format = "text", *rules_dir = NULL;
	int nr_args = 0, rc, error, no_timings = 0, quiet = 0;
	char **args = NULL;
	struct pyo_rules *rules = NULL;
	struct pyo_check *check = NULL;
	size_t i;
	const struct cli_opt table[] = {
		{ 0, "staged", CLI_BOOL, &opts.staged,
		  "compare the index with HEAD (pre-commit)", NULL },
		{ 0, "base", CLI_STRING, &opts.base,
		  "compare with the merge base of REV and the head", "REV" },
		{ 0, "head", CLI_STRING, &opts.head,
		  "the head of the change (HEAD)", "REV" },
		{ 'f', "format", CLI_STRING, &format,
		  "text (default), json, sarif, github, gitlab, markdown",
		  "FORMAT" },
		{ 0, "config", CLI_STRING, &opts.config_path,
		  "read the policy from FILE, not .pyorgo.json of the head",
		  "FILE" },
		{ 0, "no-config", CLI_BOOL, &opts.no_config,
		  "ignore .pyorgo.json: no policy", NULL },
		{ 0, "rules", CLI_STRING, &rules_dir,
		  "use the rules in DIR instead of the built-in ones", "DIR" },
		{ 0, "index", CLI_STRING, &opts.index_path,
		  "--staged: read this index file ($GIT_INDEX_FILE)", "FILE" },
		{ 0, "max-blob-size", CLI_UINT, &opts.max_blob_size,
		  "bytes; larger files are not read (16 MiB)", "N" },
		{ 0, "allow-foreign-owner", CLI_BOOL, &opts.allow_foreign_owner,
		  "check a repository owned by another user", NULL },
		{ 0, "no-timings", CLI_BOOL, &no_timings,
		  "leave timings out of JSON", NULL },
		{ 'q', "quiet", CLI_BOOL, &quiet,
		  "print only policy violations (to stderr)", NULL },
		{ 0 },
	};

	rc = cli_parse(argc, argv, table, usage_line, summary, &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	rc = CLI_EXIT_USAGE;
	if (nr_args > 1) {
		cli_error("check takes one PATH, got %d (see --help)", nr_args);
		goto done;
	}
	if (!opts.staged && !opts.base) {
		cli_error("say what to compare: --staged (the index with "
		          "HEAD) or --base REV (see --help)");
		goto done;
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    !pyo_writer_find(format)) {
		cli_error("unknown format '%s' (one of: %s)", format,
		          pyo_writer_names());
		goto done;
	}
	opts.path = nr_args ? args[0] : ".";
	error = rules_dir ? pyo_rules_load_dir(&rules, rules_dir)
	                  : pyo_rules_load_default(&rules);
	if (error < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	opts.rules = rules;
	if ((error = pyo_check_run(&check, &opts)) < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	if (!quiet && (error = write_report(check, format, no_timings)) < 0) {
		cli_error("%s", pyo_error_last());
		rc = CLI_EXIT_RUNTIME;
		goto done;
	}
	fflush(stdout);
	for (i = 0; i < check->nr_violations; i++)
		cli_error("policy violation (%s): %s",
		          pyo_violation_name(check->violations[i].kind),
		          check->violations[i].message);
	if (check->nr_violations)
		fprintf(stderr,
		        "pyorgo: %zu policy violations; the change is refused "
		        "(docs/ci.md: policy.allow, '# pyorgo: ignore[rule]')\n",
		        check->nr_violations);
	rc = check->nr_violations ? CLI_EXIT_POLICY : CLI_EXIT_OK;
done:
	pyo_check_free(check);
	pyo_rules_free(rules);
	free(args);
	return rc;
}
