/*
 * langdb_heur.c: rules/heuristics.json, the regex tests that narrow the
 * candidates of an ambiguous extension. Loaded by pyo_langdb_load(); the
 * language names are resolved and the regexes JIT-compiled by
 * pyo_langdb_finish().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "relit.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

/* A string or an array of strings, merged into one alternation. */
static int union_source(char **out,
                        const struct rules_file *f,
                        const cJSON *v,
                        const char *ptr)
{
	struct pyo_buf b = { 0 };
	const cJSON *e;
	size_t i = 0;

	*out = NULL;
	if (cJSON_IsString(v))
		return (*out = pyo_strdup(v->valuestring)) ? 0 : PYO_ERROR;
	if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
		return rules_error(f, ptr,
		                   "expected a string or an array of strings");
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e)) {
			char eptr[400];

			pyo_buf_release(&b);
			snprintf(eptr, sizeof(eptr), "%s/%zu", ptr, i);
			return rules_error(f, eptr, "expected a string");
		}
		pyo_buf_printf(&b, "%s(?:%s)", i++ ? "|" : "", e->valuestring);
	}
	if (!b.ptr)
		return pyo_error_oom();
	*out = pyo_buf_detach(&b);
	return 0;
}

/* Appends a test compiled from `src`, with its prefilter. */
static int
add_code(struct pyo_regex **arr, size_t *nr, pcre2_code *re, const char *src)
{
	struct pyo_regex *n = realloc(*arr, (*nr + 1) * sizeof(**arr));

	if (!n) {
		pcre2_code_free(re);
		return pyo_error_oom();
	}
	*arr = n;
	n[*nr].code = re;
	n[*nr].lits = NULL;
	(*nr)++;
	return pyo_relit_kwset(&n[*nr - 1].lits, &src, 1, PCRE2_MULTILINE);
}

/* One test object: pattern / negative_pattern / named_pattern. */
static int load_test(struct pyo_heur_rule *r,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *ptr)
{
	static const char *const keys[] = { "pattern", "named_pattern",
		                            "negative_pattern" };
	const cJSON *named =
	        cJSON_GetObjectItemCaseSensitive(f->doc, "named_patterns");
	size_t k;
	int error;

	for (k = 0; k < 3; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, keys[k]);
		char kptr[300], *src;
		pcre2_code *re;

		if (!v)
			continue;
		snprintf(kptr, sizeof(kptr), "%s/%s", ptr, keys[k]);
		if (k == 1) {
			if (!cJSON_IsString(v))
				return rules_error(f, kptr,
				                   "expected a string");
			v = cJSON_GetObjectItemCaseSensitive(named,
			                                     v->valuestring);
			if (!v)
				return rules_error(f, kptr,
				                   "unknown named pattern");
		}
		if ((error = union_source(&src, f, v, kptr)) < 0)
			return error;
		re = langdb_re_compile(f, kptr, src, PCRE2_MULTILINE, &error);
		if (!re) {
			free(src);
			return error;
		}
		error = k == 2 ? add_code(&r->neg, &r->nr_neg, re, src)
		               : add_code(&r->pos, &r->nr_pos, re, src);
		free(src);
		if (error < 0)
			return error;
	}
	return 0;
}

static int load_heur_rule(struct pyo_heur_rule *r,
                          const struct rules_file *f,
                          const cJSON *obj,
                          const char *ptr)
{
	const cJSON *lang = cJSON_GetObjectItemCaseSensitive(obj, "language");
	const cJSON *and = cJSON_GetObjectItemCaseSensitive(obj, "and");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(obj, "examples");
	const cJSON *e;
	char sub[400];
	size_t i = 0;
	int error;

	if (!(r->pointer = pyo_strdup(ptr)))
		return PYO_ERROR;
	if (cJSON_IsString(lang)) {
		r->lang_names = calloc(2, sizeof(char *));
		if (!r->lang_names ||
		    !(r->lang_names[0] = pyo_strdup(lang->valuestring)))
			return pyo_error_oom();
		r->nr_langs = 1;
	} else if ((error = rules_get_strv(&r->lang_names, &r->nr_langs, f, obj,
	                                   ptr, "language", 1)) < 0) {
		return error;
	}
	if (!r->nr_langs)
		return rules_error(f, ptr, "\"language\" is empty");
	if ((error = load_test(r, f, obj, ptr)) < 0)
		return error;
	if (and&&!cJSON_IsArray(and)) {
		snprintf(sub, sizeof(sub), "%s/and", ptr);
		return rules_error(f, sub, "expected an array");
	}
	cJSON_ArrayForEach(e, and)
	{
		snprintf(sub, sizeof(sub), "%s/and/%zu", ptr, i++);
		if ((error = load_test(r, f, e, sub)) < 0)
			return error;
	}
	snprintf(sub, sizeof(sub), "%s/examples", ptr);
	if ((error = rules_get_strv(&r->match, NULL, f, ex, sub, "match", 0)) <
	            0 ||
	    (error = rules_get_strv(&r->nomatch, NULL, f, ex, sub, "nomatch",
	                            0)) < 0)
		return error;
	if (!r->match && !(r->match = calloc(1, sizeof(char *))))
		return pyo_error_oom();
	if (!r->nomatch && !(r->nomatch = calloc(1, sizeof(char *))))
		return pyo_error_oom();
	if ((r->nr_pos || r->nr_neg) && !r->match[0])
		return rules_error(f, ptr,
		                   "a rule with a pattern needs "
		                   "examples.match");
	return 0;
}

void langdb_heur_block_free(void *p)
{
	struct pyo_heur_block *b = p;
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->nr_rules; i++) {
		struct pyo_heur_rule *r = &b->rules[i];

		for (j = 0; j < r->nr_pos; j++)
			langdb_regex_release(&r->pos[j]);
		for (j = 0; j < r->nr_neg; j++)
			langdb_regex_release(&r->neg[j]);
		free(r->pos);
		free(r->neg);
		free((void *)r->langs);
		rules_strv_free(r->lang_names);
		rules_strv_free(r->match);
		rules_strv_free(r->nomatch);
		free(r->pointer);
	}
	free(b->rules);
	free(b->id);
	rules_strv_free(b->extensions);
	free(b);
}

int langdb_load_heuristics(struct pyo_langdb *db, const struct rules_file *f)
{
	const cJSON *arr =
	        cJSON_GetObjectItemCaseSensitive(f->doc, "disambiguations");
	const cJSON *item, *rule;
	char ptr[64], rptr[96], key[64];
	size_t n = 0, i, j;
	int error;

	if (!cJSON_IsArray(arr))
		return rules_error(f, arr ? "/disambiguations" : "",
		                   "expected an array \"disambiguations\"");
	cJSON_ArrayForEach(item, arr)
	{
		struct pyo_heur_block *b;
		const cJSON *rules;
		const char *id;

		snprintf(ptr, sizeof(ptr), "/disambiguations/%zu", n++);
		if (!cJSON_IsObject(item))
			return rules_error(f, ptr, "expected an object");
		if (!(b = calloc(1, sizeof(*b))))
			return pyo_error_oom();
		if ((error = pyo_vec_push(&db->heur_blocks, b)) < 0) {
			free(b);
			return error;
		}
		if ((error = rules_get_string(&id, f, item, ptr, "id", 1)) <
		            0 ||
		    (error = rules_get_strv(&b->extensions, NULL, f, item, ptr,
		                            "extensions", 1)) < 0)
			return error;
		if (!(b->id = pyo_strdup(id)))
			return PYO_ERROR;
		rules = cJSON_GetObjectItemCaseSensitive(item, "rules");
		if (!cJSON_IsArray(rules) || !cJSON_GetArraySize(rules))
			return rules_error(f, ptr,
			                   "expected \"rules\", a "
			                   "non-empty array");
		b->rules = calloc((size_t)cJSON_GetArraySize(rules),
		                  sizeof(*b->rules));
		if (!b->rules)
			return pyo_error_oom();
		i = 0;
		cJSON_ArrayForEach(rule, rules)
		{
			snprintf(rptr, sizeof(rptr), "%s/rules/%zu", ptr, i);
			b->nr_rules = i + 1;
			if (!cJSON_IsObject(rule))
				return rules_error(f, rptr,
				                   "expected an object");
			if ((error = load_heur_rule(&b->rules[i], f, rule,
			                            rptr)) < 0)
				return error;
			i++;
		}
		for (j = 0; b->extensions[j]; j++) {
			if (langdb_lower_key(key, sizeof(key),
			                     b->extensions[j]) < 0 ||
			    key[0] != '.')
				return rules_error(f, ptr,
				                   "bad extension \"%s\"",
				                   b->extensions[j]);
			if (pyo_strmap_get(&db->heur_by_ext, key, strlen(key)))
				return rules_error(f, ptr,
				                   "extension \"%s\" already "
				                   "has heuristics",
				                   key);
			if ((error = pyo_strmap_put(&db->heur_by_ext, key,
			                            strlen(key), b)) < 0)
				return error;
		}
	}
	return 0;
}

int langdb_resolve_heuristics(struct pyo_langdb *db)
{
	size_t i, j, k;

	for (i = 0; i < db->heur_blocks.nr; i++) {
		struct pyo_heur_block *b = db->heur_blocks.items[i];

		for (j = 0; j < b->nr_rules; j++) {
			struct pyo_heur_rule *r = &b->rules[j];

			r->langs = calloc(r->nr_langs, sizeof(*r->langs));
			if (!r->langs)
				return pyo_error_oom();
			for (k = 0; k < r->nr_langs; k++) {
				r->langs[k] = pyo_language_find_db(
				        db, r->lang_names[k]);
				if (!r->langs[k])
					return pyo_error_setc(
					        PYO_ERULES,
					        "rules/heuristics.json: %s "
					        "(%s): unknown language "
					        "\"%s\"",
					        b->id, r->pointer,
					        r->lang_names[k]);
			}
			for (k = 0; k < r->nr_pos; k++)
				pcre2_jit_compile(r->pos[k].code,
				                  PCRE2_JIT_COMPLETE);
			for (k = 0; k < r->nr_neg; k++)
				pcre2_jit_compile(r->neg[k].code,
				                  PCRE2_JIT_COMPLETE);
		}
	}
	return 0;
}
