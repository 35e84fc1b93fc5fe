/* cmd_merge.c: pyorgo merge FILE... (JSON Lines of batch runs) */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/merge.h"
#include "buf.h"
#include "cli.h"
#include "org.h"
#include "banned.h"

static int read_records(struct pyo_org *org, FILE *f, const char *name)
{
	struct pyo_buf line = { 0 };
	unsigned lineno = 0;
	int c, error = 0;

	do {
		c = getc(f);
		if (c != EOF && c != '\n') {
			if (pyo_buf_putc(&line, (char)c) < 0) {
				error = PYO_ERROR;
				break;
			}
			continue;
		}
		lineno++;
		if (line.len) {
			char where[512];

			snprintf(where, sizeof(where), "%s:%u", name, lineno);
			if ((error = pyo_org_add(org, line.ptr, line.len,
			                         where)) < 0)
				break;
		}
		pyo_buf_clear(&line);
	} while (c != EOF);
	pyo_buf_release(&line);
	return error;
}

int cmd_merge(int argc, char **argv)
{
	static const char usage_line[] = "pyorgo merge [FILE...] [options]";
	const char *format = "text";
	int no_color = 0, nr_args = 0, rc, i, error = 0;
	const struct cli_opt table[] = {
		{ 'f', "format", CLI_STRING, &format,
		  "text (default), json or markdown", "FORMAT" },
		{ 0, "no-color", CLI_BOOL, &no_color, "no ANSI colours", NULL },
		{ 0 },
	};
	struct pyo_text_style st = { 0, 80 };
	struct pyo_org org = { 0 };
	char **args = NULL;

	rc = cli_parse(argc, argv, table, usage_line,
	               "Combines the JSON Lines of batch runs (shards) into "
	               "one organisation\nsummary. No FILE, or -, reads "
	               "standard input.",
	               &args, &nr_args);
	if (rc) {
		free(args);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "markdown")) {
		cli_error("unknown format '%s' (one of: text, json, markdown)",
		          format);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	for (i = 0; i < (nr_args ? nr_args : 1) && !error; i++) {
		const char *name = nr_args ? args[i] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;

		if (!f) {
			cli_error("cannot read '%s'", name);
			rc = CLI_EXIT_USAGE;
			goto done;
		}
		error = read_records(&org, f, name);
		if (f != stdin)
			fclose(f);
	}
	if (error < 0) {
		cli_error("%s", pyo_error_last());
		rc = cli_exit_code(error);
		goto done;
	}
	pyo_org_finish(&org);
	st.color = cli_use_color(no_color);
	if (!strcmp(format, "json"))
		pyo_org_write_json(stdout, &org);
	else if (!strcmp(format, "markdown"))
		pyo_org_write_markdown(stdout, &org);
	else
		pyo_org_write_text(stdout, &org, &st);
	rc = CLI_EXIT_OK;
done:
	pyo_org_clear(&org);
	free(args);
	return rc;
}
