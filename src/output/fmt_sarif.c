/*
 * fmt_sarif.c: SARIF 2.1.0 for GitHub code scanning (and any SARIF
 * viewer), from pyo_annotations_build(). One run per report; `results` is
 * always present; rule ids are unique; fingerprints hold no line numbers;
 * evidence a change removes is left out (it has no line at head).
 */
#include <stdlib.h>

#include "pyorgo/check.h"
#include "writer.h"
#include "banned.h"

struct sarif_state {
	FILE *out;
	struct pyo_writer_options opts;
	struct pyo_jsonw w;
	int nr_runs;
};

static int
sarif_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct sarif_state *s = calloc(1, sizeof(*s));

	if (!s)
		return pyo_error_oom();
	s->out = out;
	s->opts = *opts;
	pyo_jsonw_init(&s->w, out, 1);
	pyo_jsonw_obj_begin(&s->w);
	pyo_jsonw_kstr(&s->w, "$schema",
	               "https://json.schemastore.org/sarif-2.1.0.json");
	pyo_jsonw_kstr(&s->w, "version", "2.1.0");
	pyo_jsonw_key(&s->w, "runs");
	pyo_jsonw_arr_begin(&s->w);
	*state = s;
	return 0;
}

static void text_obj(struct pyo_jsonw *w, const char *key, const char *text)
{
	pyo_jsonw_key(w, key);
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "text", text ? text : "");
	pyo_jsonw_obj_end(w);
}

static void write_rules(struct pyo_jsonw *w, const struct pyo_annotations *a)
{
	size_t i;

	pyo_jsonw_key(w, "rules");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < a->nr_rules; i++) {
		const struct pyo_annotation_rule *r = &a->rules[i];

		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "id", r->id);
		pyo_jsonw_kstr(w, "name", r->name);
		text_obj(w, "shortDescription", r->name);
		text_obj(w, "fullDescription", r->description);
		text_obj(w, "help", r->help);
		pyo_jsonw_key(w, "defaultConfiguration");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "level", pyo_level_name(r->level));
		pyo_jsonw_obj_end(w);
		pyo_jsonw_key(w, "properties");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_key(w, "tags");
		pyo_jsonw_arr_begin(w);
		pyo_jsonw_str(w, "pyorgo");
		pyo_jsonw_arr_end(w);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
	}
	pyo_jsonw_arr_end(w);
}

static void write_result(struct pyo_jsonw *w, const struct pyo_annotation *n)
{
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "ruleId", n->rule_id);
	pyo_jsonw_kuint(w, "ruleIndex", n->rule_index);
	pyo_jsonw_kstr(w, "level", pyo_level_name(n->level));
	text_obj(w, "message", n->message);
	if (n->path) {
		pyo_jsonw_key(w, "locations");
		pyo_jsonw_arr_begin(w);
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_key(w, "physicalLocation");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_key(w, "artifactLocation");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "uri", n->path);
		pyo_jsonw_kstr(w, "uriBaseId", "%SRCROOT%");
		pyo_jsonw_obj_end(w);
		pyo_jsonw_key(w, "region");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kuint(w, "startLine", n->line ? n->line : 1);
		if (n->column)
			pyo_jsonw_kuint(w, "startColumn", n->column);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_arr_end(w);
	}
	pyo_jsonw_key(w, "partialFingerprints");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "pyorgoFinding/v1", n->fingerprint);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "properties");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "title", n->title);
	pyo_jsonw_kdouble(w, "weight", n->weight, 2);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_obj_end(w);
}

static int sarif_add(void *state, const struct pyo_report *r)
{
	struct sarif_state *s = state;
	struct pyo_jsonw *w = &s->w;
	struct pyo_annotations a;
	size_t i;
	int error;

	if ((error = pyo_annotations_build(&a, r)) < 0)
		return error;
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_key(w, "tool");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_key(w, "driver");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "name", "pyorgo");
	pyo_jsonw_kstr(w, "semanticVersion", pyo_version());
	pyo_jsonw_kstr(w, "informationUri", "https://github.com/pyorgo/pyorgo");
	write_rules(w, &a);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "automationDetails");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "id", a.check ? "pyorgo/check/" : "pyorgo/scan/");
	pyo_jsonw_obj_end(w);
	pyo_jsonw_key(w, "results");
	pyo_jsonw_arr_begin(w);
	for (i = 0; i < a.nr; i++)
		if (!a.items[i].is_removed)
			write_result(w, &a.items[i]);
	pyo_jsonw_arr_end(w);
	pyo_jsonw_key(w, "properties");
	pyo_jsonw_obj_begin(w);
	pyo_jsonw_kstr(w, "summary", a.headline);
	pyo_jsonw_kstr(w, "commit", r->commit);
	pyo_jsonw_obj_end(w);
	pyo_jsonw_obj_end(w);
	s->nr_runs++;
	pyo_annotations_release(&a);
	return 0;
}

static int sarif_end(void *state)
{
	struct sarif_state *s = state;

	pyo_jsonw_arr_end(&s->w);
	pyo_jsonw_obj_end(&s->w);
	fputc('\n', s->out);
	fflush(s->out);
	free(s);
	return 0;
}

const struct pyo_writer pyo_writer_sarif = {
	"sarif",     "SARIF 2.1.0 for GitHub code scanning",
	sarif_begin, sarif_add,
	sarif_end,
};
