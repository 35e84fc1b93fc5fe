/*
 * detect_load.c: loads rules/{ml,frameworks,concurrency,service}.json
 * ("kind": "detect"), compiles every regex at load time (so a bad pattern
 * is refused with its file:line:col), builds the import and package tables,
 * and JIT-compiles everything in finish, before any thread starts (with the
 * keyword automaton of detect_kw.c). The tables are read in detect_deps.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_rules.h"
#include "rules_int.h"
#include "strutil.h"
#include "vec.h"

#include "banned.h"

static const char *const categories[] = { "ml", "framework", "concurrency",
	                                  "service", NULL };

static const struct {
	const char *name;
	unsigned bits;
} lang_names[] = {
	{ "python", DL_PYTHON }, { "go", DL_GO },     { "proto", DL_PROTO },
	{ "docker", DL_DOCKER }, { "yaml", DL_YAML }, { "shell", DL_SHELL },
	{ "toml", DL_TOML },     { "json", DL_JSON }, { "config", DL_CONFIG },
	{ "any", DL_ANY },
};

static const struct {
	const char *name;
	enum drule_scope scope;
} scope_names[] = {
	{ "code", DS_CODE },     { "strings", DS_STRINGS }, { "raw", DS_RAW },
	{ "import", DS_IMPORT }, { "package", DS_PACKAGE },
};

const struct pyo_detect_rules *detect_rules_of(const struct pyo_rules *r)
{
	return r ? r->detect : NULL;
}

static void drule_free(struct drule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->description);
	free(r->category);
	free(r->signal);
	free(r->favours);
	free(r->binding);
	free(r->lang_name);
	free(r->file);
	free(r->regex);
	free(r->keyword);
	rules_strv_free(r->packages);
	rules_strv_free(r->imports);
	rules_strv_free(r->requires);
	rules_strv_free(r->ex_match);
	rules_strv_free(r->ex_nomatch);
	free(r->kw_ids);
	pcre2_code_free(r->code);
	free(r);
}

static void dlist_free(void *p)
{
	struct dlist *l = p;

	if (!l)
		return;
	free(l->idx);
	free(l);
}

void pyo_detect_rules_free(struct pyo_detect_rules *dr)
{
	size_t i;

	if (!dr)
		return;
	for (i = 0; i < dr->nr; i++)
		drule_free(dr->rules[i]);
	free(dr->rules);
	pyo_strmap_clear(&dr->py_imports, dlist_free);
	pyo_strmap_clear(&dr->go_imports, dlist_free);
	pyo_strmap_clear(&dr->pypi_packages, dlist_free);
	pyo_strmap_clear(&dr->go_packages, dlist_free);
	dlist_free(dr->re_imports);
	free(dr->requiring);
	kw_release(&dr->keywords);
	for (i = 0; i < DL_SLOTS; i++) {
		kw_release(&dr->by_lang[i]);
		free(dr->slot_rules[i]);
	}
	free(dr);
}

/* The entry of key's first `len` bytes, with an empty list when new. */
static struct dlist *
map_entry(struct pyo_strmap *m, const char *key, size_t len)
{
	struct pyo_strmap_entry *e = pyo_strmap_slot(m, key, len);

	if (e && !e->value)
		e->value = calloc(1, sizeof(struct dlist));
	if (!e || !e->value) {
		pyo_error_oom();
		return NULL;
	}
	return e->value;
}

/* Adds rule `idx` to `key`, and its leading parts (up to each `sep`)
 * with no rule: lookup_prefix() walks them (sep 0: none). */
static int
map_add_parts(struct pyo_strmap *m, const char *key, int idx, char sep)
{
	struct dlist *l;
	size_t i;

	for (i = 0; sep && key[i]; i++)
		if (key[i] == sep && i && !map_entry(m, key, i))
			return PYO_ERROR;
	if (!(l = map_entry(m, key, strlen(key))))
		return PYO_ERROR;
	for (i = 0; i < l->nr; i++)
		if (l->idx[i] == idx)
			return 0;
	if (PYO_ARRAY_GROW(l->idx, l->nr, l->alloc) < 0)
		return PYO_ERROR;
	l->idx[l->nr++] = idx;
	return 0;
}

/* PEP 503: lower case, runs of -_. become one -. */
void detect_pep503(char *out, size_t outsz, const char *in)
{
	size_t o = 0;
	int dash = 0;

	for (; *in && o + 1 < outsz; in++) {
		char c = *in;

		if (c == '-' || c == '_' || c == '.') {
			dash = 1;
			continue;
		}
		if (dash && o) {
			out[o++] = '-';
			if (o + 1 >= outsz)
				break;
		}
		dash = 0;
		out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
}

static const cJSON *obj_item(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int
compile_rule(struct drule *r, const struct rules_file *f, const char *ptr)
{
	pcre2_compile_context *cc;
	PCRE2_SIZE erroff;
	int errcode;
	char msg[256];

	cc = pcre2_compile_context_create(NULL);
	if (!cc)
		return pyo_error_oom();
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	r->code = pcre2_compile((PCRE2_SPTR)r->regex, PCRE2_ZERO_TERMINATED,
	                        PCRE2_MULTILINE | PCRE2_USE_OFFSET_LIMIT,
	                        &errcode, &erroff, cc);
	pcre2_compile_context_free(cc);
	if (!r->code) {
		char p[128];

		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		                        sizeof(msg));
		snprintf(p, sizeof(p), "%s/regex", ptr);
		return rules_error(f, p,
		                   "rule '%s': bad regex at offset %zu: %s",
		                   r->id, (size_t)erroff, msg);
	}
	return 0;
}

static int load_examples(struct drule *r,
                         const struct rules_file *f,
                         const cJSON *o,
                         const char *ptr)
{
	const cJSON *ex = obj_item(o, "examples");
	char p[128];
	size_t n1 = 0, n2 = 0;
	int error;

	snprintf(p, sizeof(p), "%s/examples", ptr);
	if (!ex || !cJSON_IsObject(ex))
		return rules_error(f, ptr,
		                   "rule '%s': \"examples\" with \"match\" and "
		                   "\"nomatch\" is required",
		                   r->id);
	if ((error = rules_get_strv(&r->ex_match, &n1, f, ex, p, "match", 1)) <
	            0 ||
	    (error = rules_get_strv(&r->ex_nomatch, &n2, f, ex, p, "nomatch",
	                            1)) < 0)
		return error;
	if (!n1)
		return rules_error(f, p, "rule '%s': no \"match\" example",
		                   r->id);
	return 0;
}

static int parse_enum_lang(struct drule *r)
{
	size_t i;

	for (i = 0; i < sizeof(lang_names) / sizeof(lang_names[0]); i++)
		if (!strcmp(lang_names[i].name, r->lang_name)) {
			r->langs = lang_names[i].bits;
			return 0;
		}
	return -1;
}

static int parse_enum_scope(struct drule *r, const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(scope_names) / sizeof(scope_names[0]); i++)
		if (!strcmp(scope_names[i].name, s)) {
			r->scope = scope_names[i].scope;
			return 0;
		}
	return -1;
}

static int dup_field(char **out,
                     const struct rules_file *f,
                     const cJSON *o,
                     const char *ptr,
                     const char *key,
                     int required)
{
	const char *s = NULL;
	int error;

	if ((error = rules_get_string(&s, f, o, ptr, key, required)) < 0)
		return error;
	if (!s)
		return 0;
	*out = pyo_strdup(s);
	return *out ? 0 : PYO_ERROR;
}

static int index_rule(struct pyo_detect_rules *dr, struct drule *r)
{
	char norm[256];
	size_t i;
	int error = 0;
	int is_go = (r->langs & DL_GO) && !(r->langs & DL_PYTHON);

	for (i = 0; r->imports && r->imports[i] && !error; i++)
		error = map_add_parts(is_go ? &dr->go_imports : &dr->py_imports,
		                      r->imports[i], r->index,
		                      is_go ? '/' : '.');
	/* A Go module path is also the prefix of its import paths. */
	if (is_go && !(r->packages && r->packages[0]))
		for (i = 0; r->imports && r->imports[i] && !error; i++)
			error = map_add_parts(&dr->go_packages, r->imports[i],
			                      r->index, '/');
	for (i = 0; r->packages && r->packages[i] && !error; i++) {
		if (is_go) {
			error = map_add_parts(&dr->go_packages, r->packages[i],
			                      r->index, '/');
		} else {
			detect_pep503(norm, sizeof(norm), r->packages[i]);
			error = map_add_parts(&dr->pypi_packages, norm,
			                      r->index, 0);
		}
	}
	return error;
}

static int load_rule(struct pyo_detect_rules *dr,
                     const struct rules_file *f,
                     const cJSON *o,
                     const char *ptr,
                     const char *category)
{
	struct drule *r;
	const char *scope = NULL;
	size_t n, i;
	int error;

	if (!cJSON_IsObject(o))
		return rules_error(f, ptr, "expected a rule object");
	r = calloc(1, sizeof(*r));
	if (!r)
		return pyo_error_oom();
	r->index = (int)dr->nr;
	r->weight = 1;
	if ((error = dup_field(&r->id, f, o, ptr, "id", 1)) < 0 ||
	    (error = dup_field(&r->description, f, o, ptr, "description", 1)) <
	            0 ||
	    (error = dup_field(&r->lang_name, f, o, ptr, "lang", 1)) < 0 ||
	    (error = rules_get_string(&scope, f, o, ptr, "scope", 1)) < 0 ||
	    (error = dup_field(&r->signal, f, o, ptr, "signal", 1)) < 0 ||
	    (error = dup_field(&r->favours, f, o, ptr, "favours", 1)) < 0 ||
	    (error = dup_field(&r->binding, f, o, ptr, "binding", 0)) < 0 ||
	    (error = dup_field(&r->regex, f, o, ptr, "regex", 0)) < 0 ||
	    (error = dup_field(&r->keyword, f, o, ptr, "keyword", 0)) < 0 ||
	    (error = rules_get_number(&r->weight, f, o, ptr, "weight", 1)) <
	            0 ||
	    (error = rules_get_strv(&r->packages, &n, f, o, ptr, "packages",
	                            0)) < 0 ||
	    (error = rules_get_strv(&r->imports, &n, f, o, ptr, "imports", 0)) <
	            0 ||
	    (error = rules_get_strv(&r->requires, &n, f, o, ptr, "requires",
	                            0)) < 0)
		goto done;
	for (i = 0; r->requires && r->requires[i]; i++) {
		const char *q = r->requires[i];

		if ((!pyo_str_startswith(q, "import:") || !q[7]) &&
		    (!pyo_str_startswith(q, "dep:") || !q[4])) {
			error = rules_error(f, ptr,
			                    "rule '%s': requires \"%s\": "
			                    "expected \"import:NAME\" or "
			                    "\"dep:NAME\"",
			                    r->id, q);
			goto done;
		}
	}
	if (!(r->category = pyo_strdup(category)) ||
	    !(r->file = pyo_strdup(f->name))) {
		error = PYO_ERROR;
		goto done;
	}
	for (i = 0; i < dr->nr; i++)
		if (!strcmp(dr->rules[i]->id, r->id)) {
			error = rules_error(f, ptr, "duplicate rule id '%s'",
			                    r->id);
			goto done;
		}
	if (parse_enum_lang(r) < 0) {
		error = rules_error(f, ptr, "rule '%s': unknown lang '%s'",
		                    r->id, r->lang_name);
		goto done;
	}
	if (parse_enum_scope(r, scope) < 0) {
		error = rules_error(f, ptr,
		                    "rule '%s': scope must be code, strings, "
		                    "raw, import or package",
		                    r->id);
		goto done;
	}
	if (strcmp(r->favours, "python") && strcmp(r->favours, "go") &&
	    strcmp(r->favours, "none")) {
		error = rules_error(f, ptr,
		                    "rule '%s': favours must be python, go or "
		                    "none",
		                    r->id);
		goto done;
	}
	if (r->binding && strcmp(r->binding, "native") &&
	    strcmp(r->binding, "remote-sdk") &&
	    strcmp(r->binding, "framework") && strcmp(r->binding, "tooling")) {
		error = rules_error(f, ptr,
		                    "rule '%s': binding must be native, "
		                    "remote-sdk, framework or tooling",
		                    r->id);
		goto done;
	}
	if (r->scope <= DS_RAW && !r->regex) {
		error = rules_error(f, ptr,
		                    "rule '%s': a %s rule needs a regex", r->id,
		                    scope);
		goto done;
	}
	if (r->scope == DS_IMPORT && !(r->imports && r->imports[0]) &&
	    !r->regex) {
		error = rules_error(f, ptr,
		                    "rule '%s': an import rule needs "
		                    "\"imports\" or a regex",
		                    r->id);
		goto done;
	}
	if (r->scope == DS_PACKAGE && !(r->packages && r->packages[0])) {
		error = rules_error(f, ptr,
		                    "rule '%s': a package rule needs "
		                    "\"packages\"",
		                    r->id);
		goto done;
	}
	if (r->scope >= DS_IMPORT &&
	    !(r->langs == DL_PYTHON || r->langs == DL_GO)) {
		error = rules_error(f, ptr,
		                    "rule '%s': import and package rules are "
		                    "for lang python or go",
		                    r->id);
		goto done;
	}
	if (r->keyword && !r->keyword[0]) {
		free(r->keyword);
		r->keyword = NULL;
	}
	if (r->regex && (error = compile_rule(r, f, ptr)) < 0)
		goto done;
	if ((error = load_examples(r, f, o, ptr)) < 0)
		goto done;
	if (PYO_ARRAY_GROW(dr->rules, dr->nr, dr->alloc) < 0) {
		error = PYO_ERROR;
		goto done;
	}
	dr->rules[dr->nr++] = r;
	if (r->requires && r->requires[0]) {
		struct drule **q = realloc(dr->requiring,
		                           (dr->nr_requiring + 1) * sizeof(*q));

		if (!q) {
			r = NULL; /* owned by dr now */
			error = pyo_error_oom();
			goto done;
		}
		dr->requiring = q;
		dr->requiring[dr->nr_requiring++] = r;
	}
	error = index_rule(dr, r);
	r = NULL;
done:
	drule_free(r);
	return error;
}

int pyo_detect_rules_load(struct pyo_detect_rules **drp,
                          const struct rules_file *f)
{
	const cJSON *rules;
	const char *category = NULL, *version = NULL;
	struct pyo_detect_rules *dr = *drp;
	char ptr[64];
	int error, i = 0, known = 0;
	size_t k;

	if ((error = rules_get_string(&version, f, f->doc, "", "version", 1)) <
	            0 ||
	    (error = rules_get_string(&category, f, f->doc, "", "category",
	                              1)) < 0)
		return error;
	if (strcmp(version, "1"))
		return rules_error(f, "/version",
		                   "unsupported detect rules version '%s'",
		                   version);
	for (k = 0; categories[k]; k++)
		if (!strcmp(categories[k], category))
			known = 1;
	if (!known)
		return rules_error(f, "/category",
		                   "category must be ml, framework, "
		                   "concurrency or service");
	rules = obj_item(f->doc, "rules");
	if (!rules || !cJSON_IsArray(rules))
		return rules_error(f, "", "expected an array \"rules\"");
	if (!dr) {
		dr = calloc(1, sizeof(*dr));
		if (!dr)
			return pyo_error_oom();
		*drp = dr;
	}
	for (const cJSON *o = rules->child; o; o = o->next, i++) {
		snprintf(ptr, sizeof(ptr), "/rules/%d", i);
		if ((error = load_rule(dr, f, o, ptr, category)) < 0)
			return error;
	}
	return 0;
}

int pyo_detect_rules_finish(struct pyo_detect_rules *dr)
{
	int error;

	size_t i;

	if (!dr || dr->finished)
		return 0;
	if ((error = detect_build_keywords(dr)) < 0)
		return error;
	if (!(dr->re_imports = calloc(1, sizeof(*dr->re_imports))))
		return pyo_error_oom();
	for (i = 0; i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];

		if (r->scope == DS_IMPORT && r->code &&
		    !(r->imports && r->imports[0]) &&
		    PYO_ARRAY_GROW(dr->re_imports->idx, dr->re_imports->nr,
		                   dr->re_imports->alloc) < 0)
			return PYO_ERROR;
		if (r->scope == DS_IMPORT && r->code &&
		    !(r->imports && r->imports[0]))
			dr->re_imports->idx[dr->re_imports->nr++] = (int)i;
	}
	for (i = 0; i < dr->nr; i++) {
		uint32_t n = 0;

		if (!dr->rules[i]->code)
			continue;
		/* No JIT (or no memory for it) falls back to the interpreter.
		 */
		dr->rules[i]->jit = pcre2_jit_compile(dr->rules[i]->code,
		                                      PCRE2_JIT_COMPLETE) == 0;
		pcre2_pattern_info(dr->rules[i]->code, PCRE2_INFO_CAPTURECOUNT,
		                   &n);
		if (n > dr->max_captures)
			dr->max_captures = n;
	}
	dr->finished = 1;
	return 0;
}

int pyo_detect_rules_list(FILE *out, const struct pyo_detect_rules *dr)
{
	size_t i;

	if (!dr)
		return 0;
	for (i = 0; i < dr->nr; i++)
		fprintf(out, "%-40s %-12s %s\n", dr->rules[i]->id,
		        dr->rules[i]->category, dr->rules[i]->description);
	return 0;
}

static void print_strv(FILE *out, const char *label, char **v)
{
	size_t i;

	if (!v || !v[0])
		return;
	fprintf(out, "%-12s", label);
	for (i = 0; v[i]; i++)
		fprintf(out, "%s%s", i ? ", " : "", v[i]);
	fputc('\n', out);
}

/* The literals taken from the regex as its keywords (detect_kw.c). */
static void print_derived(FILE *out,
                          const struct pyo_detect_rules *dr,
                          const struct drule *r)
{
	size_t k;

	fprintf(out, "%-12s", r->refined_kw ? "searched" : "keyword");
	for (k = 0; k < r->nr_kw; k++)
		fprintf(out, "%s%s", k ? "|" : "",
		        dr->keywords.text[r->kw_ids[k]]);
	fprintf(out, " (from the regex%s)\n",
	        r->anchored ? "; every match starts with one" : "");
}

int pyo_detect_rules_explain(FILE *out,
                             const struct pyo_detect_rules *dr,
                             const char *id)
{
	size_t i, k;

	for (i = 0; dr && i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];

		if (strcmp(r->id, id))
			continue;
		fprintf(out, "%-12s%s\n", "id", r->id);
		fprintf(out, "%-12s%s\n", "file", r->file);
		fprintf(out, "%-12s%s\n", "category", r->category);
		fprintf(out, "%-12s%s\n", "description", r->description);
		fprintf(out, "%-12s%s\n", "lang", r->lang_name);
		fprintf(out, "%-12s%s\n", "scope", scope_names[r->scope].name);
		fprintf(out, "%-12s%s\n", "signal", r->signal);
		fprintf(out, "%-12s%g\n", "weight", r->weight);
		fprintf(out, "%-12s%s\n", "favours", r->favours);
		if (r->binding)
			fprintf(out, "%-12s%s\n", "binding", r->binding);
		if (r->regex)
			fprintf(out, "%-12s%s\n", "regex", r->regex);
		if (r->keyword)
			fprintf(out, "%-12s%s\n", "keyword", r->keyword);
		if (r->derived_kw || r->refined_kw)
			print_derived(out, dr, r);
		print_strv(out, "packages", r->packages);
		print_strv(out, "imports", r->imports);
		print_strv(out, "requires", r->requires);
		for (k = 0; r->ex_match && r->ex_match[k]; k++)
			fprintf(out, "%-12s%s\n", "match", r->ex_match[k]);
		for (k = 0; r->ex_nomatch && r->ex_nomatch[k]; k++)
			fprintf(out, "%-12s%s\n", "nomatch", r->ex_nomatch[k]);
		return 0;
	}
	return PYO_ENOTFOUND;
}
