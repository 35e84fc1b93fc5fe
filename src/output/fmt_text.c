/*
 * fmt_text.c: the report for people. The recommendation comes first, then
 * the evidence it rests on. Fits 80 columns; colour only when asked.
 */
#include <stdlib.h>
#include <string.h>

#include "writer.h"
#include "banned.h"

#define FINDINGS_PER_CATEGORY 5

struct text_state {
	FILE *out;
	struct pyo_writer_options opts;
	size_t nr;
};

static int
text_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct text_state *s = calloc(1, sizeof(*s));

	if (!s)
		return pyo_error_oom();
	s->out = out;
	s->opts = *opts;
	*state = s;
	return 0;
}

/* "1.2 MB", "512 KB", "87 B" */
static void human_bytes(char *buf, size_t n, uint64_t b)
{
	if (b >= 1024ull * 1024 * 1024)
		snprintf(buf, n, "%.1f GB", (double)b / (1024.0 * 1024 * 1024));
	else if (b >= 1024ull * 1024)
		snprintf(buf, n, "%.1f MB", (double)b / (1024.0 * 1024));
	else if (b >= 1024)
		snprintf(buf, n, "%.1f KB", (double)b / 1024.0);
	else
		snprintf(buf, n, "%llu B", (unsigned long long)b);
}

static void print_header(FILE *out,
                         const struct pyo_report *r,
                         const struct pyo_text_style *st)
{
	const char *path = r->repo_path;
	char shortid[13];
	size_t n = strlen(path), room;

	snprintf(shortid, sizeof(shortid), "%.12s", r->commit);
	/* 80 columns: keep the end of a long path, it names the repository */
	room = 80 - 7 - 2 - 15 - 10 -
	       (strlen(r->rev) < 20 ? strlen(r->rev) : 20);
	if (n > room)
		path += n - room + 3;
	fprintf(out, "%spyorgo%s %s%s  %s%.20s (%s)%s%s\n\n",
	        pyo_style_bold(st), pyo_style_reset(st), n > room ? "..." : "",
	        path, pyo_style_dim(st), r->rev, shortid,
	        r->is_shallow ? ", shallow" : "", pyo_style_reset(st));
}

static void print_languages(FILE *out,
                            const struct pyo_report *r,
                            const struct pyo_text_style *st)
{
	char bytes[32];
	size_t i;
	int other_header = 0;

	fprintf(out, "%sLanguages%s%*s%8s %10s %7s %10s\n", pyo_style_bold(st),
	        pyo_style_reset(st), 23, "", "files", "bytes", "share",
	        "lines");
	if (!r->nr_langs)
		fprintf(out, "  (no recognised source files)\n");
	for (i = 0; i < r->nr_langs; i++) {
		const struct pyo_lang_stat *l = &r->langs[i];

		if (!l->in_share && !other_header) {
			fprintf(out, "  %snot in the share (data, prose):%s\n",
			        pyo_style_dim(st), pyo_style_reset(st));
			other_header = 1;
		}
		human_bytes(bytes, sizeof(bytes), l->bytes);
		if (l->in_share)
			fprintf(out, "  %-28.28s %8llu %10s %6.1f%% %10llu\n",
			        l->name, (unsigned long long)l->files, bytes,
			        l->share, (unsigned long long)l->lines);
		else
			fprintf(out, "  %-28.28s %8llu %10s %7s %10llu\n",
			        l->name, (unsigned long long)l->files, bytes,
			        "-", (unsigned long long)l->lines);
	}
}

static void print_excluded(FILE *out,
                           const struct pyo_report *r,
                           const struct pyo_text_style *st)
{
	char bytes[32];
	int k, any = 0;

	for (k = 1; k < PYO_EX_COUNT; k++) {
		if (!r->excluded[k].files)
			continue;
		if (!any)
			fprintf(out, "%sLeft out:%s", pyo_style_dim(st),
			        pyo_style_reset(st));
		human_bytes(bytes, sizeof(bytes), r->excluded[k].bytes);
		fprintf(out, "%s %llu %s (%s)", any ? "," : "",
		        (unsigned long long)r->excluded[k].files,
		        pyo_exclude_name((enum pyo_exclude)k), bytes);
		any = 1;
	}
	if (any)
		fputc('\n', out);
	if (r->nr_submodules) {
		size_t i;

		fprintf(out, "Submodules (not scanned):");
		for (i = 0; i < r->nr_submodules && i < 5; i++)
			fprintf(out, " %s", r->submodules[i]);
		if (r->nr_submodules > 5)
			fprintf(out, " and %zu more", r->nr_submodules - 5);
		fputc('\n', out);
	}
	if (r->nr_missing)
		fprintf(out, "%sMissing objects: %llu (not counted)%s\n",
		        pyo_style_yellow(st), (unsigned long long)r->nr_missing,
		        pyo_style_reset(st));
}

static void print_deps(FILE *out, const struct pyo_report *r)
{
	size_t i, direct = 0, manifests = 0;
	const char *last = NULL;

	if (!r->deps.nr)
		return;
	for (i = 0; i < r->deps.nr; i++) {
		direct += r->deps.items[i].is_direct;
		if (!last || strcmp(last, r->deps.items[i].manifest)) {
			manifests++;
			last = r->deps.items[i].manifest;
		}
	}
	fprintf(out,
	        "\nDependencies: %zu direct, %zu in all, from %zu "
	        "manifest%s\n",
	        direct, r->deps.nr, manifests, manifests == 1 ? "" : "s");
}

/* "    app/model.py:3  ml.torch  import torch", cut to 80 columns. */
static void print_finding(FILE *out,
                          const char *loc,
                          const struct pyo_finding *f,
                          const struct pyo_text_style *st)
{
	const char *rule = f->rule_id ? f->rule_id : "";
	const char *snip = f->snippet ? f->snippet : "";
	int used, room;

	while (*snip == ' ' || *snip == '\t')
		snip++;
	used = 4 + (int)strlen(loc) + 2 + (int)strlen(rule) + 2;
	if (used > 78) {
		fprintf(out, "    %.74s\n", loc);
		used = 6 + (int)strlen(rule) + 2;
		fprintf(out, "      %s%s%s", pyo_style_dim(st), rule,
		        pyo_style_reset(st));
	} else {
		fprintf(out, "    %s  %s%s%s", loc, pyo_style_dim(st), rule,
		        pyo_style_reset(st));
	}
	room = 80 - used;
	if (room > 8 && *snip) {
		if ((int)strlen(snip) > room)
			fprintf(out, "  %.*s...", room - 3, snip);
		else
			fprintf(out, "  %s", snip);
	}
	fputc('\n', out);
}

static void print_category(FILE *out,
                           const struct pyo_report *r,
                           const struct pyo_category_summary *c,
                           const struct pyo_text_style *st,
                           int verbose)
{
	size_t i, shown = 0, rest = 0;

	fprintf(out,
	        "  %s%-13s%s %zu finding%s in %zu file%s (service %zu, "
	        "test %zu, other %zu)\n",
	        pyo_style_bold(st), c->category, pyo_style_reset(st),
	        c->findings, c->findings == 1 ? "" : "s", c->files,
	        c->files == 1 ? "" : "s", c->by_scope[PYO_SCOPE_SERVICE],
	        c->by_scope[PYO_SCOPE_TEST],
	        c->findings - c->by_scope[PYO_SCOPE_SERVICE] -
	                c->by_scope[PYO_SCOPE_TEST]);
	for (i = 0; i < r->findings.nr; i++) {
		const struct pyo_finding *f = &r->findings.items[i];
		char loc[48];

		if (!f->category || strcmp(f->category, c->category))
			continue;
		if (!verbose && shown >= FINDINGS_PER_CATEGORY) {
			rest++;
			continue;
		}
		if (f->line)
			snprintf(loc, sizeof(loc), "%s:%u", f->path, f->line);
		else
			snprintf(loc, sizeof(loc), "%s", f->path);
		print_finding(out, loc, f, st);
		shown++;
	}
	if (rest)
		fprintf(out, "    %s... and %zu more (--verbose shows all)%s\n",
		        pyo_style_dim(st), rest, pyo_style_reset(st));
}

static void print_findings(FILE *out,
                           const struct pyo_report *r,
                           const struct pyo_text_style *st,
                           int verbose)
{
	size_t i;

	fprintf(out, "\n%sEvidence%s\n", pyo_style_bold(st),
	        pyo_style_reset(st));
	if (!r->nr_categories) {
		fprintf(out, "  no detector matched\n");
		return;
	}
	for (i = 0; i < r->nr_categories; i++)
		print_category(out, r, &r->categories[i], st, verbose);
}

static void print_warnings(FILE *out,
                           const struct pyo_report *r,
                           const struct pyo_text_style *st,
                           int verbose)
{
	size_t i, n = verbose ? r->nr_warnings : 5;

	if (!r->nr_warnings)
		return;
	fprintf(out, "\n%sWarnings (%zu)%s\n", pyo_style_yellow(st),
	        r->nr_warnings, pyo_style_reset(st));
	for (i = 0; i < r->nr_warnings && i < n; i++)
		fprintf(out, "  %s\n", r->warnings[i]);
	if (r->nr_warnings > n)
		fprintf(out, "  ... and %zu more (--verbose shows all)\n",
		        r->nr_warnings - n);
}

static int text_add(void *state, const struct pyo_report *r)
{
	struct text_state *s = state;
	const struct pyo_text_style *st = &s->opts.style;

	if (s->nr++)
		fputc('\n', s->out);
	if (r->error) {
		fprintf(s->out, "%s: error: %s\n", r->repo_path, r->error);
		return 0;
	}
	if (r->check) {
		pyo_text_check(s->out, r->check);
		return 0;
	}
	print_header(s->out, r, st);
	if (r->verdict)
		pyo_text_verdict(s->out, r, st);
	fputc('\n', s->out);
	print_languages(s->out, r, st);
	print_excluded(s->out, r, st);
	print_deps(s->out, r);
	print_findings(s->out, r, st, s->opts.verbose);
	if (r->history)
		pyo_text_history(s->out, r, st);
	print_warnings(s->out, r, st, s->opts.verbose);
	return 0;
}

static int text_end(void *state)
{
	struct text_state *s = state;
	int error = fflush(s->out) ? pyo_error_set("cannot write output") : 0;

	free(s);
	return error;
}

const struct pyo_writer pyo_writer_text = {
	"text",   "a report for people (the default)", text_begin, text_add,
	text_end,
};
