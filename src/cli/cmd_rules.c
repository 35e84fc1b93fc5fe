/* cmd_rules.c: pyorgo rules list|test [DIR], pyorgo explain RULE_ID */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/rules.h"
#include "cli.h"
#include "banned.h"

int cmd_rules(int argc, char **argv)
{
	static const char usage_line[] = "pyorgo rules list|test [DIR]";
	static const char summary[] =
	        "list: every rule id, category and description.\ntest: runs "
	        "every rule's examples (match and nomatch) and fails on any\n"
	        "wrong result. DIR replaces the built-in rules.";
	int verbose = 0, nr_args = 0, rc;
	const struct cli_opt table[] = {
		{ 'v', "verbose", CLI_BOOL, &verbose,
		  "test: print every example checked", NULL },
		{ 0 },
	};
	struct pyo_rules *rules = NULL;
	char **args = NULL;

	rc = cli_parse(argc, argv, table, usage_line, summary, &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (nr_args < 1 || nr_args > 2 ||
	    (strcmp(args[0], "list") && strcmp(args[0], "test"))) {
		cli_error("usage: %s", usage_line);
		free(args);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_load_rules(&rules, nr_args > 1 ? args[1] : NULL)))
		goto done;
	if (!strcmp(args[0], "list")) {
		rc = pyo_rules_list(stdout, rules) < 0 ? CLI_EXIT_RUNTIME : 0;
	} else if (pyo_rules_test(stdout, rules, verbose) < 0) {
		cli_error("%s", pyo_error_last());
		rc = CLI_EXIT_RULES;
	}
done:
	pyo_rules_free(rules);
	free(args);
	return rc;
}

int cmd_explain(int argc, char **argv)
{
	static const char usage_line[] = "pyorgo explain RULE_ID";
	const char *rules_dir = NULL;
	const struct cli_opt table[] = {
		{ 0, "rules", CLI_STRING, &rules_dir, "use the rules in DIR",
		  "DIR" },
		{ 0 },
	};
	struct pyo_rules *rules = NULL;
	char **args = NULL;
	int nr_args = 0, rc, error;

	rc = cli_parse(argc, argv, table, usage_line,
	               "Prints one rule in full: what it matches, why, its "
	               "examples and, for\nguidance factors, the article "
	               "sentence it cites.",
	               &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (nr_args != 1) {
		cli_error("usage: %s", usage_line);
		free(args);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_load_rules(&rules, rules_dir)))
		goto done;
	if ((error = pyo_rules_explain(stdout, rules, args[0])) < 0) {
		cli_error("%s", pyo_error_last());
		rc = error == PYO_ENOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
done:
	pyo_rules_free(rules);
	free(args);
	return rc;
}
