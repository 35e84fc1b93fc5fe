/*
 * sec_verdict.c: the recommendation in JSON, text and Markdown. The text
 * report opens with it: the choice, then hard constraints, the reasons by
 * weight with their evidence and citation, what would change the call,
 * capacity and cost, and the declared values that were applied.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pyorgo/recommend.h"
#include "sections.h"
#include "banned.h"

/* ---- JSON ---- */

static void json_minmax(
        struct pyo_jsonw *w, const char *key, double min, double max, int dec)
{
	pyo_jsonw_key(w, key);
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "min", min, dec);
	pyo_jsonw_kdouble(w, "max", max, dec);
	pyo_jsonw_obj_end(w);
}

static void json_reason(struct pyo_jsonw *w, const struct pyo_reason *r)
{
	size_t i;

	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "factor", r->factor);
	pyo_jsonw_kstr(w, "title", r->title);
	pyo_jsonw_kstr(w, "kind", pyo_reason_kind_name(r->kind));
	pyo_jsonw_kstr(w, "favours", pyo_choice_name(r->favours));
	pyo_jsonw_kdouble(w, "weight", r->weight, 2);
	pyo_jsonw_kdouble(w, "strength", r->strength, 2);
	pyo_jsonw_kdouble(w, "contribution", r->contribution, 2);
	pyo_jsonw_kstr(w, "explain", r->explain);
	pyo_jsonw_kstr(w, "cite", r->cite);
	pyo_jsonw_key(w, "figures");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->nr_figures; i++)
		pyo_jsonw_str(w, r->figures[i]);
	pyo_jsonw_arr_end(w);
	pyo_jsonw_key(w, "evidence");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < r->nr_evidence; i++) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "path", r->evidence[i].path);
		pyo_jsonw_kuint(w, "line", r->evidence[i].line);
		pyo_jsonw_kstr(w, "rule", r->evidence[i].rule_id);
		pyo_jsonw_key(w, "finding");
		if (r->evidence[i].finding == PYO_NOT_LISTED)
			pyo_jsonw_null(w);
		else
			pyo_jsonw_uint(w, r->evidence[i].finding);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_kuint(w, "more_evidence", r->more_evidence);
	pyo_jsonw_obj_end(w);
}

static void json_reasons(struct pyo_jsonw *w,
                         const char *key,
                         const struct pyo_reason *r,
                         size_t nr)
{
	size_t i;

	pyo_jsonw_key(w, key);
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < nr; i++)
		json_reason(w, &r[i]);
	pyo_jsonw_arr_end(w);
}

static void json_capacity(struct pyo_jsonw *w, const struct pyo_capacity *c)
{
	size_t i;

	pyo_jsonw_key(w, "capacity");
	if (!c->present) {
		pyo_jsonw_null(w);
		return;
	}
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "target_rps", c->target_rps, 0);
	pyo_jsonw_kdouble(w, "cores_per_server", c->cores_per_server, 0);
	pyo_jsonw_kstr(w, "cores_per_server_source", c->cores_source);
	pyo_jsonw_kdouble(w, "price_per_server", c->price_per_server, 2);
	pyo_jsonw_kstr(w, "price_source", c->price_source);
	pyo_jsonw_key(w, "rows");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < c->nr_rows; i++) {
		const struct pyo_capacity_row *r = &c->rows[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "language", pyo_choice_name(r->language));
		pyo_jsonw_kstr(w, "figure", r->figure);
		pyo_jsonw_kstr(w, "label", r->label);
		pyo_jsonw_kbool(w, "primary", r->is_primary);
		json_minmax(w, "rps_per_core", r->rps_min, r->rps_max, 0);
		json_minmax(w, "cores", (double)r->cores_min,
		            (double)r->cores_max, 0);
		json_minmax(w, "servers", (double)r->servers_min,
		            (double)r->servers_max, 0);
		json_minmax(w, "monthly_cost_usd", r->cost_min, r->cost_max, 2);
		pyo_jsonw_kstr(w, "cite", r->cite);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_key(w, "memory");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "go_lower_min", c->memory_min, 0);
	pyo_jsonw_kdouble(w, "go_lower_max", c->memory_max, 0);
	pyo_jsonw_kstr(w, "cite", c->memory_cite);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_kstr(w, "fleet_cite", c->fleet_cite);
	pyo_jsonw_key(w, "database_caveat");
	if (c->db_caveat) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "text", c->db_caveat);
		pyo_jsonw_kstr(w, "cite", c->db_cite);
		pyo_jsonw_obj_end(w);
	} else {
		pyo_jsonw_null(w);
	}
	pyo_jsonw_obj_end(w);
}

void pyo_json_verdict(struct pyo_jsonw *w, const struct pyo_verdict *v)
{
	size_t i;

	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "choice", pyo_choice_name(v->choice));
	pyo_jsonw_kstr(w, "label", pyo_choice_label(v->choice));
	pyo_jsonw_kdouble(w, "confidence", v->confidence, 2);
	pyo_jsonw_kstr(w, "band", v->band);
	pyo_jsonw_kstr(w, "summary", v->summary);
	pyo_jsonw_key(w, "scores");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kdouble(w, "python", v->score_python, 2);
	pyo_jsonw_kdouble(w, "go", v->score_go, 2);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_kbool(w, "conflict", v->is_conflict);
	pyo_jsonw_kstr(w, "guidance_version", v->guidance_version);
	json_reasons(w, "hard_constraints", v->hard, v->nr_hard);
	json_reasons(w, "reasons", v->reasons, v->nr_reasons);
	json_reasons(w, "notes", v->notes, v->nr_notes);
	pyo_jsonw_key(w, "what_would_change");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < v->nr_flips; i++) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "change", v->flips[i].change);
		pyo_jsonw_kuint(w, "changes", v->flips[i].nr_changes);
		pyo_jsonw_kstr(w, "choice",
		               pyo_choice_name(v->flips[i].choice));
		pyo_jsonw_kdouble(w, "confidence", v->flips[i].confidence, 2);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	json_capacity(w, &v->capacity);
	pyo_jsonw_key(w, "overrides");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < v->nr_overrides; i++) {
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "name", v->overrides[i].name);
		pyo_jsonw_kdouble(w, "value", v->overrides[i].value, 2);
		pyo_jsonw_kstr(w, "source", v->overrides[i].source);
		pyo_jsonw_kstr(w, "replaces", v->overrides[i].replaces);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
	pyo_jsonw_obj_end(w);
}

/* ---- text ---- */

static int width_of(const struct pyo_text_style *st)
{
	return st && st->width >= 40 ? st->width : 80;
}

/* Prints `text` wrapped at word boundaries: the first line after
 * `first` (already `used` columns wide), the rest indented by `indent`. */
static void wrap(FILE *out, const char *text, int used, int indent, int width)
{
	const char *p = text;
	int col = used, has_word = 0;

	while (*p) {
		const char *end = p;
		int len;

		while (*end && *end != ' ')
			end++;
		len = (int)(end - p);
		if (has_word && col + 1 + len > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (has_word) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, (size_t)len, out);
		col += len;
		has_word = 1;
		p = end;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static void put_k(char *buf, size_t n, double v)
{
	if (v >= 1000 && fmod(v, 1000) == 0)
		snprintf(buf, n, "%.0fK", v / 1000);
	else
		snprintf(buf, n, "%.0f", v);
}

static void put_range(char *buf, size_t n, double min, double max, int k)
{
	char a[32], b[32];

	if (k) {
		put_k(a, sizeof(a), min);
		put_k(b, sizeof(b), max);
	} else {
		snprintf(a, sizeof(a), "%.0f", min);
		snprintf(b, sizeof(b), "%.0f", max);
	}
	if (min == max)
		snprintf(buf, n, "%s", a);
	else
		snprintf(buf, n, "%s-%s", a, b);
}

static const char *choice_color(const struct pyo_text_style *st,
                                enum pyo_choice c)
{
	if (c == PYO_CHOICE_EITHER)
		return pyo_style_yellow(st);
	return pyo_style_green(st);
}

static void text_evidence(FILE *out,
                          const struct pyo_reason *r,
                          int indent,
                          int width,
                          const struct pyo_text_style *st)
{
	size_t i;

	for (i = 0; i < r->nr_evidence; i++) {
		char loc[512];
		int len;

		if (r->evidence[i].line)
			len = snprintf(loc, sizeof(loc), "%s:%u",
			               r->evidence[i].path,
			               r->evidence[i].line);
		else
			len = snprintf(loc, sizeof(loc), "%s",
			               r->evidence[i].path);
		if (len > width - indent - 24)
			len = width - indent - 24; /* cut long paths */
		if (len < 0)
			len = 0;
		fprintf(out, "%*s%s%.*s%s  %s\n", indent, "", pyo_style_dim(st),
		        len, loc, pyo_style_reset(st), r->evidence[i].rule_id);
	}
	if (r->more_evidence)
		fprintf(out, "%*s... and %zu more\n", indent, "",
		        r->more_evidence);
}

static void text_cite(FILE *out,
                      const char *cite,
                      int indent,
                      int width,
                      const struct pyo_text_style *st)
{
	char quoted[2048];

	snprintf(quoted, sizeof(quoted), "%s\"", cite);
	fprintf(out, "%*s%s\"", indent, "", pyo_style_dim(st));
	wrap(out, quoted, indent + 1, indent + 1, width);
	fputs(pyo_style_reset(st), out);
}

static void text_reason(FILE *out,
                        const struct pyo_reason *r,
                        size_t rank,
                        const struct pyo_text_style *st)
{
	int width = width_of(st);
	int used;

	if (r->kind == PYO_REASON_WEIGHED) {
		used = fprintf(out, "  %2zu. %-6s %5.2f  ", rank,
		               r->favours == PYO_CHOICE_PYTHON ? "Python"
		                                               : "Go",
		               r->contribution);
	} else if (r->kind == PYO_REASON_HARD) {
		used = fprintf(out, "  %s!%s %s: ", pyo_style_red(st),
		               pyo_style_reset(st),
		               pyo_choice_label(r->favours));
		used -= (int)(strlen(pyo_style_red(st)) +
		              strlen(pyo_style_reset(st)));
	} else {
		used = fprintf(out, "  ~ ");
	}
	fputs(pyo_style_bold(st), out);
	wrap(out, r->title, used, 8, width);
	fputs(pyo_style_reset(st), out);
	fprintf(out, "%8s", "");
	wrap(out, r->explain, 8, 8, width);
	text_cite(out, r->cite, 8, width, st);
	text_evidence(out, r, 8, width, st);
}

static void text_capacity(FILE *out,
                          const struct pyo_capacity *c,
                          const struct pyo_text_style *st)
{
	int width = width_of(st);
	char head[160];
	size_t i;

	snprintf(head, sizeof(head),
	         "Capacity at %.0f req/s (%.0f cores a server, $%.0f a server "
	         "a month)",
	         c->target_rps, c->cores_per_server, c->price_per_server);
	fprintf(out, "\n%s", pyo_style_bold(st));
	wrap(out, head, 0, 2, width);
	fputs(pyo_style_reset(st), out);
	fprintf(out, "  %-9s %-16s %-9s %-9s %s\n", "language",
	        "req/s per core", "cores", "servers", "USD/month");
	for (i = 0; i < c->nr_rows; i++) {
		const struct pyo_capacity_row *r = &c->rows[i];
		char rps[80], cores[80], servers[80], cost[80], lang[16];

		put_range(rps, sizeof(rps), r->rps_min, r->rps_max, 1);
		put_range(cores, sizeof(cores), (double)r->cores_min,
		          (double)r->cores_max, 0);
		put_range(servers, sizeof(servers), (double)r->servers_min,
		          (double)r->servers_max, 0);
		put_range(cost, sizeof(cost), r->cost_min, r->cost_max, 0);
		snprintf(lang, sizeof(lang), "%s%s",
		         r->language == PYO_CHOICE_PYTHON ? "Python" : "Go",
		         r->is_primary ? "*" : "");
		fprintf(out, "  %-9s %-16s %-9s %-9s %s\n", lang, rps, cores,
		        servers, cost);
		fprintf(out, "%12s%s", "", pyo_style_dim(st));
		wrap(out, r->label, 12, 12, width);
		fputs(pyo_style_reset(st), out);
	}
	fprintf(out,
	        "  * the figure used for the comparison; the others are "
	        "the article's\n    other range (or yours), for reference\n");
	snprintf(head, sizeof(head),
	         "Memory: Go uses %.0f-%.0fx less than equivalent Python "
	         "services.",
	         c->memory_min, c->memory_max);
	fputs("  ", out);
	wrap(out, head, 2, 2, width);
	if (c->db_caveat) {
		fputs("  Caveat: ", out);
		wrap(out, c->db_caveat, 10, 4, width);
		text_cite(out, c->db_cite, 4, width, st);
	}
}

void pyo_text_verdict(FILE *out,
                      const struct pyo_report *r,
                      const struct pyo_text_style *st)
{
	const struct pyo_verdict *v = r->verdict;
	int width = width_of(st);
	size_t i;

	if (!v)
		return;
	fprintf(out, "%sRecommendation: %s%s%s\n", pyo_style_bold(st),
	        choice_color(st, v->choice), pyo_choice_label(v->choice),
	        pyo_style_reset(st));
	fprintf(out, "  confidence %.2f (%s); scores Python %.2f, Go %.2f\n",
	        v->confidence, v->band, v->score_python, v->score_go);
	if (v->is_conflict)
		fprintf(out, "  %shard constraints favour both languages%s\n",
		        pyo_style_red(st), pyo_style_reset(st));

	if (v->nr_hard) {
		fprintf(out, "\n%sHard constraints%s\n", pyo_style_bold(st),
		        pyo_style_reset(st));
		for (i = 0; i < v->nr_hard; i++)
			text_reason(out, &v->hard[i], i + 1, st);
	}
	fprintf(out, "\n%sReasons, by weight%s\n", pyo_style_bold(st),
	        pyo_style_reset(st));
	if (!v->nr_reasons)
		fputs("  none: no weighed factor of the article applies\n",
		      out);
	for (i = 0; i < v->nr_reasons; i++)
		text_reason(out, &v->reasons[i], i + 1, st);
	if (v->nr_notes) {
		fprintf(out, "\n%sCaveats and notes%s\n", pyo_style_bold(st),
		        pyo_style_reset(st));
		for (i = 0; i < v->nr_notes; i++)
			text_reason(out, &v->notes[i], i + 1, st);
	}
	fprintf(out, "\n%sWhat would change the call%s\n", pyo_style_bold(st),
	        pyo_style_reset(st));
	if (!v->nr_flips)
		fputs("  no single or paired change the guidance knows of\n",
		      out);
	for (i = 0; i < v->nr_flips; i++) {
		char tail[96];

		fputs("  - ", out);
		snprintf(tail, sizeof(tail), "-> %s (confidence %.2f)",
		         pyo_choice_label(v->flips[i].choice),
		         v->flips[i].confidence);
		{
			char line[1024];

			snprintf(line, sizeof(line), "%s %s",
			         v->flips[i].change, tail);
			wrap(out, line, 4, 4, width);
		}
	}
	if (v->capacity.present)
		text_capacity(out, &v->capacity, st);
	if (v->nr_overrides) {
		fprintf(out, "\n%sDeclared%s\n", pyo_style_bold(st),
		        pyo_style_reset(st));
		for (i = 0; i < v->nr_overrides; i++) {
			char line[512];

			snprintf(line, sizeof(line), "%s = %g (%s)%s%s",
			         v->overrides[i].name, v->overrides[i].value,
			         v->overrides[i].source,
			         v->overrides[i].replaces ? "; over " : "",
			         v->overrides[i].replaces
			                 ? v->overrides[i].replaces
			                 : "");
			fputs("  ", out);
			wrap(out, line, 2, 4, width);
		}
	}
}

/* ---- Markdown ---- */

static void md_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("|*_`<>[]\\", *s))
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

static void md_reason(FILE *out, const struct pyo_reason *r, size_t rank)
{
	size_t i;

	if (r->kind == PYO_REASON_WEIGHED)
		fprintf(out, "%zu. **%s** (%s, %.2f): ", rank,
		        r->favours == PYO_CHOICE_PYTHON ? "Python" : "Go",
		        r->factor, r->contribution);
	else
		fprintf(out, "- **%s** (%s): ", pyo_choice_label(r->favours),
		        r->factor);
	md_text(out, r->title);
	fputs(". ", out);
	md_text(out, r->explain);
	fputs("\n   > ", out);
	md_text(out, r->cite);
	fputc('\n', out);
	for (i = 0; i < r->nr_evidence; i++) {
		fputs("   - `", out);
		fputs(r->evidence[i].path, out);
		if (r->evidence[i].line)
			fprintf(out, ":%u", r->evidence[i].line);
		fprintf(out, "` %s\n", r->evidence[i].rule_id);
	}
	if (r->more_evidence)
		fprintf(out, "   - ... and %zu more\n", r->more_evidence);
}

void pyo_markdown_verdict(FILE *out, const struct pyo_report *r)
{
	const struct pyo_verdict *v = r->verdict;
	size_t i;

	if (!v)
		return;
	fprintf(out, "## Recommendation: %s\n\n", pyo_choice_label(v->choice));
	fprintf(out,
	        "Confidence **%.2f** (%s). Scores: Python %.2f, Go %.2f.%s\n\n",
	        v->confidence, v->band, v->score_python, v->score_go,
	        v->is_conflict ? " Hard constraints favour both languages."
	                       : "");
	if (v->nr_hard) {
		fputs("### Hard constraints\n\n", out);
		for (i = 0; i < v->nr_hard; i++)
			md_reason(out, &v->hard[i], i + 1);
		fputc('\n', out);
	}
	fputs("### Reasons, by weight\n\n", out);
	if (!v->nr_reasons)
		fputs("None: no weighed factor of the article applies.\n", out);
	for (i = 0; i < v->nr_reasons; i++)
		md_reason(out, &v->reasons[i], i + 1);
	fputc('\n', out);
	if (v->nr_notes) {
		fputs("### Caveats and notes\n\n", out);
		for (i = 0; i < v->nr_notes; i++)
			md_reason(out, &v->notes[i], i + 1);
		fputc('\n', out);
	}
	if (v->nr_flips) {
		fputs("### What would change the call\n\n", out);
		for (i = 0; i < v->nr_flips; i++) {
			fputs("- ", out);
			md_text(out, v->flips[i].change);
			fprintf(out, " → %s (confidence %.2f)\n",
			        pyo_choice_label(v->flips[i].choice),
			        v->flips[i].confidence);
		}
		fputc('\n', out);
	}
	if (v->capacity.present) {
		const struct pyo_capacity *c = &v->capacity;

		fprintf(out,
		        "### Capacity at %.0f req/s\n\n%.0f cores a server, "
		        "$%.0f a server a month.\n\n",
		        c->target_rps, c->cores_per_server,
		        c->price_per_server);
		fputs("| language | figure | req/s per core | cores | servers "
		      "| USD/month |\n|---|---|---|---|---|---|\n",
		      out);
		for (i = 0; i < c->nr_rows; i++) {
			const struct pyo_capacity_row *row = &c->rows[i];
			char rps[80], cores[80], servers[80], cost[80];

			put_range(rps, sizeof(rps), row->rps_min, row->rps_max,
			          1);
			put_range(cores, sizeof(cores), (double)row->cores_min,
			          (double)row->cores_max, 0);
			put_range(servers, sizeof(servers),
			          (double)row->servers_min,
			          (double)row->servers_max, 0);
			put_range(cost, sizeof(cost), row->cost_min,
			          row->cost_max, 0);
			fprintf(out, "| %s%s | ",
			        row->language == PYO_CHOICE_PYTHON ? "Python"
			                                           : "Go",
			        row->is_primary ? " (used)" : "");
			md_text(out, row->label);
			fprintf(out, " | %s | %s | %s | %s |\n", rps, cores,
			        servers, cost);
		}
		fprintf(out, "\nGo uses %.0f-%.0fx less memory.", c->memory_min,
		        c->memory_max);
		if (c->db_caveat) {
			fputs(" ", out);
			md_text(out, c->db_caveat);
			fputc('.', out);
		}
		fputs("\n\n", out);
	}
	if (v->nr_overrides) {
		fputs("### Declared\n\n", out);
		for (i = 0; i < v->nr_overrides; i++) {
			fprintf(out, "- `%s` = %g (%s)", v->overrides[i].name,
			        v->overrides[i].value, v->overrides[i].source);
			if (v->overrides[i].replaces) {
				fputs(", over ", out);
				md_text(out, v->overrides[i].replaces);
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	}
}
