/*
 * config.c: .pyorgo.json. Needs (the flags' keys) and the policy that
 * `pyorgo check` enforces. Positions in messages come from the rule
 * loader's locator (rules_error), so a mistake reads
 * ".pyorgo.json:LINE:COL: key: expected ...".
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/config.h"
#include "rules_int.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define PTR_MAX 256

/* Builds a JSON pointer; a too long one is cut (it only locates errors). */
static void ptrf(char *buf, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void ptrf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PTR_MAX, fmt, ap);
	va_end(ap);
}

void pyo_config_free(struct pyo_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->name);
	free((char *)c->needs.service);
	free(c->language);
	for (i = 0; i < c->nr_paths; i++) {
		free(c->paths[i].prefix);
		free(c->paths[i].language);
	}
	free(c->paths);
	for (i = 0; i < c->nr_allow; i++)
		free(c->allow[i]);
	free(c->allow);
	for (i = 0; i < c->nr_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

/* A located error, as PYO_EINVALID. */
static int bad(const struct rules_file *f,
               const char *ptr,
               const char *key,
               const char *expected)
{
	rules_error(f, ptr, "%s: expected %s", key, expected);
	return PYO_EINVALID;
}

static int warn(struct pyo_config *c,
                const struct rules_file *f,
                const char *ptr,
                const char *where,
                const char *key)
{
	char **w;
	char *msg;

	rules_error(f, ptr, "unknown key '%s'%s (ignored)", key, where);
	msg = pyo_strdup(pyo_error_last());
	pyo_error_clear();
	w = realloc(c->warnings, (c->nr_warnings + 1) * sizeof(*w));
	if (!msg || !w) {
		free(msg);
		if (w)
			c->warnings = w;
		return pyo_error_oom();
	}
	c->warnings = w;
	c->warnings[c->nr_warnings++] = msg;
	return 0;
}

static const struct {
	const char *key;
	size_t off; /* of struct pyo_need in struct pyo_needs */
	int is_integer;
} need_keys[] = {
	{ "target_rps", offsetof(struct pyo_needs, target_rps), 0 },
	{ "p99_ms", offsetof(struct pyo_needs, p99_ms), 0 },
	{ "team_size", offsetof(struct pyo_needs, team_size), 1 },
	{ "price_per_server", offsetof(struct pyo_needs, price_per_server), 0 },
	{ "python_rps_per_core",
	  offsetof(struct pyo_needs, python_rps_per_core), 0 },
	{ "go_rps_per_core", offsetof(struct pyo_needs, go_rps_per_core), 0 },
	{ "cores_per_server", offsetof(struct pyo_needs, cores_per_server), 1 },
};

static int parse_need(struct pyo_config *c,
                      const struct rules_file *f,
                      const cJSON *it,
                      const char *ptr,
                      size_t k)
{
	struct pyo_need *n =
	        (struct pyo_need *)((char *)&c->needs + need_keys[k].off);
	double v = it->valuedouble;

	if (!cJSON_IsNumber(it) || !isfinite(v) || v <= 0 || v > 1e12)
		return bad(f, ptr, it->string,
		           need_keys[k].is_integer ? "an integer > 0"
		                                   : "a number > 0");
	if (need_keys[k].is_integer && v != floor(v))
		return bad(f, ptr, it->string, "an integer > 0");
	n->value = v;
	n->source = PYO_NEED_CONFIG;
	return 0;
}

static int is_language(const char *s)
{
	return !strcmp(s, "python") || !strcmp(s, "go");
}

int pyo_fail_on_parse(const char *s)
{
	if (!strcmp(s, "never"))
		return PYO_FAIL_NEVER;
	if (!strcmp(s, "contradiction"))
		return PYO_FAIL_CONTRADICTION;
	if (!strcmp(s, "flip"))
		return PYO_FAIL_FLIP;
	if (!strcmp(s, "hard-constraint"))
		return PYO_FAIL_HARD;
	return -1;
}

#define FAIL_ON_EXPECTED                                                     \
	"\"contradiction\", \"flip\", \"hard-constraint\" or \"never\" (or " \
	"an array of them)"

static int parse_fail_on(struct pyo_config *c,
                         const struct rules_file *f,
                         const cJSON *it,
                         const char *ptr)
{
	const cJSON *x;
	char sub[PTR_MAX];
	size_t i = 0;
	int flag;

	c->has_fail_on = 1;
	if (cJSON_IsString(it)) {
		if ((flag = pyo_fail_on_parse(it->valuestring)) < 0)
			return bad(f, ptr, "policy.fail_on", FAIL_ON_EXPECTED);
		c->fail_on = (unsigned)flag;
		return 0;
	}
	if (!cJSON_IsArray(it))
		return bad(f, ptr, "policy.fail_on", FAIL_ON_EXPECTED);
	cJSON_ArrayForEach(x, it)
	{
		ptrf(sub, "%s/%zu", ptr, i++);
		if (!cJSON_IsString(x) ||
		    (flag = pyo_fail_on_parse(x->valuestring)) < 0)
			return bad(f, sub, "policy.fail_on", FAIL_ON_EXPECTED);
		c->fail_on |= (unsigned)flag;
	}
	return 0;
}

static int cmp_paths(const void *a, const void *b)
{
	const struct pyo_policy_path *x = a, *y = b;
	size_t lx = strlen(x->prefix), ly = strlen(y->prefix);

	if (lx != ly)
		return lx < ly ? 1 : -1;
	return strcmp(x->prefix, y->prefix);
}

/* Appends `key` to the pointer `buf`, escaped as RFC 6901 asks. */
static void escape_key(char *buf, const char *key)
{
	size_t n = strlen(buf);

	for (; *key && n + 3 < PTR_MAX; key++) {
		if (*key == '~' || *key == '/') {
			buf[n++] = '~';
			buf[n++] = *key == '~' ? '0' : '1';
		} else {
			buf[n++] = *key;
		}
	}
	buf[n] = '\0';
}

static int parse_paths(struct pyo_config *c,
                       const struct rules_file *f,
                       const cJSON *it,
                       const char *ptr)
{
	const cJSON *x;
	char sub[PTR_MAX];

	if (!cJSON_IsObject(it))
		return bad(f, ptr, "policy.paths",
		           "an object of path prefix: \"python\" | \"go\"");
	c->paths =
	        calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof(*c->paths));
	if (!c->paths)
		return pyo_error_oom();
	cJSON_ArrayForEach(x, it)
	{
		struct pyo_policy_path *p = &c->paths[c->nr_paths];

		ptrf(sub, "%s/", ptr);
		escape_key(sub, x->string);
		if (!cJSON_IsString(x) || !is_language(x->valuestring))
			return bad(f, sub, "policy.paths",
			           "\"python\" or \"go\" for each prefix");
		p->prefix = pyo_strdup(x->string);
		p->language = pyo_strdup(x->valuestring);
		c->nr_paths++;
		if (!p->prefix || !p->language)
			return pyo_error_oom();
	}
	pyo_qsort(c->paths, c->nr_paths, sizeof(*c->paths), cmp_paths);
	return 0;
}

static int parse_allow(struct pyo_config *c,
                       const struct rules_file *f,
                       const cJSON *it,
                       const char *ptr)
{
	const cJSON *x;
	char sub[PTR_MAX];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(f, ptr, "policy.allow",
		           "an array of rule ids and path globs");
	c->allow =
	        calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof(*c->allow));
	if (!c->allow)
		return pyo_error_oom();
	cJSON_ArrayForEach(x, it)
	{
		ptrf(sub, "%s/%zu", ptr, i++);
		if (!cJSON_IsString(x) || !*x->valuestring)
			return bad(f, sub, "policy.allow",
			           "a non-empty string (rule id or path glob)");
		if (!(c->allow[c->nr_allow] = pyo_strdup(x->valuestring)))
			return pyo_error_oom();
		c->nr_allow++;
	}
	return 0;
}

static int
parse_policy(struct pyo_config *c, const struct rules_file *f, const cJSON *pol)
{
	const cJSON *it;
	char ptr[PTR_MAX];
	int error;

	if (!cJSON_IsObject(pol))
		return bad(f, "/policy", "policy", "an object");
	cJSON_ArrayForEach(it, pol)
	{
		ptrf(ptr, "/policy/%s", it->string);
		if (!strcmp(it->string, "language")) {
			if (!cJSON_IsString(it) ||
			    !is_language(it->valuestring))
				return bad(f, ptr, "policy.language",
				           "\"python\" or \"go\"");
			free(c->language);
			if (!(c->language = pyo_strdup(it->valuestring)))
				return pyo_error_oom();
			continue;
		}
		if (!strcmp(it->string, "paths"))
			error = parse_paths(c, f, it, ptr);
		else if (!strcmp(it->string, "fail_on"))
			error = parse_fail_on(c, f, it, ptr);
		else if (!strcmp(it->string, "allow"))
			error = parse_allow(c, f, it, ptr);
		else
			error = warn(c, f, ptr, " in policy", it->string);
		if (error < 0)
			return error;
	}
	return 0;
}

static int parse_root(struct pyo_config *c, const struct rules_file *f)
{
	const cJSON *it;
	char ptr[PTR_MAX];
	size_t k;
	int error = 0;

	if (!cJSON_IsObject(f->doc))
		return bad(f, "", "the document", "an object");
	cJSON_ArrayForEach(it, f->doc)
	{
		ptrf(ptr, "/%s", it->string);
		for (k = 0; k < sizeof(need_keys) / sizeof(*need_keys); k++)
			if (!strcmp(it->string, need_keys[k].key))
				break;
		if (k < sizeof(need_keys) / sizeof(*need_keys)) {
			error = parse_need(c, f, it, ptr, k);
		} else if (!strcmp(it->string, "service")) {
			if (!cJSON_IsString(it) ||
			    !pyo_needs_valid_service(it->valuestring))
				return bad(f, ptr, "service",
				           "one of api, crud, gateway, proxy, "
				           "pipeline, cli, websocket, "
				           "streaming, ml-inference, worker");
			free((char *)c->needs.service);
			if (!(c->needs.service = pyo_strdup(it->valuestring)))
				return pyo_error_oom();
			c->needs.service_source = PYO_NEED_CONFIG;
		} else if (!strcmp(it->string, "policy")) {
			error = parse_policy(c, f, it);
		} else if (!strcmp(it->string, "$schema") ||
		           !strcmp(it->string, "version")) {
			continue;
		} else {
			error = warn(c, f, ptr, "", it->string);
		}
		if (error < 0)
			return error;
	}
	return 0;
}

/* "name:line:col: invalid JSON" at cJSON's error position. */
static int
syntax_error(const char *name, const char *data, size_t len, const char *end)
{
	size_t off = end && end >= data && end <= data + len
	                     ? (size_t)(end - data)
	                     : 0;
	unsigned line = 1, col = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return pyo_error_setc(PYO_EINVALID,
	                      "%s:%u:%u: invalid JSON (expected an object "
	                      "such as {\"service\": \"api\"})",
	                      name, line, col);
}

int pyo_config_parse(struct pyo_config **out,
                     const char *name,
                     const char *data,
                     size_t len)
{
	struct pyo_config *c = NULL;
	struct rules_file f = { 0 };
	const char *end = NULL;
	int error;

	*out = NULL;
	if (!name)
		name = ".pyorgo.json";
	f.name = name;
	f.text = data;
	f.len = len;
	f.doc = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!f.doc)
		return syntax_error(name, data, len, end);
	if (!(c = calloc(1, sizeof(*c))) || !(c->name = pyo_strdup(name))) {
		error = pyo_error_oom();
		goto done;
	}
	if ((error = parse_root(c, &f)) < 0) {
		if (error == PYO_ERULES)
			error = PYO_EINVALID;
		goto done;
	}
	*out = c;
	c = NULL;
done:
	cJSON_Delete(f.doc);
	pyo_config_free(c);
	return error;
}

void pyo_config_apply(struct pyo_needs *needs, const struct pyo_config *c)
{
	size_t k;

	if (!c || !needs)
		return;
	if (!needs->service && c->needs.service) {
		needs->service = c->needs.service;
		needs->service_source = PYO_NEED_CONFIG;
	}
	for (k = 0; k < sizeof(need_keys) / sizeof(*need_keys); k++) {
		struct pyo_need *n =
		        (struct pyo_need *)((char *)needs + need_keys[k].off);
		const struct pyo_need *from =
		        (const struct pyo_need *)((const char *)&c->needs +
		                                  need_keys[k].off);

		if (n->source == PYO_NEED_UNSET &&
		    from->source != PYO_NEED_UNSET)
			*n = *from;
	}
}

const char *pyo_config_language_for(const struct pyo_config *c,
                                    const char *path)
{
	size_t i;

	if (!c)
		return NULL;
	for (i = 0; path && i < c->nr_paths; i++)
		if (pyo_str_startswith(path, c->paths[i].prefix))
			return c->paths[i].language;
	return c->language;
}

int pyo_config_allows(const struct pyo_config *c,
                      const char *rule_id,
                      const char *path)
{
	size_t i;

	for (i = 0; c && i < c->nr_allow; i++) {
		if (rule_id && !strcmp(c->allow[i], rule_id))
			return 1;
		if (path && pyo_str_endswith(c->allow[i], "/") &&
		    pyo_str_startswith(path, c->allow[i]))
			return 1;
		if (path && pyo_glob_match(c->allow[i], path))
			return 1;
	}
	return 0;
}
