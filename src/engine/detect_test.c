/*
 * detect_test.c: runs every detector rule's examples through the same code
 * as a scan: source examples through the lexer, the matcher and the import
 * extraction (pyo_detect_file), "package:NAME" examples through the
 * dependency mapping (pyo_detect_deps). A rule fails on any wrong result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_rules.h"
#include "rules_int.h"
#include "strutil.h"

#include "banned.h"

static void ignore_warning(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

static int has_rule(const struct pyo_findings *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->items[i].rule_id, id))
			return 1;
	return 0;
}

/* 1 when the example fires the rule, 0 when not, <0 on error. */
static int run_example(struct pyo_detector *d,
                       const struct pyo_detect_rules *dr,
                       const struct drule *r,
                       const char *ex)
{
	struct pyo_findings f = { 0 };
	int error, hit;

	if (pyo_str_startswith(ex, "package:")) {
		const char *eco = (r->langs & DL_GO) ? "go" : "pypi";
		const struct dlist *l =
		        detect_lookup_package(dr, eco, ex + strlen("package:"));
		size_t k;

		for (k = 0; l && k < l->nr; k++)
			if (l->idx[k] == r->index)
				return 1;
		return 0;
	}
	error = pyo_detect_file(d, &f, "example", detect_rule_example_lang(r),
	                        PYO_SCOPE_SERVICE, ex, strlen(ex),
	                        ignore_warning, NULL);
	hit = error < 0 ? error : has_rule(&f, r->id);
	pyo_findings_clear(&f);
	return hit;
}

static void show(FILE *out, const char *ex)
{
	for (; *ex; ex++) {
		if (*ex == '\n')
			fputs("\\n", out);
		else if (*ex == '\t')
			fputs("\\t", out);
		else
			fputc(*ex, out);
	}
}

int pyo_detect_rules_test(FILE *out,
                          const struct pyo_detect_rules *dr,
                          int verbose,
                          size_t *passed,
                          size_t *failed)
{
	struct pyo_detector *d = NULL;
	size_t i, k;
	int error;

	if (!dr)
		return 0;
	if ((error = detect_detector_new(&d, dr)) < 0)
		return error;
	for (i = 0; i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];
		int ok = 1;

		for (k = 0; r->ex_match && r->ex_match[k]; k++) {
			int hit = run_example(d, dr, r, r->ex_match[k]);

			if (hit < 0) {
				error = hit;
				goto done;
			}
			if (!hit) {
				ok = 0;
				fprintf(out, "FAIL %s: %s: expected a match: ",
				        r->file, r->id);
				show(out, r->ex_match[k]);
				fputc('\n', out);
			}
		}
		for (k = 0; r->ex_nomatch && r->ex_nomatch[k]; k++) {
			int hit = run_example(d, dr, r, r->ex_nomatch[k]);

			if (hit < 0) {
				error = hit;
				goto done;
			}
			if (hit) {
				ok = 0;
				fprintf(out, "FAIL %s: %s: expected no match: ",
				        r->file, r->id);
				show(out, r->ex_nomatch[k]);
				fputc('\n', out);
			}
		}
		if (ok) {
			(*passed)++;
			if (verbose)
				fprintf(out, "ok   %s\n", r->id);
		} else {
			(*failed)++;
		}
	}
	error = 0;
done:
	pyo_detector_free(d);
	return error;
}
