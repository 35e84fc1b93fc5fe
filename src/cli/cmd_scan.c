/* cmd_scan.c: pyorgo scan [PATH] */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/scan.h"
#include "cli.h"
#include "writer.h"
#include "banned.h"

static const char usage_line[] = "pyorgo scan [PATH] [options]";
static const char summary[] =
        "Reads the repository at PATH (a work tree, a folder inside one, a "
        ".git folder\nor a bare repository; default: the current folder) "
        "at REV, from committed\nobjects only, and recommends Python "
        "(FastAPI) or Go for the next service.";

int cmd_scan(int argc, char **argv)
{
	static struct pyo_scan_options opts;
	const char *format = "text", *rules_dir = NULL, *since = NULL;
	int no_color = 0, verbose = 0, no_timings = 0, all_findings = 0,
	    nr_args = 0, rc, error;
	char **args = NULL;
	struct pyo_rules *rules = NULL;
	struct pyo_report *report = NULL;
	struct pyo_writer_options wo = { 0 };
	const struct cli_opt table[] = {
		{ 0, "rev", CLI_STRING, &opts.rev, "revision to scan (HEAD)",
		  "REV" },
		{ 'f', "format", CLI_STRING, &format,
		  "text (default), json, markdown, sarif, github, gitlab",
		  "FORMAT" },
		{ 0, "rules", CLI_STRING, &rules_dir,
		  "use the rules in DIR instead of the built-in ones", "DIR" },
		{ 0, "no-history", CLI_BOOL, &opts.no_history,
		  "skip the history walk", NULL },
		{ 0, "files", CLI_BOOL, &opts.list_files,
		  "JSON: every file, its language and why it is left out",
		  NULL },
		{ 0, "no-detect", CLI_BOOL, &opts.no_detect,
		  "skip the source detectors (manifests still count)", NULL },
		{ 0, "since", CLI_STRING, &since,
		  "history: only commits after DATE (2024-01-31)", "DATE" },
		{ 0, "max-commits", CLI_UINT, &opts.max_commits,
		  "history: at most N commits", "N" },
		{ 0, "first-parent", CLI_BOOL, &opts.first_parent,
		  "history: follow first parents only", NULL },
		{ 0, "service", CLI_SERVICE, &opts.needs,
		  "the new service: api, crud, gateway, proxy, pipeline, "
		  "cli, websocket, streaming, ml-inference, worker",
		  "KIND" },
		{ 0, "target-rps", CLI_NEED, &opts.needs.target_rps,
		  "requests per second the service must serve", "N" },
		{ 0, "p99-ms", CLI_NEED, &opts.needs.p99_ms,
		  "p99 latency the service must keep under load", "N" },
		{ 0, "team-size", CLI_NEED, &opts.needs.team_size,
		  "engineers on the new service", "N" },
		{ 0, "price-per-server", CLI_NEED, &opts.needs.price_per_server,
		  "USD a month per server (50)", "USD" },
		{ 0, "python-rps-per-core", CLI_NEED,
		  &opts.needs.python_rps_per_core,
		  "your measured Python requests/s per core", "N" },
		{ 0, "go-rps-per-core", CLI_NEED, &opts.needs.go_rps_per_core,
		  "your measured Go requests/s per core", "N" },
		{ 0, "cores-per-server", CLI_NEED, &opts.needs.cores_per_server,
		  "cores in one server, for the server count (4)", "N" },
		{ 0, "config", CLI_STRING, &opts.config_path,
		  "read needs from FILE, not .pyorgo.json at REV", "FILE" },
		{ 0, "no-config", CLI_BOOL, &opts.no_config,
		  "ignore .pyorgo.json", NULL },
		{ 'j', "jobs", CLI_INT, &opts.threads,
		  "worker threads (all cores)", "N" },
		{ 0, "max-blob-size", CLI_UINT, &opts.max_blob_size,
		  "bytes; larger files are counted by size only (16 MiB)",
		  "N" },
		{ 0, "max-findings", CLI_UINT, &opts.max_findings,
		  "findings listed per rule (200); the rest are counted", "N" },
		{ 0, "all-findings", CLI_BOOL, &all_findings,
		  "list every finding", NULL },
		{ 0, "allow-foreign-owner", CLI_BOOL, &opts.allow_foreign_owner,
		  "scan a repository owned by another user", NULL },
		{ 0, "no-color", CLI_BOOL, &no_color, "no ANSI colours", NULL },
		{ 0, "no-timings", CLI_BOOL, &no_timings,
		  "leave timings out of JSON (byte-identical runs)", NULL },
		{ 'v', "verbose", CLI_BOOL, &verbose,
		  "show every finding and warning", NULL },
		{ 0 },
	};

	rc = cli_parse(argc, argv, table, usage_line, summary, &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (nr_args > 1) {
		cli_error("scan takes one PATH, got %d (see --help)", nr_args);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	opts.path = nr_args ? args[0] : ".";
	if (all_findings)
		opts.max_findings = UINT64_MAX;
	if (since && cli_parse_date(since, &opts.since) < 0) {
		cli_error("--since expects a date like 2024-01-31, not '%s'",
		          since);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((rc = cli_check_format(format)) ||
	    (rc = cli_load_rules(&rules, rules_dir)))
		goto done;
	opts.rules = rules;
	if ((error = pyo_scan(&report, &opts)) < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	wo.style.color = cli_use_color(no_color);
	wo.style.width = 80;
	wo.verbose = verbose;
	wo.no_timings = no_timings;
	rc = cli_write_report(format, &wo, report);
done:
	pyo_report_free(report);
	pyo_rules_free(rules);
	free(args);
	return rc;
}
