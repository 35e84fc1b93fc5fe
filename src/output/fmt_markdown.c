/*
 * fmt_markdown.c: Markdown for a pull request comment or a job summary:
 * the headline, for a check the files and policy violations, the findings
 * table (capped), then the verdict and history sections shared with the
 * other writers.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt_ci.h"
#include "pyorgo/recommend.h"
#include "writer.h"
#include "banned.h"

#define MAX_ROWS 50

struct md_state {
	FILE *out;
	struct pyo_writer_options opts;
};

static int
md_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct md_state *s = calloc(1, sizeof(*s));

	if (!s)
		return pyo_error_oom();
	s->out = out;
	s->opts = *opts;
	*state = s;
	return 0;
}

/* A table cell: no newlines, pipes escaped, HTML brackets neutralised. */
static void cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else
			fputc(*s, out);
	}
}

static const char *icon(enum pyo_level l)
{
	return l == PYO_LEVEL_ERROR     ? "❌ error"
	       : l == PYO_LEVEL_WARNING ? "⚠️ warning"
	                                : "ℹ️ note";
}

static void check_part(FILE *out, const struct pyo_check *c)
{
	size_t i, shown = 0;

	fprintf(out, "Compared %s `%.12s` with %s.\n\n",
	        c->is_staged ? "HEAD" : "the merge base", c->base_commit,
	        c->is_staged ? "the index" : c->head_rev);
	if (c->nr_violations) {
		fprintf(out, "### Policy violations (%zu)\n\n",
		        c->nr_violations);
		for (i = 0; i < c->nr_violations; i++) {
			fprintf(out, "- **%s**: ",
			        pyo_violation_name(c->violations[i].kind));
			cell(out, c->violations[i].message);
			fputc('\n', out);
		}
		fputc('\n', out);
	} else if (c->config_name) {
		fprintf(out, "No policy violation (%s).\n\n", c->config_name);
	}
	fputs("### Changed files with evidence\n\n", out);
	for (i = 0; i < c->nr_files; i++) {
		const struct pyo_check_file *f = &c->files[i];

		if (!f->added && !f->removed)
			continue;
		if (!shown++)
			fputs("| file | status | evidence added | removed |\n"
			      "|---|---|---|---|\n",
			      out);
		if (shown > MAX_ROWS)
			continue;
		fputs("| `", out);
		cell(out, f->path);
		fprintf(out, "` | %c%s | %zu | %zu |\n", f->status,
		        f->is_conflict ? " (unmerged)" : "", f->added,
		        f->removed);
	}
	if (shown > MAX_ROWS)
		fprintf(out, "\n... and %zu more files.\n", shown - MAX_ROWS);
	fprintf(out, "%s%zu files changed, %zu with evidence.%s\n\n",
	        shown ? "\n" : "", c->nr_files, shown,
	        c->nr_suppressed ? " Some evidence is suppressed by "
	                           "`pyorgo: ignore` comments."
	                         : "");
}

static void findings_table(FILE *out, const struct pyo_annotations *a)
{
	size_t i, shown = 0;

	fputs("### Findings\n\n", out);
	for (i = 0; i < a->nr; i++) {
		const struct pyo_annotation *n = &a->items[i];

		if (!shown++)
			fputs("| level | rule | location | message |\n"
			      "|---|---|---|---|\n",
			      out);
		if (shown > MAX_ROWS)
			continue;
		fprintf(out, "| %s | `%s` | ",
		        n->is_removed ? "➖ removed" : icon(n->level),
		        n->rule_id);
		if (n->path) {
			fputc('`', out);
			cell(out, n->path);
			fprintf(out, ":%u` | ", n->line);
		} else {
			fputs("- | ", out);
		}
		cell(out, n->message);
		fputs(" |\n", out);
	}
	if (!shown)
		fputs("None.\n", out);
	else if (shown > MAX_ROWS)
		fprintf(out,
		        "\n... and %zu more (see the SARIF or JSON "
		        "report).\n",
		        shown - MAX_ROWS);
	fputc('\n', out);
}

void pyo_markdown_annotations(FILE *out,
                              const struct pyo_report *r,
                              const struct pyo_annotations *a)
{
	fputs("# pyorgo\n\n", out);
	if (a->check) {
		/* a change: what it does first, then the verdict */
		fputs("**", out);
		cell(out, a->headline);
		fputs("**\n\n", out);
		check_part(out, a->check);
		findings_table(out, a);
		pyo_markdown_verdict(out, r);
		pyo_markdown_history(out, r);
		return;
	}
	/* a scan: the recommendation first, then the evidence */
	pyo_markdown_verdict(out, r);
	fputs("<details><summary>Evidence</summary>\n\n", out);
	findings_table(out, a);
	fputs("</details>\n\n", out);
	pyo_markdown_history(out, r);
}

static int md_add(void *state, const struct pyo_report *r)
{
	struct md_state *s = state;
	struct pyo_annotations a;
	int error;

	if ((error = pyo_annotations_build(&a, r)) < 0)
		return error;
	pyo_markdown_annotations(s->out, r, &a);
	pyo_annotations_release(&a);
	return 0;
}

static int md_end(void *state)
{
	struct md_state *s = state;

	fflush(s->out);
	free(s);
	return 0;
}

const struct pyo_writer pyo_writer_markdown = {
	"markdown", "Markdown for a pull request comment or a job summary",
	md_begin,   md_add,
	md_end,
};
