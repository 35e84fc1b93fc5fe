/*
 * fmt_github.c: GitHub Actions workflow commands (::error/::warning/
 * ::notice) from pyo_annotations_build(). GitHub shows at most 10
 * annotations of each level per step, so the strongest 10 of each level
 * are emitted and a ::notice says how many more there are; the full
 * Markdown summary goes to $GITHUB_STEP_SUMMARY when it is set.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt_ci.h"
#include "pyorgo/check.h"
#include "writer.h"
#include "banned.h"

#define PER_LEVEL 10

struct github_state {
	FILE *out;
	struct pyo_writer_options opts;
};

static int
github_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct github_state *s = calloc(1, sizeof(*s));

	if (!s)
		return pyo_error_oom();
	s->out = out;
	s->opts = *opts;
	*state = s;
	return 0;
}

/* Messages escape % \r \n; properties also : and , */
void pyo_github_escape(FILE *out, const char *s, int is_property)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(is_property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(is_property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *command(enum pyo_level l)
{
	return l == PYO_LEVEL_ERROR     ? "error"
	       : l == PYO_LEVEL_WARNING ? "warning"
	                                : "notice";
}

static void annotate(FILE *out, const struct pyo_annotation *n)
{
	fprintf(out, "::%s ", command(n->level));
	if (n->path) {
		fputs("file=", out);
		pyo_github_escape(out, n->path, 1);
		fprintf(out, ",line=%u,", n->line ? n->line : 1);
		if (n->column)
			fprintf(out, "col=%u,", n->column);
	}
	fputs("title=", out);
	pyo_github_escape(out, n->title, 1);
	fputs("::", out);
	pyo_github_escape(out, n->message, 0);
	fputc('\n', out);
}

static int github_add(void *state, const struct pyo_report *r)
{
	struct github_state *s = state;
	struct pyo_annotations a;
	size_t i, shown[3] = { 0 }, left = 0;
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int error;

	if ((error = pyo_annotations_build(&a, r)) < 0)
		return error;
	/* items are sorted by level, then weight: the first are the top */
	for (i = 0; i < a.nr; i++) {
		const struct pyo_annotation *n = &a.items[i];

		if (n->is_removed)
			continue;
		if (shown[n->level] >= PER_LEVEL) {
			left++;
			continue;
		}
		shown[n->level]++;
		annotate(s->out, n);
	}
	fputs("::notice title=pyorgo::", s->out);
	pyo_github_escape(s->out, a.headline, 0);
	if (left)
		fprintf(s->out,
		        "%%0A%zu more results are in the job summary "
		        "and the SARIF report",
		        left);
	fputc('\n', s->out);
	if (summary && *summary) {
		FILE *f = fopen(summary, "a");

		if (!f) {
			pyo_annotations_release(&a);
			return pyo_error_set("cannot append to "
			                     "$GITHUB_STEP_SUMMARY '%s'",
			                     summary);
		}
		pyo_markdown_annotations(f, r, &a);
		fclose(f);
	}
	pyo_annotations_release(&a);
	return 0;
}

static int github_end(void *state)
{
	struct github_state *s = state;

	fflush(s->out);
	free(s);
	return 0;
}

const struct pyo_writer pyo_writer_github = {
	"github",     "GitHub Actions annotations and a job summary",
	github_begin, github_add,
	github_end,
};
