/*
 * langdb_load.c: turns rules/languages.json, heuristics.json and
 * paths.json into the lookup tables and compiled patterns that classify.c
 * uses. Regexes are compiled while the file is at hand (so a bad one is
 * reported at its line), JIT-compiled in pyo_langdb_finish().
 *
 * This file dispatches on the file's "kind", loads the languages and
 * finishes the database; langdb_heur.c loads the heuristics and
 * langdb_paths.c the path rules and their unions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

int langdb_lower_key(char *out, size_t n, const char *s)
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

void langdb_regex_release(struct pyo_regex *re)
{
	pcre2_code_free(re->code);
	re->code = NULL;
	if (re->lits) {
		kw_release(re->lits);
		free(re->lits);
		re->lits = NULL;
	}
}

pcre2_code *langdb_re_compile(const struct rules_file *f,
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

	if (langdb_lower_key(key, sizeof(key), l->name) < 0)
		return rules_error(f, ptr, "name too long");
	if (pyo_strmap_get(&db->by_name, key, strlen(key)))
		return rules_error(f, ptr, "duplicate language \"%s\"",
		                   l->name);
	if ((error = pyo_strmap_put(&db->by_name, key, strlen(key), l)) < 0)
		return error;
	/* Linguist's default alias: the name with dashes for spaces, so
	 * that linguist-language=Jupyter-Notebook works */
	if (strchr(key, ' ')) {
		char *c;

		for (c = key; *c; c++)
			if (*c == ' ')
				*c = '-';
		if (!pyo_strmap_get(&db->by_name, key, strlen(key)) &&
		    (error = pyo_strmap_put(&db->by_name, key, strlen(key),
		                            l)) < 0)
			return error;
	}
	for (i = 0; l->aliases[i]; i++) {
		if (langdb_lower_key(key, sizeof(key), l->aliases[i]) < 0)
			continue;
		if (!pyo_strmap_get(&db->by_name, key, strlen(key)) &&
		    (error = pyo_strmap_put(&db->by_name, key, strlen(key),
		                            l)) < 0)
			return error;
	}
	for (i = 0; l->extensions[i]; i++) {
		if (l->extensions[i][0] != '.' ||
		    langdb_lower_key(key, sizeof(key), l->extensions[i]) < 0)
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
		error = langdb_load_heuristics(db, f);
	else if (!strcmp(kind->valuestring, "paths"))
		error = langdb_load_paths(db, f);
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

static unsigned long generations;

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
	if ((error = langdb_resolve_heuristics(db)) < 0)
		return error;
	for (i = 0; i < PYO_PC_COUNT; i++)
		if ((error = langdb_build_union(&db->sets[i])) < 0)
			return error;
	/* a new number for every rule set, even at a reused address */
	db->generation = __atomic_add_fetch(&generations, 1, __ATOMIC_RELAXED);
	if ((error = langdb_build_content_union(db)) < 0)
		return error;
	for (i = 0; i < db->path_rules.nr; i++) {
		struct pyo_path_rule *r = db->path_rules.items[i];

		if (r->re_path)
			pcre2_jit_compile(r->re_path, PCRE2_JIT_COMPLETE);
		if (r->re_content.code)
			pcre2_jit_compile(r->re_content.code,
			                  PCRE2_JIT_COMPLETE);
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

	if (!db || !name || langdb_lower_key(key, sizeof(key), name) < 0)
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
	pyo_vec_clear(&db->heur_blocks, langdb_heur_block_free);
	pyo_strmap_clear(&db->heur_by_ext, NULL);
	for (i = 0; i < PYO_PC_COUNT; i++) {
		free(db->sets[i].rules);
		langdb_regex_release(&db->sets[i].any);
		langdb_regex_release(&db->sets[i].any_dir);
		langdb_regex_release(&db->sets[i].any_file);
	}
	pyo_vec_release(&db->content_rules);
	pyo_vec_clear(&db->path_rules, langdb_path_rule_free);
	langdb_regex_release(&db->content_any);
	pcre2_code_free(db->modeline_emacs);
	pcre2_code_free(db->modeline_vim);
	free(db->versions);
	free(db);
}
