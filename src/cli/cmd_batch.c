/* cmd_batch.c: pyorgo batch ROOT|LIST|- [-j N] [--shard K/N] */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyorgo/batch.h"
#include "cli.h"
#include "writer.h"
#include "banned.h"

struct emit_ctx {
	const struct pyo_writer *writer;
	struct pyo_writer_options wo;
};

/* Runs in a worker: one record through the chosen writer. */
static int emit(FILE *out, const struct pyo_report *r, void *payload)
{
	struct emit_ctx *ec = payload;
	void *state = NULL;
	int error;

	if ((error = ec->writer->begin(&state, out, &ec->wo)) < 0)
		return error;
	error = ec->writer->add(state, r);
	if (ec->writer->end(state) < 0 && !error)
		error = PYO_ERROR;
	return error;
}

static void
progress(size_t done, size_t total, const char *path, int failed, void *payload)
{
	(void)payload;
	fprintf(stderr, "[%zu/%zu] %s%s\n", done, total, path,
	        failed ? ": failed" : "");
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	unsigned a, b;
	int used = 0;

	if (sscanf(s, "%u/%u%n", &a, &b, &used) != 2 || s[used] || !a || !b ||
	    a > b)
		return -1;
	*k = a;
	*n = b;
	return 0;
}

int cmd_batch(int argc, char **argv)
{
	static const char usage_line[] = "pyorgo batch ROOT|LIST|- [options]";
	static const char summary[] =
	        "Scans many repositories, one worker process each, and "
	        "writes one record per\nrepository in input order (JSON "
	        "Lines by default). ROOT is a folder of\nrepositories "
	        "(searched two levels deep), LIST a file with one path per "
	        "line,\n- reads the list from standard input. A repository "
	        "that fails becomes an\nerror record and the rest go on; "
	        "the exit code is then 3.";
	static struct pyo_batch_options opts;
	struct emit_ctx ec = { 0 };
	struct pyo_batch_stats stats;
	struct pyo_rules *rules = NULL;
	const char *format = "json", *rules_dir = NULL, *shard = NULL;
	int no_history = 0, quiet = 0, show_progress = 0, nr_args = 0, rc,
	    error;
	char **args = NULL, **paths = NULL;
	size_t nr = 0;
	const struct cli_opt table[] = {
		{ 'j', "jobs", CLI_INT, &opts.jobs,
		  "worker processes (all cores)", "N" },
		{ 0, "shard", CLI_STRING, &shard,
		  "scan only shard K of N (deterministic split)", "K/N" },
		{ 'f', "format", CLI_STRING, &format,
		  "json (JSON Lines, default) or text", "FORMAT" },
		{ 0, "timeout", CLI_INT, &opts.timeout_s,
		  "seconds per repository before it is stopped", "SEC" },
		{ 0, "no-history", CLI_BOOL, &no_history,
		  "skip the history walks", NULL },
		{ 0, "max-commits", CLI_UINT, &opts.scan.max_commits,
		  "history: at most N commits per repository", "N" },
		{ 0, "rules", CLI_STRING, &rules_dir, "use the rules in DIR",
		  "DIR" },
		{ 0, "allow-foreign-owner", CLI_BOOL,
		  &opts.scan.allow_foreign_owner,
		  "scan repositories owned by other users", NULL },
		{ 0, "progress", CLI_BOOL, &show_progress,
		  "one line per repository on stderr (default on a "
		  "terminal)",
		  NULL },
		{ 'q', "quiet", CLI_BOOL, &quiet, "no progress", NULL },
		{ 0 },
	};

	rc = cli_parse(argc, argv, table, usage_line, summary, &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	rc = CLI_EXIT_USAGE;
	if (nr_args != 1) {
		cli_error("batch takes one ROOT, LIST or - (see --help)");
		goto done;
	}
	if (shard && parse_shard(shard, &opts.shard_k, &opts.shard_n) < 0) {
		cli_error("--shard expects K/N with 1 <= K <= N, not '%s'",
		          shard);
		goto done;
	}
	if ((rc = cli_check_format(format)))
		goto done;
	ec.writer = pyo_writer_find(format);
	ec.wo.lines = 1;
	ec.wo.no_timings = 0;
	ec.wo.style.width = 80;
	if ((rc = cli_load_rules(&rules, rules_dir)))
		goto done;
	if ((error = pyo_batch_paths(&paths, &nr, args[0])) < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	pyo_batch_shard(paths, &nr, opts.shard_k, opts.shard_n);
	opts.scan.rules = rules;
	opts.scan.no_history = no_history;
	if (!quiet && (show_progress || isatty(STDERR_FILENO)))
		opts.progress = progress;
	if ((error = pyo_batch_run(&stats, &opts, paths, nr, stdout, emit,
	                           &ec)) < 0) {
		cli_error("%s", pyo_error_last());
		rc = CLI_EXIT_RUNTIME;
		goto done;
	}
	if (!quiet)
		fprintf(stderr,
		        "pyorgo: %zu repositories, %zu scanned, %zu "
		        "failed\n",
		        stats.total, stats.scanned, stats.failed);
	rc = stats.failed ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
done:
	pyo_batch_paths_free(paths, nr);
	pyo_rules_free(rules);
	free(args);
	return rc;
}
