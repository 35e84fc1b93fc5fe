/*
 * detect_deps.c: maps import names and manifest dependencies to the rules
 * that name them (the tables detect_load.c builds), turns dependencies into
 * findings, and tells a path's scope (service, test, docs, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/detect.h"
#include "detect_rules.h"
#include "strutil.h"
#include "banned.h"

/*
 * The rules of the longest key that `name` is or starts with (up to a
 * `sep`). Every key's leading parts are in the map too, with no rules
 * (detect_load.c), so the walk from the first part on stops at the
 * first part no key has: one lookup for most imports ("os", "app.api").
 */
static const struct dlist *lookup_prefix(const struct pyo_strmap *m,
                                         const char *name,
                                         char sep,
                                         size_t *matched_len)
{
	const struct dlist *best = NULL;
	size_t n = 0;

	for (;;) {
		const struct dlist *l;

		while (name[n] && name[n] != sep)
			n++;
		if (!(l = pyo_strmap_get(m, name, n)))
			break;
		if (l->nr) {
			best = l;
			if (matched_len)
				*matched_len = n;
		}
		if (!name[n++])
			break;
	}
	return best;
}

const struct dlist *detect_lookup_import(const struct pyo_detect_rules *dr,
                                         int is_go,
                                         const char *name,
                                         size_t *matched_len)
{
	return lookup_prefix(is_go ? &dr->go_imports : &dr->py_imports, name,
	                     is_go ? '/' : '.', matched_len);
}

const struct dlist *detect_lookup_package(const struct pyo_detect_rules *dr,
                                          const char *ecosystem,
                                          const char *name)
{
	char norm[256];

	if (!strcmp(ecosystem, "go"))
		return lookup_prefix(&dr->go_packages, name, '/', NULL);
	if (strcmp(ecosystem, "pypi") && strcmp(ecosystem, "conda"))
		return NULL;
	detect_pep503(norm, sizeof(norm), name);
	return pyo_strmap_get(&dr->pypi_packages, norm, strlen(norm));
}

static int group_is_dev(const char *g)
{
	static const char *const dev[] = { "dev",        "test",    "tests",
		                           "testing",    "lint",    "doc",
		                           "docs",       "typing",  "mypy",
		                           "ci",         "bench",   "benchmark",
		                           "benchmarks", "develop", NULL };
	size_t i;

	if (!g)
		return 0;
	for (i = 0; dev[i]; i++)
		if (!pyo_strcasecmp(g, dev[i]))
			return 1;
	return pyo_str_startswith(g, "dev") || pyo_str_startswith(g, "test");
}

/* A path component (or file-name part) naming a non-service area. */
static int has_part(const char *path, const char *word)
{
	size_t n = strlen(word);
	const char *p = path;

	while ((p = strstr(p, word))) {
		int before = p == path || strchr("/_.-", p[-1]);
		int after = !p[n] || strchr("/_.-", p[n]);

		if (before && after)
			return 1;
		p += n;
	}
	return 0;
}

enum pyo_scope pyo_detect_path_scope(const char *path)
{
	if (!path)
		return PYO_SCOPE_SERVICE;
	if (has_part(path, "test") || has_part(path, "tests") ||
	    has_part(path, "testing") || has_part(path, "dev") ||
	    has_part(path, "lint"))
		return PYO_SCOPE_TEST;
	if (has_part(path, "docs") || has_part(path, "doc"))
		return PYO_SCOPE_DOCS;
	if (has_part(path, "examples") || has_part(path, "example"))
		return PYO_SCOPE_EXAMPLE;
	if (has_part(path, "notebooks") || has_part(path, "research") ||
	    has_part(path, "experiments") || has_part(path, "training") ||
	    has_part(path, "train"))
		return PYO_SCOPE_RESEARCH;
	return PYO_SCOPE_SERVICE;
}

static int
has_direct(const struct pyo_deps *deps, const char *eco, const char *name)
{
	size_t i;

	for (i = 0; i < deps->nr; i++)
		if (deps->items[i].is_direct && deps->items[i].name &&
		    deps->items[i].ecosystem &&
		    !strcmp(deps->items[i].ecosystem, eco) &&
		    !strcmp(deps->items[i].name, name))
			return 1;
	return 0;
}

int pyo_detect_deps(struct pyo_findings *out,
                    const struct pyo_rules *rules,
                    const struct pyo_deps *deps)
{
	const struct pyo_detect_rules *dr = detect_rules_of(rules);
	size_t i, k;
	int error;

	if (!dr || !deps)
		return 0;
	for (i = 0; i < deps->nr; i++) {
		const struct pyo_dep *dep = &deps->items[i];
		const struct dlist *l;
		char snippet[SNIPPET_MAX + 1];
		int is_go;

		if (!dep->name || !dep->ecosystem)
			continue;
		is_go = !strcmp(dep->ecosystem, "go");
		l = detect_lookup_package(dr, dep->ecosystem, dep->name);
		if (!l)
			continue;
		/* a lock entry only confirms a declared dependency */
		if (!dep->is_direct && dep->is_lock &&
		    has_direct(deps, dep->ecosystem, dep->name))
			continue;
		snprintf(snippet, sizeof(snippet), "%s%s%s", dep->name,
		         is_go && dep->constraint && *dep->constraint ? " "
		                                                      : "",
		         dep->constraint ? dep->constraint : "");
		for (k = 0; k < l->nr; k++) {
			const struct drule *r = dr->rules[l->idx[k]];
			struct pyo_finding f = { 0 };

			f.rule_id = r->id;
			f.category = r->category;
			f.signal = r->signal;
			f.language = is_go ? "go" : "python";
			f.weight = r->weight;
			if (!dep->is_direct)
				f.weight =
				        r->weight * (dep->is_lock ? 0.25 : 0.5);
			f.path = dep->manifest;
			f.line = dep->line;
			f.column = dep->line ? 1 : 0;
			f.snippet = snippet;
			f.detail = dep->name;
			f.where = PYO_WHERE_MANIFEST;
			f.scope =
			        group_is_dev(dep->group)
			                ? PYO_SCOPE_TEST
			                : pyo_detect_path_scope(dep->manifest);
			if ((error = pyo_findings_add(out, &f)) < 0)
				return error;
		}
	}
	return 0;
}

/* 1 when `deps` declare `name` (PEP 503 for PyPI; a Go module path or
 * one of its parents). */
static int deps_have(const struct pyo_deps *deps, const char *name)
{
	char want[256], have[256];
	size_t i;

	detect_pep503(want, sizeof(want), name);
	for (i = 0; deps && i < deps->nr; i++) {
		const struct pyo_dep *d = &deps->items[i];

		if (!d->name)
			continue;
		if (d->ecosystem && !strcmp(d->ecosystem, "go")) {
			if (pyo_str_under(d->name, name, '/'))
				return 1;
			continue;
		}
		detect_pep503(have, sizeof(have), d->name);
		if (!strcmp(have, want))
			return 1;
	}
	return 0;
}

/* 0 when a "dep:" fact of `r` fails. */
static int deps_hold(const struct drule *r, const struct pyo_deps *deps)
{
	size_t i;

	for (i = 0; r->requires && r->requires[i]; i++)
		if (pyo_str_startswith(r->requires[i], "dep:") &&
		    !deps_have(deps, r->requires[i] + 4))
			return 0;
	return 1;
}

struct unheld {
	const struct drule **rules; /* the requiring rules that do not hold */
	size_t nr;
	int patterns_only;
};

/* 0 for a finding of a requiring rule whose facts do not hold. */
static int keep_held(const struct pyo_finding *f, void *payload)
{
	const struct unheld *u = payload;
	size_t k;

	if (f->where == PYO_WHERE_MANIFEST ||
	    (u->patterns_only && f->where != PYO_WHERE_PATTERN))
		return 1;
	/* a light finding has its rule's own id string */
	for (k = 0; k < u->nr; k++)
		if (f->rule_id == u->rules[k]->id ||
		    !strcmp(u->rules[k]->id, f->rule_id))
			return 0;
	return 1;
}

void detect_drop_unheld(struct pyo_findings *fs,
                        size_t from,
                        const struct pyo_detect_rules *dr,
                        const unsigned char *hold,
                        int patterns_only,
                        const unsigned char *present)
{
	const struct drule *rules[16];
	struct unheld u = { rules, 0, patterns_only };
	size_t k;

	for (k = 0; k < dr->nr_requiring; k++) {
		const struct drule *r = dr->requiring[k];

		if (hold[k] || (present && r->index >= 0 && !present[r->index]))
			continue;
		rules[u.nr++] = r;
		if (u.nr == 16) {
			pyo_findings_filter(fs, from, keep_held, &u);
			u.nr = 0;
		}
	}
	/* the common case: every rule with findings here holds */
	if (u.nr)
		pyo_findings_filter(fs, from, keep_held, &u);
}

void pyo_detect_requires(struct pyo_findings *fs,
                         const struct pyo_rules *rules,
                         const struct pyo_deps *deps)
{
	const struct pyo_detect_rules *dr = detect_rules_of(rules);
	unsigned char *hold;
	size_t k;

	if (!dr || !dr->nr_requiring || !(hold = malloc(dr->nr_requiring)))
		return;
	/* once per rule: the dependencies are the whole repository's */
	for (k = 0; k < dr->nr_requiring; k++)
		hold[k] = (unsigned char)deps_hold(dr->requiring[k], deps);
	detect_drop_unheld(fs, 0, dr, hold, 0, NULL);
	free(hold);
}
