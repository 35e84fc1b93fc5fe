/*
 * langdb_load.c: turns rules/languages.json, heuristics.json and
 * paths.json into the lookup tables and compiled patterns that classify.c
 * uses. Regexes are compiled while the file is at hand (so a bad one is
 * reported at its line), JIT-compiled in pyo_langdb_finish().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

static int lower_key(char *out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i + 1 >= n)
			return -1;
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	}
	out[i] = '\0';
	return 0;
}

static void cands_free(void *p)
{
	struct pyo_cands *c = p;

	if (!c)
		return;
	free(c->v);
	free(c);
}

static int
cands_add(struct pyo_strmap *map, const char *key, const struct pyo_language *l)
{
	struct pyo_strmap_entry *e = pyo_strmap_slot(map, key, strlen(key));
	struct pyo_cands *c;
	size_t i;

	if (!e)
		return PYO_ERROR;
	if (!e->value && !(e->value = calloc(1, sizeof(struct pyo_cands))))
		return pyo_error_oom();
	c = e->value;
	for (i = 0; i < c->nr; i++)
		if (c->v[i] == l)
			return 0;
	if (PYO_ARRAY_GROW(c->v, c->nr, c->alloc) < 0)
		return PYO_ERROR;
	c->v[c->nr++] = l;
	return 0;
}

const struct pyo_cands *
pyo_langdb_cands(const struct pyo_strmap *map, const char *key, size_t len)
{
	return pyo_strmap_get(map, key, len);
}

static pcre2_code *re_compile(const struct rules_file *f,
                              const char *ptr,
                              const char *src,
                              uint32_t opts,
                              int *error)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	PCRE2_SIZE erroff = 0;
	pcre2_code *re;
	int code = 0;

	if (!cc) {
		*error = pyo_error_oom();
		return NULL;
	}
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &code,
	                   &erroff, cc);
	pcre2_compile_context_free(cc);
	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		*error = rules_error(f, ptr, "invalid regex at offset %zu: %s",
		                     (size_t)erroff, (char *)msg);
	}
	return re;
}

static void language_free(void *p)
{
	struct pyo_language *l = p;
	size_t i;

	if (!l)
		return;
	free(l->name);
	free(l->group);
	rules_strv_free(l->aliases);
	rules_strv_free(l->extensions);
	rules_strv_free(l->filenames);
	rules_strv_free(l->interpreters);
	rules_strv_free(l->examples);
	rules_strv_free(l->line_comments);
	rules_strv_free(l->block_open);
	rules_strv_free(l->block_close);
	for (i = 0; i < l->nr_quotes; i++) {
		free(l->quotes[i].open);
		free(l->quotes[i].close);
	}
	free(l->quotes);
	free(l);
}

static int parse_type(enum pyo_lang_type *out, const char *s)
{
	static const char *const names[] = { "programming", "markup", "data",
		                             "prose" };
	size_t i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum pyo_lang_type)i;
			return 0;
		}
	return -1;
}

static int load_comments(struct pyo_language *l,
                         const struct rules_file *f,
                         const cJSON *obj,
                         const char *ptr)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "comments");
	const cJSON *blocks, *strings, *e;
	char cptr[256], eptr[300];
	size_t i;
	int error;

	if (!c)
		return 0;
	snprintf(cptr, sizeof(cptr), "%s/comments", ptr);
	if (!cJSON_IsObject(c))
		return rules_error(f, cptr, "expected an object");
	if ((error = rules_get_strv(&l->line_comments, &l->nr_line_comments, f,
	                            c, cptr, "line", 0)) < 0)
		return error;
	l->is_nested_blocks =
	        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "nested"));
	blocks = cJSON_GetObjectItemCaseSensitive(c, "block");
	strings = cJSON_GetObjectItemCaseSensitive(c, "strings");
	i = (size_t)cJSON_GetArraySize(blocks);
	l->block_open = calloc(i + 1, sizeof(char *));
	l->block_close = calloc(i + 1, sizeof(char *));
	if (!l->block_open || !l->block_close)
		return pyo_error_oom();
	i = 0;
	cJSON_ArrayForEach(e, blocks)
	{
		const cJSON *o = cJSON_GetArrayItem(e, 0);
		const cJSON *cl = cJSON_GetArrayItem(e, 1);

		snprintf(eptr, sizeof(eptr), "%s/block/%zu", cptr, i);
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
		    !cJSON_IsString(o) || !cJSON_IsString(cl) ||
		    !*o->valuestring || !*cl->valuestring)
			return rules_error(f, eptr,
			                   "expected [\"open\", \"close\"]");
		l->block_open[i] = pyo_strdup(o->valuestring);
		l->block_close[i] = pyo_strdup(cl->valuestring);
		if (!l->block_open[i] || !l->block_close[i])
			return PYO_ERROR;
		l->nr_blocks = ++i;
	}
	i = (size_t)cJSON_GetArraySize(strings);
	l->quotes = calloc(i + 1, sizeof(*l->quotes));
	if (!l->quotes)
		return pyo_error_oom();
	i = 0;
	cJSON_ArrayForEach(e, strings)
	{
		const cJSON *o = cJSON_GetArrayItem(e, 0);
		const cJSON *cl = cJSON_GetArrayItem(e, 1);
		const cJSON *fl = cJSON_GetArrayItem(e, 2);

		snprintf(eptr, sizeof(eptr), "%s/strings/%zu", cptr, i);
		if (!cJSON_IsArray(e) || !cJSON_IsString(o) ||
		    !cJSON_IsString(cl) || !*o->valuestring ||
		    !*cl->valuestring || (fl && !cJSON_IsString(fl)))
			return rules_error(f, eptr,
			                   "expected [\"open\", \"close\", "
			                   "\"flags\"]");
		l->quotes[i].open = pyo_strdup(o->valuestring);
		l->quotes[i].close = pyo_strdup(cl->valuestring);
		if (!l->quotes[i].open || !l->quotes[i].close)
			return PYO_ERROR;
		l->quotes[i].is_multiline = fl && strchr(fl->valuestring, 'm');
		l->quotes[i].is_raw = fl && strchr(fl->valuestring, 'r');
		l->nr_quotes = ++i;
	}
	return 0;
}

static void set_first_bytes(struct pyo_language *l)
{
	size_t i;

	memset(l->first_bytes, 0, sizeof(l->first_bytes));
	for (i = 0; i < l->nr_line_comments; i++)
		l->first_bytes[(unsigned char)l->line_comments[i][0]] = 1;
	for (i = 0; i < l->nr_blocks; i++)
		l->first_bytes[(unsigned char)l->block_open[i][0]] = 1;
	for (i = 0; i < l->nr_quotes; i++)
		l->first_bytes[(unsigned char)l->quotes[i].open[0]] = 1;
}

static int index_language(struct pyo_langdb *db,
                          struct pyo_language *l,
                          const struct rules_file *f,
                          const char *ptr)
{
	char key[256];
	size_t i;
	int error;

	if (lower_key(key, sizeof(key), l->name) < 0)
		return rules_error(f, ptr, "name too long");
	if (pyo_strmap_get(&db->by_name, key, strlen(key)))
		return rules_error(f, ptr, "duplicate language \"%s\"",
		                   l->name);
	if ((error = pyo_strmap_put(&db->by_name, key, strlen(key), l)) < 0)
		return error;
	for (i = 0; l->aliases[i]; i++) {
		if (lower_key(key, sizeof(key), l->aliases[i]) < 0)
			continue;
		if (!pyo_strmap_get(&db->by_name, key, strlen(key)) &&
		    (error = pyo_strmap_put(&db->by_name, key, strlen(key),
		                            l)) < 0)
			return error;
	}
	for (i = 0; l->extensions[i]; i++) {
		if (l->extensions[i][0] != '.' ||
		    lower_key(key, sizeof(key), l->extensions[i]) < 0)
			return rules_error(f, ptr,
			                   "extension \"%s\" must start with "
			                   "a dot",
			                   l->extensions[i]);
		if ((error = cands_add(&db->by_ext, key, l)) < 0)
			return error;
	}
	for (i = 0; l->filenames[i]; i++)
		if ((error = cands_add(&db->by_filename, l->filenames[i], l)) <
		    0)
			return error;
	for (i = 0; l->interpreters[i]; i++)
		if ((error = cands_add(&db->by_interpreter, l->interpreters[i],
		                       l)) < 0)
			return error;
	return 0;
}

static int load_languages(struct pyo_langdb *db, const struct rules_file *f)
{
	const cJSON *arr =
	        cJSON_GetObjectItemCaseSensitive(f->doc, "languages");
	const cJSON *item;
	char ptr[64];
	size_t n = 0;
	int error = 0;

	if (!cJSON_IsArray(arr))
		return rules_error(f, arr ? "/languages" : "",
		                   "expected an array \"languages\"");
	cJSON_ArrayForEach(item, arr)
	{
		struct pyo_language *l;
		const char *name, *type, *group;
		const cJSON *ex;

		snprintf(ptr, sizeof(ptr), "/languages/%zu", n++);
		if (!cJSON_IsObject(item))
			return rules_error(f, ptr, "expected an object");
		if ((error = rules_get_string(&name, f, item, ptr, "name", 1)) <
		            0 ||
		    (error = rules_get_string(&type, f, item, ptr, "type", 1)) <
		            0 ||
		    (error = rules_get_string(&group, f, item, ptr, "group",
		                              0)) < 0)
			return error;
		if (!(l = calloc(1, sizeof(*l))))
			return pyo_error_oom();
		l->order = db->languages.nr;
		if ((error = pyo_vec_push(&db->languages, l)) < 0) {
			language_free(l);
			return error;
		}
		if (!(l->name = pyo_strdup(name)) ||
		    (group && !(l->group = pyo_strdup(group))))
			return PYO_ERROR;
		if (parse_type(&l->type, type) < 0) {
			char tptr[80];

			snprintf(tptr, sizeof(tptr), "%s/type", ptr);
			return rules_error(f, tptr,
			                   "expected programming, markup, "
			                   "data or prose");
		}
		ex = cJSON_GetObjectItemCaseSensitive(item, "examples");
		if ((error = rules_get_strv(&l->aliases, NULL, f, item, ptr,
		                            "aliases", 0)) < 0 ||
		    (error = rules_get_strv(&l->extensions, NULL, f, item, ptr,
		                            "extensions", 0)) < 0 ||
		    (error = rules_get_strv(&l->filenames, NULL, f, item, ptr,
		                            "filenames", 0)) < 0 ||
		    (error = rules_get_strv(&l->interpreters, NULL, f, item,
		                            ptr, "interpreters", 0)) < 0 ||
		    (error = load_comments(l, f, item, ptr)) < 0)
			return error;
		if (ex) {
			char eptr[80];

			snprintf(eptr, sizeof(eptr), "%s/examples", ptr);
			if ((error = rules_get_strv(&l->examples, NULL, f, ex,
			                            eptr, "match", 0)) < 0)
				return error;
		} else if (!(l->examples = calloc(1, sizeof(char *)))) {
			return pyo_error_oom();
		}
		set_first_bytes(l);
		if ((error = index_language(db, l, f, ptr)) < 0)
			return error;
	}
	return 0;
}

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

static int add_code(pcre2_code ***arr, size_t *nr, pcre2_code *re)
{
	pcre2_code **n = realloc(*arr, (*nr + 1) * sizeof(**arr));

	if (!n) {
		pcre2_code_free(re);
		return pyo_error_oom();
	}
	*arr = n;
	(*arr)[(*nr)++] = re;
	return 0;
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
		re = re_compile(f, kptr, src, PCRE2_MULTILINE, &error);
		free(src);
		if (!re)
			return error;
		if ((error = k == 2 ? add_code(&r->neg, &r->nr_neg, re)
		                    : add_code(&r->pos, &r->nr_pos, re)) < 0)
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

static void heur_block_free(void *p)
{
	struct pyo_heur_block *b = p;
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->nr_rules; i++) {
		struct pyo_heur_rule *r = &b->rules[i];

		for (j = 0; j < r->nr_pos; j++)
			pcre2_code_free(r->pos[j]);
		for (j = 0; j < r->nr_neg; j++)
			pcre2_code_free(r->neg[j]);
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

static int load_heuristics(struct pyo_langdb *db, const struct rules_file *f)
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
			if (lower_key(key, sizeof(key), b->extensions[j]) < 0 ||
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

static void path_rule_free(void *p)
{
	struct pyo_path_rule *r = p;

	if (!r)
		return;
	free(r->id);
	free(r->description);
	free(r->pattern);
	free(r->content);
	pcre2_code_free(r->re_path);
	pcre2_code_free(r->re_content);
	rules_strv_free(r->match);
	rules_strv_free(r->nomatch);
	rules_strv_free(r->cmatch);
	rules_strv_free(r->cnomatch);
	free(r);
}

static int
parse_category(struct pyo_path_rule *r, const char *cat, const char *scope)
{
	static const char *const cats[] = { "vendored", "generated",
		                            "documentation", "binary",
		                            "scope" };
	static const char *const scopes[] = { "service", "test", "example",
		                              "docs", "research" };
	size_t i;

	for (i = 0; i < PYO_PC_COUNT; i++)
		if (!strcmp(cat, cats[i]))
			break;
	if (i == PYO_PC_COUNT)
		return -1;
	r->category = (enum pyo_path_category)i;
	if (r->category != PYO_PC_SCOPE)
		return 0;
	for (i = 0; scope && i < PYO_SCOPE_COUNT; i++)
		if (!strcmp(scope, scopes[i])) {
			r->scope = (enum pyo_scope)i;
			return 0;
		}
	return -2;
}

/*
 * Examples of a content rule are {"path": ..., "content": ...} objects,
 * kept as "path\0content" strings.
 */
static int load_content_examples(char ***out,
                                 const struct rules_file *f,
                                 const cJSON *arr,
                                 const char *ptr)
{
	const cJSON *e;
	size_t n = 0;
	char eptr[300];

	*out = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	if (!*out)
		return pyo_error_oom();
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "path");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "content");
		size_t pl, cl;

		snprintf(eptr, sizeof(eptr), "%s/%zu", ptr, n);
		if (!cJSON_IsString(p) || !cJSON_IsString(c))
			return rules_error(f, eptr,
			                   "expected {\"path\": ..., "
			                   "\"content\": ...}");
		pl = strlen(p->valuestring);
		cl = strlen(c->valuestring);
		if (!((*out)[n] = malloc(pl + cl + 2)))
			return pyo_error_oom();
		memcpy((*out)[n], p->valuestring, pl + 1);
		memcpy((*out)[n] + pl + 1, c->valuestring, cl + 1);
		n++;
	}
	return 0;
}

static int load_path_rule(struct pyo_langdb *db,
                          struct pyo_path_rule *r,
                          const struct rules_file *f,
                          const cJSON *item,
                          const char *ptr)
{
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(item, "examples");
	const char *id, *desc, *cat, *scope, *pattern, *content;
	double avg = 0, cbytes = 0;
	char sub[128];
	int error;

	if ((error = rules_get_string(&id, f, item, ptr, "id", 1)) < 0 ||
	    (error = rules_get_string(&desc, f, item, ptr, "description", 1)) <
	            0 ||
	    (error = rules_get_string(&cat, f, item, ptr, "category", 1)) < 0 ||
	    (error = rules_get_string(&scope, f, item, ptr, "scope", 0)) < 0 ||
	    (error = rules_get_string(&pattern, f, item, ptr, "pattern", 0)) <
	            0 ||
	    (error = rules_get_string(&content, f, item, ptr, "content", 0)) <
	            0 ||
	    (error = rules_get_number(&avg, f, item, ptr, "min_avg_line_length",
	                              0)) < 0 ||
	    (error = rules_get_number(&cbytes, f, item, ptr, "content_bytes",
	                              0)) < 0)
		return error;
	if (!(r->id = pyo_strdup(id)) || !(r->description = pyo_strdup(desc)))
		return PYO_ERROR;
	switch (parse_category(r, cat, scope)) {
	case -1:
		snprintf(sub, sizeof(sub), "%s/category", ptr);
		return rules_error(f, sub,
		                   "expected vendored, generated, "
		                   "documentation, binary or scope");
	case -2:
		return rules_error(f, ptr,
		                   "a scope rule needs \"scope\": test, "
		                   "example, docs or research");
	}
	if (!pattern && !content)
		return rules_error(f, ptr, "needs \"pattern\" or \"content\"");
	if (pattern) {
		snprintf(sub, sizeof(sub), "%s/pattern", ptr);
		if (!(r->pattern = pyo_strdup(pattern)) ||
		    !(r->re_path = re_compile(f, sub, pattern, 0, &error)))
			return error < 0 ? error : PYO_ERROR;
	}
	if (content) {
		snprintf(sub, sizeof(sub), "%s/content", ptr);
		if (!(r->content = pyo_strdup(content)) ||
		    !(r->re_content = re_compile(f, sub, content,
		                                 PCRE2_MULTILINE, &error)))
			return error < 0 ? error : PYO_ERROR;
	}
	r->min_avg_line = avg;
	r->content_bytes = cbytes > 0 ? (size_t)cbytes : 4096;
	if ((content || avg > 0) && r->category == PYO_PC_SCOPE)
		return rules_error(f, ptr, "scope rules match paths only");
	snprintf(sub, sizeof(sub), "%s/examples", ptr);
	if (!cJSON_IsObject(ex))
		return rules_error(f, ptr, "every rule needs \"examples\"");
	if (content || avg > 0) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(ex, "match");
		const cJSON *nm =
		        cJSON_GetObjectItemCaseSensitive(ex, "nomatch");
		char mptr[160];

		snprintf(mptr, sizeof(mptr), "%s/match", sub);
		if ((error = load_content_examples(&r->cmatch, f, m, mptr)) < 0)
			return error;
		snprintf(mptr, sizeof(mptr), "%s/nomatch", sub);
		if ((error = load_content_examples(&r->cnomatch, f, nm, mptr)) <
		    0)
			return error;
		if (!r->cmatch[0] || !r->cnomatch[0])
			return rules_error(f, sub,
			                   "needs match and nomatch "
			                   "examples");
		return pyo_vec_push(&db->content_rules, r);
	}
	if ((error = rules_get_strv(&r->match, NULL, f, ex, sub, "match", 1)) <
	            0 ||
	    (error = rules_get_strv(&r->nomatch, NULL, f, ex, sub, "nomatch",
	                            1)) < 0)
		return error;
	if (!r->match[0] || !r->nomatch[0])
		return rules_error(f, sub, "needs match and nomatch examples");
	{
		struct pyo_path_set *s = &db->sets[r->category];

		if (PYO_ARRAY_GROW(s->rules, s->nr, s->alloc) < 0)
			return PYO_ERROR;
		s->rules[s->nr++] = r;
	}
	return 0;
}

static int load_paths(struct pyo_langdb *db, const struct rules_file *f)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(f->doc, "rules");
	const cJSON *item;
	char ptr[64];
	size_t n = 0, i;
	int error;

	if (!cJSON_IsArray(arr))
		return rules_error(f, arr ? "/rules" : "",
		                   "expected an array \"rules\"");
	cJSON_ArrayForEach(item, arr)
	{
		struct pyo_path_rule *r;

		snprintf(ptr, sizeof(ptr), "/rules/%zu", n++);
		if (!cJSON_IsObject(item))
			return rules_error(f, ptr, "expected an object");
		if (!(r = calloc(1, sizeof(*r))))
			return pyo_error_oom();
		if ((error = pyo_vec_push(&db->path_rules, r)) < 0) {
			free(r);
			return error;
		}
		if ((error = load_path_rule(db, r, f, item, ptr)) < 0)
			return error;
		for (i = 0; i + 1 < db->path_rules.nr; i++)
			if (!strcmp(((struct pyo_path_rule *)
			                     db->path_rules.items[i])
			                    ->id,
			            r->id))
				return rules_error(
				        f, ptr, "duplicate id \"%s\"", r->id);
	}
	return 0;
}

int pyo_langdb_load(struct pyo_langdb **dbp, const struct rules_file *f)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(f->doc, "kind");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(f->doc, "version");
	struct pyo_langdb *db = *dbp;
	struct pyo_buf v = { 0 };
	int error;

	if (!db) {
		if (!(db = calloc(1, sizeof(*db))))
			return pyo_error_oom();
		*dbp = db;
	}
	if (!cJSON_IsString(kind))
		return rules_error(f, "", "missing \"kind\"");
	if (!strcmp(kind->valuestring, "languages"))
		error = load_languages(db, f);
	else if (!strcmp(kind->valuestring, "heuristics"))
		error = load_heuristics(db, f);
	else if (!strcmp(kind->valuestring, "paths"))
		error = load_paths(db, f);
	else
		error = rules_error(f, "/kind", "not a language rule file");
	if (error < 0)
		return error;
	if (db->versions)
		pyo_buf_printf(&v, "%s,", db->versions);
	pyo_buf_printf(&v, "%s@%s", kind->valuestring,
	               cJSON_IsString(ver) ? ver->valuestring : "?");
	free(db->versions);
	db->versions = pyo_buf_detach(&v);
	return 0;
}

/* 1 when a path rule can only match folders: it ends with '/' and
 * cannot look past its match. */
static unsigned long generations;

static int is_dir_rule(const char *p)
{
	size_t n = strlen(p);

	return n && p[n - 1] == '/' && !strchr(p, '$') && !strstr(p, "(?=") &&
	       !strstr(p, "(?!");
}

static int compile_union(pcre2_code **out,
                         struct pyo_path_set *s,
                         int which /* 0 all, 1 folders, 2 others */)
{
	struct pyo_buf b = { 0 };
	PCRE2_SIZE erroff;
	size_t i, n = 0;
	int code;

	*out = NULL;
	for (i = 0; i < s->nr; i++) {
		if ((which == 1 && !s->rules[i]->dir_only) ||
		    (which == 2 && s->rules[i]->dir_only))
			continue;
		pyo_buf_printf(&b, "%s(?:%s)", n++ ? "|" : "",
		               s->rules[i]->pattern);
	}
	if (!n)
		return 0;
	if (!b.ptr)
		return pyo_error_oom();
	*out = pcre2_compile((PCRE2_SPTR)b.ptr, b.len, 0, &code, &erroff, NULL);
	pyo_buf_release(&b);
	if (!*out)
		return pyo_error_setc(PYO_ERULES,
		                      "cannot combine path rules (error %d)",
		                      code);
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

static int build_union(struct pyo_path_set *s)
{
	size_t i;
	int error;

	if (!s->nr)
		return 0;
	for (i = 0; i < s->nr; i++) {
		s->rules[i]->order = (unsigned)i;
		s->rules[i]->dir_only = is_dir_rule(s->rules[i]->pattern);
	}
	if ((error = compile_union(&s->any, s, 0)) < 0 ||
	    (error = compile_union(&s->any_dir, s, 1)) < 0 ||
	    (error = compile_union(&s->any_file, s, 2)) < 0)
		return error;
	return 0;
}

static int build_content_union(struct pyo_langdb *db)
{
	struct pyo_path_set s = { 0 };
	size_t i;
	int error = 0;

	for (i = 0; i < db->content_rules.nr; i++) {
		struct pyo_path_rule *r = db->content_rules.items[i];

		if (!r->pattern) {
			db->content_all = 1;
			continue;
		}
		if (PYO_ARRAY_GROW(s.rules, s.nr, s.alloc) < 0) {
			error = PYO_ERROR;
			goto done;
		}
		s.rules[s.nr++] = r;
	}
	if ((error = compile_union(&s.any, &s, 0)) < 0)
		goto done;
	db->content_any = s.any;
done:
	free(s.rules);
	return error;
}

static int resolve_heuristics(struct pyo_langdb *db)
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
				pcre2_jit_compile(r->pos[k],
				                  PCRE2_JIT_COMPLETE);
			for (k = 0; k < r->nr_neg; k++)
				pcre2_jit_compile(r->neg[k],
				                  PCRE2_JIT_COMPLETE);
		}
	}
	return 0;
}

/* Linguist's lib/linguist/strategy/modeline.rb, as PCRE2. */
static const char emacs_modeline[] =
        "-\\*-(?:\\s*(?=[^:;\\s]+\\s*-\\*-)|(?:.*?[;\\s]|(?<=-\\*-))"
        "mode\\s*:\\s*)([^:;\\s]+)(?=[\\s;]|(?<![-*])-\\*-).*?-\\*-";
static const char vim_modeline[] =
        "(?:(?:^|[ \\t])(?:vi|Vi(?=m))(?:m[<=>]?[0-9]+|m)?|[ \\t]ex)"
        "(?=:(?=[ \\t]*set?[ \\t][^\\r\\n:]+:)|:(?![ \\t]*set?[ \\t]))"
        "(?:(?:[ \\t]*:[ \\t]*|[ \\t])\\w*(?:[ \\t]*=(?:[^\\\\\\s]|\\\\.)*)?)*"
        "[ \\t:](?:filetype|ft|syntax)[ \\t]*=(\\w+)(?=$|\\s|:)";

static int compile_modelines(struct pyo_langdb *db)
{
	PCRE2_SIZE erroff;
	int code;

	db->modeline_emacs =
	        pcre2_compile((PCRE2_SPTR)emacs_modeline, PCRE2_ZERO_TERMINATED,
	                      PCRE2_CASELESS, &code, &erroff, NULL);
	db->modeline_vim =
	        pcre2_compile((PCRE2_SPTR)vim_modeline, PCRE2_ZERO_TERMINATED,
	                      PCRE2_MULTILINE, &code, &erroff, NULL);
	if (!db->modeline_emacs || !db->modeline_vim)
		return pyo_error_set("cannot compile the modeline patterns");
	pcre2_jit_compile(db->modeline_emacs, PCRE2_JIT_COMPLETE);
	pcre2_jit_compile(db->modeline_vim, PCRE2_JIT_COMPLETE);
	return 0;
}

int pyo_langdb_finish(struct pyo_langdb *db)
{
	size_t i;
	int error;

	if (!db)
		return pyo_error_setc(PYO_ERULES, "no language rules");
	if (db->is_finished)
		return 0;
	if (!db->languages.nr)
		return pyo_error_setc(PYO_ERULES,
		                      "no languages (rules/languages.json)");
	if ((error = resolve_heuristics(db)) < 0)
		return error;
	for (i = 0; i < PYO_PC_COUNT; i++)
		if ((error = build_union(&db->sets[i])) < 0)
			return error;
	/* a new number for every rule set, even at a reused address */
	db->generation = __atomic_add_fetch(&generations, 1, __ATOMIC_RELAXED);
	if ((error = build_content_union(db)) < 0)
		return error;
	for (i = 0; i < db->path_rules.nr; i++) {
		struct pyo_path_rule *r = db->path_rules.items[i];

		if (r->re_path)
			pcre2_jit_compile(r->re_path, PCRE2_JIT_COMPLETE);
		if (r->re_content)
			pcre2_jit_compile(r->re_content, PCRE2_JIT_COMPLETE);
	}
	for (i = 0; i < db->languages.nr; i++) {
		struct pyo_language *l = db->languages.items[i];

		l->group_lang =
		        l->group ? pyo_language_find_db(db, l->group) : NULL;
		if (!l->group_lang)
			l->group_lang = l;
	}
	if ((error = compile_modelines(db)) < 0)
		return error;
	db->text = pyo_language_find_db(db, "Text");
	db->notebook = pyo_language_find_db(db, "Jupyter Notebook");
	db->is_finished = 1;
	return 0;
}

const struct pyo_language *pyo_language_find_db(const struct pyo_langdb *db,
                                                const char *name)
{
	char key[256];

	if (!db || !name || lower_key(key, sizeof(key), name) < 0)
		return NULL;
	return pyo_strmap_get(&db->by_name, key, strlen(key));
}

void pyo_langdb_free(struct pyo_langdb *db)
{
	size_t i;

	if (!db)
		return;
	pyo_vec_clear(&db->languages, language_free);
	pyo_strmap_clear(&db->by_name, NULL);
	pyo_strmap_clear(&db->by_ext, cands_free);
	pyo_strmap_clear(&db->by_filename, cands_free);
	pyo_strmap_clear(&db->by_interpreter, cands_free);
	pyo_vec_clear(&db->heur_blocks, heur_block_free);
	pyo_strmap_clear(&db->heur_by_ext, NULL);
	for (i = 0; i < PYO_PC_COUNT; i++) {
		free(db->sets[i].rules);
		pcre2_code_free(db->sets[i].any);
		pcre2_code_free(db->sets[i].any_dir);
		pcre2_code_free(db->sets[i].any_file);
	}
	pyo_vec_release(&db->content_rules);
	pyo_vec_clear(&db->path_rules, path_rule_free);
	pcre2_code_free(db->content_any);
	pcre2_code_free(db->modeline_emacs);
	pcre2_code_free(db->modeline_vim);
	free(db->versions);
	free(db);
}
