/*
 * classify_rules.c: `pyorgo rules list|explain|test` for the language
 * rules: every language example path must classify to its language,
 * every heuristic example to its rule's language (or not), every path
 * rule must match its "match" examples and none of its "nomatch" ones.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "banned.h"

static const char *const category_names[] = { "vendored", "generated",
	                                      "documentation", "binary",
	                                      "scope" };

int pyo_langdb_list(FILE *out, const struct pyo_langdb *db)
{
	size_t i;

	if (!db)
		return 0;
	for (i = 0; i < db->heur_blocks.nr; i++) {
		const struct pyo_heur_block *b = db->heur_blocks.items[i];

		fprintf(out, "%-32s %-14s %zu rules for %s%s\n", b->id,
		        "heuristics", b->nr_rules, b->extensions[0],
		        b->extensions[1] ? ", ..." : "");
	}
	for (i = 0; i < db->path_rules.nr; i++) {
		const struct pyo_path_rule *r = db->path_rules.items[i];

		fprintf(out, "%-32s %-14s %s\n", r->id,
		        category_names[r->category], r->description);
	}
	fprintf(out, "%-32s %-14s %zu languages\n", "languages", "languages",
	        db->languages.nr);
	return 0;
}

static void print_strv(FILE *out, const char *label, char **v)
{
	size_t i;

	if (!v || !v[0])
		return;
	fprintf(out, "%s:", label);
	for (i = 0; v[i]; i++)
		fprintf(out, " %s", v[i]);
	fputc('\n', out);
}

int pyo_langdb_explain(FILE *out, const struct pyo_langdb *db, const char *id)
{
	const struct pyo_language *l;
	size_t i, j;

	if (!db)
		return PYO_ENOTFOUND;
	for (i = 0; i < db->path_rules.nr; i++) {
		const struct pyo_path_rule *r = db->path_rules.items[i];

		if (strcmp(r->id, id))
			continue;
		fprintf(out, "id: %s\ncategory: %s\ndescription: %s\n", r->id,
		        category_names[r->category], r->description);
		if (r->pattern)
			fprintf(out, "pattern: %s\n", r->pattern);
		if (r->content)
			fprintf(out, "content: %s\n", r->content);
		if (r->min_avg_line > 0)
			fprintf(out, "min_avg_line_length: %g\n",
			        r->min_avg_line);
		print_strv(out, "match", r->match);
		print_strv(out, "nomatch", r->nomatch);
		return 0;
	}
	for (i = 0; i < db->heur_blocks.nr; i++) {
		const struct pyo_heur_block *b = db->heur_blocks.items[i];

		if (strcmp(b->id, id))
			continue;
		fprintf(out, "id: %s\ncategory: heuristics\n", b->id);
		print_strv(out, "extensions", b->extensions);
		for (j = 0; j < b->nr_rules; j++) {
			fprintf(out, "rule %zu:", j + 1);
			print_strv(out, " language", b->rules[j].lang_names);
		}
		return 0;
	}
	if ((l = pyo_language_find_db(db, id))) {
		fprintf(out, "language: %s\n", l->name);
		print_strv(out, "aliases", l->aliases);
		print_strv(out, "extensions", l->extensions);
		print_strv(out, "filenames", l->filenames);
		print_strv(out, "interpreters", l->interpreters);
		print_strv(out, "line comments", l->line_comments);
		return 0;
	}
	return PYO_ENOTFOUND;
}

struct tally {
	FILE *out;
	int verbose;
	size_t passed, failed;
};

static void __attribute__((format(printf, 4, 5)))
check(struct tally *t, int ok, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		t->passed++;
		if (t->verbose > 1)
			fprintf(t->out, "ok   %s\n", id);
		return;
	}
	t->failed++;
	fprintf(t->out, "FAIL %s: ", id);
	va_start(ap, fmt);
	vfprintf(t->out, fmt, ap);
	va_end(ap);
	fputc('\n', t->out);
}

/* Classification as a scan would see it: path, then content if asked. */
static int classify_one(struct pyo_class *c,
                        const struct pyo_langdb *db,
                        const char *path,
                        const char *content)
{
	struct pyo_rules r = { 0 };

	r.langdb = (struct pyo_langdb *)db;
	if (!content)
		return pyo_classify_path(c, &r, path, NULL);
	return pyo_classify_content(c, &r, path, content, strlen(content),
	                            NULL);
}

static int test_languages(struct tally *t, const struct pyo_langdb *db)
{
	struct pyo_class c;
	size_t i, j;
	int error;

	for (i = 0; i < db->languages.nr; i++) {
		const struct pyo_language *l = db->languages.items[i];

		for (j = 0; l->examples[j]; j++) {
			if ((error = classify_one(&c, db, l->examples[j],
			                          NULL)) < 0)
				return error;
			check(t, c.lang == l, l->name, "'%s' classifies as %s",
			      l->examples[j], c.lang ? c.lang->name : "(none)");
		}
	}
	return 0;
}

static int test_heuristics(struct tally *t, const struct pyo_langdb *db)
{
	struct pyo_class c;
	char path[128], id[160];
	size_t i, j, k, m;
	int error;

	for (i = 0; i < db->heur_blocks.nr; i++) {
		const struct pyo_heur_block *b = db->heur_blocks.items[i];

		snprintf(path, sizeof(path), "src/example%s", b->extensions[0]);
		for (j = 0; j < b->nr_rules; j++) {
			const struct pyo_heur_rule *r = &b->rules[j];

			snprintf(id, sizeof(id), "%s[%zu] %s", b->id, j + 1,
			         r->lang_names[0]);
			for (k = 0; r->match[k]; k++) {
				int ok = 0;

				if ((error = classify_one(&c, db, path,
				                          r->match[k])) < 0)
					return error;
				for (m = 0; m < r->nr_langs; m++)
					ok |= c.lang == r->langs[m];
				check(t, ok, id, "example %s gave %s",
				      r->match[k],
				      c.lang ? c.lang->name : "(none)");
			}
			for (k = 0; r->nomatch[k]; k++) {
				if ((error = classify_one(&c, db, path,
				                          r->nomatch[k])) < 0)
					return error;
				check(t, c.lang != r->langs[0], id,
				      "nomatch example %s gave %s",
				      r->nomatch[k],
				      c.lang ? c.lang->name : "(none)");
			}
		}
	}
	return 0;
}

static int content_rule_hits(const struct pyo_path_rule *r,
                             const struct pyo_langdb *db,
                             const char *ex)
{
	const char *content = ex + strlen(ex) + 1;
	struct pyo_class c;

	if (classify_one(&c, db, ex, content) < 0)
		return -1;
	return c.exclude == PYO_EX_GENERATED && c.rule_id &&
	       !strcmp(c.rule_id, r->id);
}

static int test_paths(struct tally *t, const struct pyo_langdb *db)
{
	struct pyo_match md;
	size_t i, k;
	int error, hit;

	if ((error = pyo_match_init(&md)) < 0)
		return error;
	for (i = 0; i < db->path_rules.nr; i++) {
		const struct pyo_path_rule *r = db->path_rules.items[i];

		for (k = 0; r->match && r->match[k]; k++) {
			/* the rule itself, and the rule set as a whole */
			hit = pyo_re_match(r->re_path, r->match[k],
			                   strlen(r->match[k]), &md) &&
			      pyo_langdb_path_match(db, r->category,
			                            r->match[k], &md);
			check(t, hit, r->id, "'%s' does not match",
			      r->match[k]);
		}
		for (k = 0; r->nomatch && r->nomatch[k]; k++) {
			hit = pyo_re_match(r->re_path, r->nomatch[k],
			                   strlen(r->nomatch[k]), &md);
			check(t, !hit, r->id, "'%s' matches", r->nomatch[k]);
		}
		for (k = 0; r->cmatch && r->cmatch[k]; k++) {
			hit = content_rule_hits(r, db, r->cmatch[k]);
			check(t, hit == 1, r->id,
			      "content example for '%s' not detected",
			      r->cmatch[k]);
		}
		for (k = 0; r->cnomatch && r->cnomatch[k]; k++) {
			hit = content_rule_hits(r, db, r->cnomatch[k]);
			check(t, hit == 0, r->id,
			      "content nomatch example for '%s' detected",
			      r->cnomatch[k]);
		}
	}
	pyo_match_release(&md);
	return 0;
}

int pyo_langdb_test(FILE *out,
                    const struct pyo_langdb *db,
                    int verbose,
                    size_t *passed,
                    size_t *failed)
{
	struct tally t = { out, verbose, 0, 0 };
	int error;

	if (!db)
		return pyo_error_setc(PYO_ERULES, "no language rules");
	if ((error = test_languages(&t, db)) < 0 ||
	    (error = test_heuristics(&t, db)) < 0 ||
	    (error = test_paths(&t, db)) < 0)
		return error;
	if (passed)
		*passed += t.passed;
	if (failed)
		*failed += t.failed;
	return 0;
}
