/*
 * main.c: the subcommand table. Each subcommand is one cmd_<name>.c file
 * and one row here.
 */
#include <stdio.h>
#include <string.h>

#include "pyorgo/rules.h"
#include "pyorgo/scan.h"
#include "cli.h"
#include "banned.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd commands[] = {
	{ "scan", cmd_scan,
	  "scan a repository and recommend Python or Go (the default)" },
	{ "batch", cmd_batch,
	  "scan many repositories in parallel (JSON Lines)" },
	{ "check", cmd_check,
	  "check a change against the policy: --staged or --base REV" },
	{ "merge", cmd_merge,
	  "combine batch results (shards) into one organisation report" },
	{ "rules", cmd_rules, "list, test or show the rules (rules --help)" },
	{ "explain", cmd_explain, "show one rule in full: explain RULE_ID" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	const struct cmd *c;

	fprintf(out,
	        "usage: pyorgo [--version] [--help] <command> [options]\n\n"
	        "pyorgo reads a git repository's objects and recommends "
	        "Python (FastAPI) or\nGo for the team's next backend "
	        "service, with the evidence it rests on.\n\ncommands:\n");
	for (c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->help);
	fprintf(out, "\n'pyorgo <command> --help' describes a command. "
	             "Exit codes: 0 success, 1 policy\nviolation, 2 usage "
	             "or configuration error, 3 repository or runtime "
	             "error,\n4 broken rule file.\n");
}

static int print_version(void)
{
	struct pyo_rules *rules = NULL;

	printf("pyorgo %s\n", pyo_version());
	if (pyo_rules_load_default(&rules) < 0) {
		cli_error("built-in rules are broken: %s", pyo_error_last());
		return CLI_EXIT_RULES;
	}
	printf("rules %s\n", pyo_rules_version(rules));
	pyo_rules_free(rules);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return print_version();
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			break;
	if (!c->name) {
		cli_error("unknown command '%s' (see 'pyorgo --help')",
		          argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (pyo_global_init() < 0) {
		cli_error("%s", pyo_error_last());
		return CLI_EXIT_RUNTIME;
	}
	rc = c->fn(argc - 1, argv + 1);
	pyo_global_shutdown();
	return rc;
}
