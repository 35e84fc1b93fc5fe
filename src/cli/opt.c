#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pyorgo/common.h"
#include "cli.h"
#include "strutil.h"
#include "banned.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pyorgo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_code(int error)
{
	switch (error) {
	case 0:
		return CLI_EXIT_OK;
	case PYO_EINVALID:
		return CLI_EXIT_USAGE;
	case PYO_ERULES:
		return CLI_EXIT_RULES;
	default:
		return CLI_EXIT_RUNTIME;
	}
}

int cli_use_color(int no_color)
{
	const char *nc = getenv("NO_COLOR");

	if (no_color || (nc && *nc))
		return 0;
	return isatty(STDOUT_FILENO);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: no timegm() in C11 */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int cli_parse_date(const char *s, int64_t *out)
{
	unsigned long long u;
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;

	if (!pyo_parse_u64(s, &u)) {
		*out = (int64_t)u;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	if (s[n] == 'T' || s[n] == ' ') {
		int m2 = 0;

		if (sscanf(s + n + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &m2) != 3)
			return -1;
		n += 1 + m2;
		if (s[n] == 'Z')
			n++;
	}
	if (s[n] || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se;
	return 0;
}

/* "  LEFT  help text", the help wrapped to 80 columns under itself. */
static void print_wrapped(FILE *out, const char *left, const char *help)
{
	const int col = 33, width = 80 - col;
	const char *p = help;

	fprintf(out, "  %-30s ", left);
	while (*p) {
		int n = (int)strlen(p), cut = n;

		if (n > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			if (!cut)
				cut = width;
		}
		fprintf(out, "%.*s\n", cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p)
			fprintf(out, "%*s", col, "");
	}
	if (!*help)
		fputc('\n', out);
}

void cli_print_help(FILE *out,
                    const struct cli_opt *opts,
                    const char *usage,
                    const char *summary)
{
	const struct cli_opt *o;

	fprintf(out, "usage: %s\n\n%s\n\noptions:\n", usage, summary);
	for (o = opts; o->long_name; o++) {
		char left[48];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			         o->short_name, o->long_name,
			         o->arg_name ? " " : "",
			         o->arg_name ? o->arg_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
			         o->long_name, o->arg_name ? " " : "",
			         o->arg_name ? o->arg_name : "");
		print_wrapped(out, left, o->help);
	}
	fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
}

static int set_value(const struct cli_opt *o, const char *v)
{
	unsigned long long u;
	double d;

	switch (o->type) {
	case CLI_BOOL:
		*(int *)o->value = 1;
		return 0;
	case CLI_STRING:
		*(const char **)o->value = v;
		return 0;
	case CLI_UINT:
		if (pyo_parse_u64(v, &u) < 0)
			goto bad_number;
		*(uint64_t *)o->value = u;
		return 0;
	case CLI_INT:
		if (pyo_parse_u64(v, &u) < 0 || u > 100000)
			goto bad_number;
		*(int *)o->value = (int)u;
		return 0;
	case CLI_NEED:
		if (pyo_parse_double(v, &d) < 0 || d <= 0) {
			cli_error("--%s expects a positive number, not '%s'",
			          o->long_name, v);
			return -1;
		}
		((struct pyo_need *)o->value)->value = d;
		((struct pyo_need *)o->value)->source = PYO_NEED_FLAG;
		return 0;
	case CLI_SERVICE:
		if (!pyo_needs_valid_service(v)) {
			cli_error("--%s expects one of api, crud, gateway, "
			          "proxy, pipeline, cli, websocket, "
			          "streaming, ml-inference, worker; not '%s'",
			          o->long_name, v);
			return -1;
		}
		((struct pyo_needs *)o->value)->service = v;
		((struct pyo_needs *)o->value)->service_source = PYO_NEED_FLAG;
		return 0;
	}
	return -1;
bad_number:
	cli_error("--%s expects a whole number, not '%s'", o->long_name, v);
	return -1;
}

static const struct cli_opt *
find_long(const struct cli_opt *opts, const char *name, size_t len)
{
	const struct cli_opt *o;

	for (o = opts; o->long_name; o++)
		if (strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char c)
{
	const struct cli_opt *o;

	for (o = opts; o->long_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

int cli_parse(int argc,
              char **argv,
              const struct cli_opt *opts,
              const char *usage,
              const char *summary,
              char ***args,
              int *nr_args)
{
	int i, n = 0, only_args = 0;

	*args = calloc((size_t)argc + 1, sizeof(char *));
	if (!*args) {
		cli_error("out of memory");
		return -1;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const struct cli_opt *o;

		if (only_args || a[0] != '-' || !a[1]) {
			(*args)[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_print_help(stdout, opts, usage, summary);
			return 1;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');

			o = find_long(opts, a + 2,
			              eq ? (size_t)(eq - a - 2)
			                 : strlen(a + 2));
			if (eq)
				v = eq + 1;
		} else {
			o = find_short(opts, a[1]);
			/* -j2: a value attached to a short option */
			if (o && a[2]) {
				if (o->type == CLI_BOOL)
					o = NULL;
				else
					v = a + 2;
			}
		}
		if (!o) {
			cli_error("unknown option '%s' (see --help)", a);
			return -1;
		}
		if (o->type == CLI_BOOL) {
			if (v) {
				cli_error("--%s takes no value", o->long_name);
				return -1;
			}
		} else if (!v) {
			if (i + 1 >= argc) {
				cli_error("--%s needs a value%s%s",
				          o->long_name, o->arg_name ? ": " : "",
				          o->arg_name ? o->arg_name : "");
				return -1;
			}
			v = argv[++i];
		}
		if (set_value(o, v) < 0)
			return -1;
	}
	*nr_args = n;
	return 0;
}
