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

int cmd_check(int argc, char **argv)
{
	static struct pyo_check_options opts;
	const char *format = "text", *rules_dir = NULL;
	int nr_args = 0, rc, error, no_timings = 0, quiet = 0;
	char **args = NULL;
	struct pyo_rules *rules = NULL;
	struct pyo_check *check = NULL;
	struct pyo_writer_options wo = { 0 };
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
	if ((rc = cli_check_format(format)))
		goto done;
	opts.path = nr_args ? args[0] : ".";
	if ((rc = cli_load_rules(&rules, rules_dir)))
		goto done;
	opts.rules = rules;
	if ((error = pyo_check_run(&check, &opts)) < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	wo.style.width = 80;
	wo.no_timings = no_timings;
	if (!quiet && (rc = cli_write_report(format, &wo, check->report)))
		goto done;
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
