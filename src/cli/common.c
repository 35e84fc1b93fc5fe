/* common.c: what several subcommands do the same way. */
#include "pyorgo/rules.h"
#include "cli.h"
#include "writer.h"
#include "banned.h"

int cli_load_rules(struct pyo_rules **out, const char *dir)
{
	int error = dir ? pyo_rules_load_dir(out, dir)
	                : pyo_rules_load_default(out);

	if (error < 0) {
		cli_error("%s", pyo_error_last());
		return cli_exit_code(error);
	}
	return CLI_EXIT_OK;
}

int cli_write_report(const char *format,
                     const struct pyo_writer_options *wo,
                     const struct pyo_report *report)
{
	const struct pyo_writer *writer = pyo_writer_find(format);
	void *state = NULL;
	int error;

	if (!writer)
		return cli_check_format(format);
	if ((error = writer->begin(&state, stdout, wo)) < 0)
		goto fail;
	if ((error = writer->add(state, report)) < 0) {
		writer->end(state);
		goto fail;
	}
	if ((error = writer->end(state)) < 0)
		goto fail;
	return CLI_EXIT_OK;
fail:
	cli_error("%s", pyo_error_last());
	return CLI_EXIT_RUNTIME;
}

int cli_check_format(const char *format)
{
	if (pyo_writer_find(format))
		return CLI_EXIT_OK;
	cli_error("unknown format '%s' (one of: %s)", format,
	          pyo_writer_names());
	return CLI_EXIT_USAGE;
}
