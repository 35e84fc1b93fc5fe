/*
 * rules.c: loading the rule set. Finds the files (compiled in, or a
 * directory), parses each with cJSON, hands it to the module that owns its
 * "kind", and turns any mistake into "file:line:col: message".
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

struct pyo_embedded_rule {
	const char *name;
	const char *text;
	size_t len;
};

extern const struct pyo_embedded_rule pyo_embedded_rules[];

/* Line and column (1-based) of byte `off` of `text`. */
static void
line_col(const char *text, size_t off, unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/*
 * A minimal JSON scanner that finds where the value at a JSON pointer
 * starts. cJSON keeps no positions, so errors about a value re-scan the
 * (small) rule file.
 */
struct locator {
	const char *s;
	size_t n, i;
};

static void skip_ws(struct locator *l)
{
	while (l->i < l->n && strchr(" \t\r\n", l->s[l->i]))
		l->i++;
}

static int skip_string(struct locator *l)
{
	if (l->i >= l->n || l->s[l->i] != '"')
		return -1;
	for (l->i++; l->i < l->n; l->i++) {
		if (l->s[l->i] == '\\')
			l->i++;
		else if (l->s[l->i] == '"') {
			l->i++;
			return 0;
		}
	}
	return -1;
}

static int skip_value(struct locator *l)
{
	int depth = 0;

	skip_ws(l);
	do {
		if (l->i >= l->n)
			return -1;
		switch (l->s[l->i]) {
		case '"':
			if (skip_string(l) < 0)
				return -1;
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		default:
			if (!depth) {
				while (l->i < l->n &&
				       !strchr(",}] \t\r\n", l->s[l->i]))
					l->i++;
				return 0;
			}
		}
		l->i++;
	} while (depth > 0);
	return 0;
}

/* Moves to the value of member `key` (object) or element `key` (array). */
static int enter(struct locator *l, const char *key, size_t keylen)
{
	skip_ws(l);
	if (l->i >= l->n)
		return -1;
	if (l->s[l->i] == '{') {
		l->i++;
		for (;;) {
			size_t start;

			skip_ws(l);
			start = l->i + 1;
			if (skip_string(l) < 0)
				return -1;
			if (l->i - 1 - start == keylen &&
			    !memcmp(l->s + start, key, keylen)) {
				skip_ws(l);
				l->i++; /* ':' */
				skip_ws(l);
				return 0;
			}
			skip_ws(l);
			l->i++; /* ':' */
			if (skip_value(l) < 0)
				return -1;
			skip_ws(l);
			if (l->i >= l->n || l->s[l->i] != ',')
				return -1;
			l->i++;
		}
	}
	if (l->s[l->i] == '[') {
		char num[32];
		unsigned long long idx, k;

		if (keylen >= sizeof(num))
			return -1;
		memcpy(num, key, keylen);
		num[keylen] = '\0';
		if (pyo_parse_u64(num, &idx) < 0)
			return -1;
		l->i++;
		for (k = 0; k < idx; k++) {
			if (skip_value(l) < 0)
				return -1;
			skip_ws(l);
			if (l->i >= l->n || l->s[l->i] != ',')
				return -1;
			l->i++;
		}
		skip_ws(l);
		return 0;
	}
	return -1;
}

static size_t locate(const char *text, size_t len, const char *pointer)
{
	struct locator l = { text, len, 0 };
	const char *p = pointer;

	skip_ws(&l);
	while (p && *p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t klen = end ? (size_t)(end - p - 1) : strlen(p + 1);
		size_t before = l.i;

		if (enter(&l, p + 1, klen) < 0)
			return before;
		p = end;
	}
	return l.i < len ? l.i : len;
}

int rules_error(const struct rules_file *f,
                const char *pointer,
                const char *fmt,
                ...)
{
	struct pyo_buf msg = { 0 };
	unsigned line, col;
	va_list ap;

	line_col(f->text, locate(f->text, f->len, pointer ? pointer : ""),
	         &line, &col);
	va_start(ap, fmt);
	pyo_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	pyo_error_set("%s:%u:%u: %s", f->name, line, col,
	              msg.ptr ? msg.ptr : "invalid rule");
	pyo_buf_release(&msg);
	return PYO_ERULES;
}

static int
member_pointer(char *out, size_t n, const char *pointer, const char *key)
{
	return snprintf(out, n, "%s/%s", pointer, key) >= (int)n ? -1 : 0;
}

/*
 * The member `key` of `obj`: 1 and *item when present and of the type
 * `is` checks, 0 when absent and optional, or a located error.
 */
static int get_member(const cJSON **item,
                      const struct rules_file *f,
                      const cJSON *obj,
                      const char *pointer,
                      const char *key,
                      int required,
                      cJSON_bool (*is)(const cJSON *),
                      const char *expected)
{
	char ptr[512];

	*item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!*item)
		return required ? rules_error(f, pointer, "missing \"%s\"", key)
		                : 0;
	if (!is(*item)) {
		member_pointer(ptr, sizeof(ptr), pointer, key);
		return rules_error(f, ptr, "expected %s", expected);
	}
	return 1;
}

int rules_get_string(const char **out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *pointer,
                     const char *key,
                     int required)
{
	const cJSON *item;
	int rc = get_member(&item, f, obj, pointer, key, required,
	                    cJSON_IsString, "a string");

	*out = rc > 0 ? item->valuestring : NULL;
	return rc < 0 ? rc : 0;
}

int rules_get_number(double *out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *pointer,
                     const char *key,
                     int required)
{
	const cJSON *item;
	int rc = get_member(&item, f, obj, pointer, key, required,
	                    cJSON_IsNumber, "a number");

	if (rc > 0)
		*out = item->valuedouble;
	return rc < 0 ? rc : 0;
}

void rules_strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

int rules_get_strv(char ***out,
                   size_t *nr,
                   const struct rules_file *f,
                   const cJSON *obj,
                   const char *pointer,
                   const char *key,
                   int required)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key), *e;
	char ptr[512], eptr[560];
	size_t n = 0, i = 0;
	char **v;

	*out = NULL;
	if (nr)
		*nr = 0;
	member_pointer(ptr, sizeof(ptr), pointer, key);
	if (!item && required)
		return rules_error(f, pointer, "missing \"%s\"", key);
	if (item && !cJSON_IsArray(item))
		return rules_error(f, ptr, "expected an array of strings");
	cJSON_ArrayForEach(e, item)
	{
		if (!cJSON_IsString(e)) {
			snprintf(eptr, sizeof(eptr), "%s/%zu", ptr, n);
			return rules_error(f, eptr, "expected a string");
		}
		n++;
	}
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return pyo_error_oom();
	cJSON_ArrayForEach(e, item)
	{
		v[i] = pyo_strdup(e->valuestring);
		if (!v[i]) {
			rules_strv_free(v);
			return pyo_error_oom();
		}
		i++;
	}
	*out = v;
	if (nr)
		*nr = n;
	return 0;
}

static int
load_one(struct pyo_rules *rules, struct rules_file *f, struct pyo_buf *version)
{
	const char *end = NULL, *kind, *ver;
	int error;

	f->doc = cJSON_ParseWithLengthOpts(f->text, f->len, &end, 0);
	if (f->doc && end) {
		/* only white space may follow the document */
		while (end < f->text + f->len && strchr(" \t\r\n", *end))
			end++;
		if (end < f->text + f->len) {
			cJSON_Delete(f->doc);
			f->doc = NULL;
		}
	}
	if (!f->doc) {
		unsigned line, col;
		size_t off =
		        end && end >= f->text ? (size_t)(end - f->text) : 0;

		line_col(f->text, off, &line, &col);
		return pyo_error_setc(PYO_ERULES, "%s:%u:%u: invalid JSON",
		                      f->name, line, col);
	}
	if (!cJSON_IsObject(f->doc))
		return rules_error(f, "", "expected an object");
	if ((error = rules_get_string(&kind, f, f->doc, "", "kind", 1)) < 0 ||
	    (error = rules_get_string(&ver, f, f->doc, "", "version", 1)) < 0)
		return error;
	if (version->len)
		pyo_buf_putc(version, ' ');
	pyo_buf_printf(version, "%s@%s", pyo_path_basename(f->name), ver);

	if (!strcmp(kind, "languages") || !strcmp(kind, "heuristics") ||
	    !strcmp(kind, "paths"))
		return pyo_langdb_load(&rules->langdb, f);
	if (!strcmp(kind, "detect"))
		return pyo_detect_rules_load(&rules->detect, f);
	if (!strcmp(kind, "guidance"))
		return pyo_guidance_load(&rules->guidance, f);
	return rules_error(f, "/kind",
	                   "unknown kind \"%s\" (expected languages, "
	                   "heuristics, paths, detect or guidance)",
	                   kind);
}

static int finish(struct pyo_rules *rules)
{
	int error;

	if (!rules->langdb)
		return pyo_error_setc(PYO_ERULES,
		                      "no language rules (kind \"languages\")");
	if ((error = pyo_langdb_finish(rules->langdb)) < 0 ||
	    (rules->detect &&
	     (error = pyo_detect_rules_finish(rules->detect)) < 0) ||
	    (rules->guidance &&
	     (error = pyo_guidance_finish(rules->guidance)) < 0))
		return error;
	return 0;
}

void pyo_rules_free(struct pyo_rules *rules)
{
	if (!rules)
		return;
	pyo_langdb_free(rules->langdb);
	pyo_detect_rules_free(rules->detect);
	pyo_guidance_free(rules->guidance);
	free(rules->version);
	free(rules);
}

int pyo_rules_load_default(struct pyo_rules **out)
{
	struct pyo_buf version = { 0 };
	struct pyo_rules *rules;
	const struct pyo_embedded_rule *e;
	int error = 0;

	*out = NULL;
	rules = calloc(1, sizeof(*rules));
	if (!rules)
		return pyo_error_oom();
	for (e = pyo_embedded_rules; e->name && !error; e++) {
		struct rules_file f = { e->name, e->text, e->len, NULL };

		error = load_one(rules, &f, &version);
		cJSON_Delete(f.doc);
	}
	if (!error)
		error = finish(rules);
	if (error < 0) {
		pyo_buf_release(&version);
		pyo_rules_free(rules);
		return error;
	}
	rules->version = pyo_buf_detach(&version);
	*out = rules;
	return 0;
}

static int read_file(char **out, size_t *len, const char *path)
{
	struct pyo_buf b = { 0 };
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return pyo_error_setc(PYO_ERULES, "cannot read '%s': %s", path,
		                      strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (pyo_buf_put(&b, chunk, n) < 0) {
			fclose(f);
			pyo_buf_release(&b);
			return PYO_ERROR;
		}
	fclose(f);
	*len = b.len;
	*out = pyo_buf_detach(&b);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pyo_rules_load_dir(struct pyo_rules **out, const char *dir)
{
	struct pyo_buf version = { 0 };
	struct pyo_rules *rules = NULL;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;
	struct dirent *de;
	int error = 0;
	DIR *d;

	*out = NULL;
	d = opendir(dir);
	if (!d)
		return pyo_error_setc(PYO_ERULES,
		                      "cannot open rules folder '%s': %s", dir,
		                      strerror(errno));
	while ((de = readdir(d))) {
		char **p;

		if (!pyo_str_endswith(de->d_name, ".json") ||
		    de->d_name[0] == '.')
			continue;
		if (nr == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			p = realloc(names, alloc * sizeof(*names));
			if (!p) {
				error = pyo_error_oom();
				break;
			}
			names = p;
		}
		if (!(names[nr] = pyo_strdup(de->d_name))) {
			error = PYO_ERROR;
			break;
		}
		nr++;
	}
	closedir(d);
	if (!error && !nr)
		error = pyo_error_setc(PYO_ERULES,
		                       "no rule files (*.json) in '%s'", dir);
	if (error)
		goto done;
	pyo_qsort(names, nr, sizeof(*names), cmp_str);

	rules = calloc(1, sizeof(*rules));
	if (!rules) {
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < nr && !error; i++) {
		struct pyo_buf path = { 0 };
		struct rules_file f = { 0 };
		char *text = NULL;

		pyo_buf_printf(&path, "%s/%s", dir, names[i]);
		error = read_file(&text, &f.len, path.ptr);
		if (!error) {
			f.name = path.ptr;
			f.text = text;
			error = load_one(rules, &f, &version);
		}
		cJSON_Delete(f.doc);
		free(text);
		pyo_buf_release(&path);
	}
	if (!error)
		error = finish(rules);
	if (!error) {
		rules->version = pyo_buf_detach(&version);
		*out = rules;
		rules = NULL;
	}
done:
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	pyo_buf_release(&version);
	pyo_rules_free(rules);
	return error;
}

const char *pyo_rules_version(const struct pyo_rules *rules)
{
	return rules && rules->version ? rules->version : "";
}

int pyo_rules_list(FILE *out, const struct pyo_rules *rules)
{
	int error;

	if ((error = pyo_langdb_list(out, rules->langdb)) < 0 ||
	    (rules->detect &&
	     (error = pyo_detect_rules_list(out, rules->detect)) < 0) ||
	    (rules->guidance &&
	     (error = pyo_guidance_list(out, rules->guidance)) < 0))
		return error;
	return 0;
}

int pyo_rules_explain(FILE *out, const struct pyo_rules *rules, const char *id)
{
	int error = PYO_ENOTFOUND;

	if (rules->detect)
		error = pyo_detect_rules_explain(out, rules->detect, id);
	if (error == PYO_ENOTFOUND && rules->guidance)
		error = pyo_guidance_explain(out, rules->guidance, id);
	if (error == PYO_ENOTFOUND)
		error = pyo_langdb_explain(out, rules->langdb, id);
	if (error == PYO_ENOTFOUND)
		return pyo_error_setc(PYO_ENOTFOUND,
		                      "no rule '%s' (see 'pyorgo rules list')",
		                      id);
	return error;
}

int pyo_rules_test(FILE *out, const struct pyo_rules *rules, int verbose)
{
	size_t passed = 0, failed = 0;
	int error;

	if ((error = pyo_langdb_test(out, rules->langdb, verbose, &passed,
	                             &failed)) < 0 ||
	    (rules->detect &&
	     (error = pyo_detect_rules_test(out, rules->detect, verbose,
	                                    &passed, &failed)) < 0) ||
	    (rules->guidance &&
	     (error = pyo_guidance_test(out, rules->guidance, verbose, &passed,
	                                &failed)) < 0))
		return error;
	fprintf(out, "%zu passed, %zu failed\n", passed, failed);
	if (failed)
		return pyo_error_setc(PYO_ERULES, "%zu rule example%s failed",
		                      failed, failed == 1 ? "" : "s");
	return 0;
}
