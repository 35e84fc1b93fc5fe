/*
 * cli.h: the command line. It only parses arguments, calls the library and
 * picks a writer; no analysis lives here.
 */
#ifndef PYORGO_CLI_H
#define PYORGO_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "pyorgo/needs.h"

/* Exit statuses: documented in docs/exit-codes.md; never change them. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_POLICY = 1,  /* policy violation (check) */
	CLI_EXIT_USAGE = 2,   /* bad arguments or configuration */
	CLI_EXIT_RUNTIME = 3, /* repository or runtime error */
	CLI_EXIT_RULES = 4,   /* a rule file is broken */
};

enum cli_opt_type {
	CLI_BOOL,    /* int, set to 1 */
	CLI_STRING,  /* const char *, borrowed from argv */
	CLI_UINT,    /* uint64_t */
	CLI_INT,     /* int */
	CLI_NEED,    /* struct pyo_need, source = flag */
	CLI_SERVICE, /* struct pyo_needs service kind */
};

struct cli_opt {
	char short_name; /* 0: none */
	const char *long_name;
	enum cli_opt_type type;
	void *value;
	const char *help;
	const char *arg_name; /* shown in help: "REV" */
};

/*
 * Parses options of `opts` (ending with a zeroed entry) from argv[1..]
 * into their values, and collects the rest in `args`. --help prints the
 * usage and the table. Returns 0, 1 when help was printed, or -1 after
 * printing an error.
 */
int cli_parse(int argc,
              char **argv,
              const struct cli_opt *opts,
              const char *usage,
              const char *summary,
              char ***args,
              int *nr_args);
void cli_print_help(FILE *out,
                    const struct cli_opt *opts,
                    const char *usage,
                    const char *summary);

/* "pyorgo: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Maps an engine error code to an exit status. */
int cli_exit_code(int error);
/* Colour on stdout: a terminal, no NO_COLOR, no --no-color. */
int cli_use_color(int no_color);
/* Parses "2024-01-31", "2024-01-31T10:00:00Z" or a unix time. */
int cli_parse_date(const char *s, int64_t *out);

struct pyo_rules;
struct pyo_report;
struct pyo_writer_options;
/* Built-in rules, or DIR's; prints the error. Returns an exit status. */
int cli_load_rules(struct pyo_rules **out, const char *dir);
/* One report through the writer named `format`, to stdout. Returns an
 * exit status, after printing any error. */
int cli_write_report(const char *format,
                     const struct pyo_writer_options *wo,
                     const struct pyo_report *report);
/* CLI_EXIT_OK when a writer has that name, else prints why. */
int cli_check_format(const char *format);

int cmd_scan(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
