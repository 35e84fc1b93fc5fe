/*
 * detect_imports.c: import rules (a file's imports looked up in the rule
 * tables, or matched by a regex over the import name) and the per-file
 * "import:" facts of rules that require them.
 */
#include <string.h>

#include "detect_int.h"
#include "strutil.h"

#include "banned.h"

static int seen_rule_line(const struct pyo_findings *out,
                          size_t from,
                          const struct drule *r,
                          unsigned line)
{
	size_t i;

	for (i = from; i < out->nr; i++)
		if (out->items[i].line == line &&
		    !strcmp(out->items[i].rule_id, r->id))
			return 1;
	return 0;
}

/* A finding of import rule r at `im` unless r has one on that line; the
 * line is looked up once, for the first rule that matches the import. */
static int add_import(struct ctx *c,
                      const struct drule *r,
                      const struct imp *im,
                      size_t first,
                      unsigned *line)
{
	if (!*line)
		*line = (unsigned)detect_line_of(c->d, im->off) + 1;
	if (seen_rule_line(c->out, first, r, *line))
		return 0;
	return detect_add_finding(c, r, im->off, im->name, PYO_WHERE_IMPORT);
}

int detect_run_imports(
        struct ctx *c, unsigned bits, int is_go, const char *subj, size_t len)
{
	const struct pyo_detect_rules *dr = c->d->dr;
	size_t first = c->out->nr, i, k;
	int error;

	imp_list_reset(&c->d->imps);
	error = is_go ? imports_go(&c->d->imps, subj, len)
	              : imports_python(&c->d->imps, subj, len);
	if (error < 0)
		return error;
	for (i = 0; i < c->d->imps.nr; i++) {
		const struct imp *im = &c->d->imps.items[i];
		const struct dlist *l =
		        detect_lookup_import(dr, is_go, im->name, NULL);
		unsigned line = 0; /* looked up when a rule matches */

		for (k = 0; l && k < l->nr; k++) {
			const struct drule *r = dr->rules[l->idx[k]];

			if ((r->langs & bits) && r->scope == DS_IMPORT &&
			    (error = add_import(c, r, im, first, &line)) < 0)
				return error;
		}
		/* import rules given as a regex over the import name */
		for (k = 0; dr->re_imports && k < dr->re_imports->nr; k++) {
			const struct drule *r =
			        dr->rules[dr->re_imports->idx[k]];
			int rc;

			if (!(r->langs & bits) ||
			    (im->is_from_member && !is_go))
				continue;
			rc = drule_match(r, im->name, strlen(im->name), 0,
			                 c->d->md, c->d->mc);
			if (rc >= 0 &&
			    (error = add_import(c, r, im, first, &line)) < 0)
				return error;
		}
	}
	return 0;
}

/*
 * 1 when the file imports `name`: the import itself or what it starts
 * with (Python "google.genai" covers "google.genai.types", Go a module
 * path covers its packages), or a dotted component of a Python import
 * ("celery" in "from proj.celery import app").
 */
static int imports_have(const struct imp_list *l, const char *name, int is_go)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const char *im = l->items[i].name, *p;

		if (pyo_str_under(im, name, is_go ? '/' : '.'))
			return 1;
		for (p = im; !is_go && (p = strchr(p, '.'));)
			if (pyo_str_under(++p, name, '.'))
				return 1;
	}
	return 0;
}

/* 0 when one of the rule's "import:" facts fails in this file. */
static int
imports_hold(const struct pyo_detector *d, const struct drule *r, unsigned bits)
{
	size_t i;

	for (i = 0; r->requires && r->requires[i]; i++)
		if (pyo_str_startswith(r->requires[i], "import:") &&
		    (!(bits & (DL_PYTHON | DL_GO)) ||
		     !imports_have(&d->imps, r->requires[i] + 7,
		                   bits == DL_GO)))
			return 0;
	return 1;
}

/* Drops this file's pattern findings whose rule's imports are absent. */
void detect_apply_requires(struct ctx *c, size_t first, unsigned bits)
{
	const struct pyo_detect_rules *dr = c->d->dr;
	size_t k;

	/* once per rule: the imports are the whole file's */
	for (k = 0; k < dr->nr_requiring; k++)
		c->d->hold[k] = (unsigned char)imports_hold(
		        c->d, dr->requiring[k], bits);
	detect_drop_unheld(c->out, first, dr, c->d->hold, 1, c->d->per_rule);
}
