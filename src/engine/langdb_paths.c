/*
 * langdb_paths.c: rules/paths.json, the path and content rules for
 * vendored, generated, documentation, binary and scope files, and the
 * unions of each category's path rules built by pyo_langdb_finish().
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

void langdb_path_rule_free(void *p)
{
	struct pyo_path_rule *r = p;

	if (!r)
		return;
	free(r->id);
	free(r->description);
	free(r->pattern);
	free(r->content);
	pcre2_code_free(r->re_path);
	langdb_regex_release(&r->re_content);
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
		    !(r->re_path =
		              langdb_re_compile(f, sub, pattern, 0, &error)))
			return error < 0 ? error : PYO_ERROR;
	}
	if (content) {
		snprintf(sub, sizeof(sub), "%s/content", ptr);
		if (!(r->content = pyo_strdup(content)) ||
		    !(r->re_content.code = langdb_re_compile(
		              f, sub, content, PCRE2_MULTILINE, &error)))
			return error < 0 ? error : PYO_ERROR;
		if ((error = pyo_relit_kwset(&r->re_content.lits, &content, 1,
		                             PCRE2_MULTILINE)) < 0)
			return error;
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

int langdb_load_paths(struct pyo_langdb *db, const struct rules_file *f)
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

/* 1 when a path rule can only match folders: it ends with '/' and
 * cannot look past its match. */

static int is_dir_rule(const char *p)
{
	size_t n = strlen(p);

	return n && p[n - 1] == '/' && !strchr(p, '$') && !strstr(p, "(?=") &&
	       !strstr(p, "(?!");
}

static int compile_union(struct pyo_regex *out,
                         struct pyo_path_set *s,
                         int which /* 0 all, 1 folders, 2 others */)
{
	struct pyo_buf b = { 0 };
	const char **src = calloc(s->nr + 1, sizeof(*src));
	PCRE2_SIZE erroff;
	size_t i, n = 0;
	int code;

	if (!src)
		return pyo_error_oom();

	for (i = 0; i < s->nr; i++) {
		if ((which == 1 && !s->rules[i]->dir_only) ||
		    (which == 2 && s->rules[i]->dir_only))
			continue;
		pyo_buf_printf(&b, "%s(?:%s)", n ? "|" : "",
		               s->rules[i]->pattern);
		src[n++] = s->rules[i]->pattern;
	}
	if (!n || !b.ptr) {
		free(src);
		return n ? pyo_error_oom() : 0;
	}
	out->code = pcre2_compile((PCRE2_SPTR)b.ptr, b.len, 0, &code, &erroff,
	                          NULL);
	pyo_buf_release(&b);
	if (!out->code) {
		free(src);
		return pyo_error_setc(PYO_ERULES,
		                      "cannot combine path rules (error %d)",
		                      code);
	}
	pcre2_jit_compile(out->code, PCRE2_JIT_COMPLETE);
	/* the union's literals: the path rules are matched on every path */
	code = pyo_relit_kwset(&out->lits, src, n, 0);
	free(src);
	return code < 0 ? code : 0;
}

int langdb_build_union(struct pyo_path_set *s)
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

int langdb_build_content_union(struct pyo_langdb *db)
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
	memset(&s.any, 0, sizeof(s.any));
done:
	langdb_regex_release(&s.any);
	free(s.rules);
	return error;
}
