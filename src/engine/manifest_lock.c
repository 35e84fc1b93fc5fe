/*
 * manifest_lock.c: lock files, read only to confirm what manifests
 * declare: poetry.lock and uv.lock (TOML), Pipfile.lock (JSON) and go.sum.
 * Every dep is is_lock = 1, is_direct = 0, constraint "==version" (go.sum:
 * the module version).
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "strutil.h"
#include "manifest_int.h"
#include "toml.h"
#include "banned.h"

static int
add_locked(struct mf_ctx *ctx, const struct pyo_toml *pkg, const char *group)
{
	const struct pyo_toml *name = pyo_toml_get(pkg, "name");
	const struct pyo_toml *version = pyo_toml_get(pkg, "version");
	struct pyo_buf c = { 0 };
	int error;

	if (!pyo_toml_str(name)) {
		mf_warn(ctx, pyo_toml_line(pkg), "package without a name");
		return 0;
	}
	if (pyo_toml_str(version) &&
	    pyo_buf_printf(&c, "==%s", pyo_toml_str(version)) < 0)
		return PYO_ERROR;
	error = mf_add_pypi(ctx, pyo_toml_str(name), pyo_toml_strlen(name),
	                    c.ptr, c.len, group, pyo_toml_line(name), 0, 1);
	pyo_buf_release(&c);
	return error;
}

/* Poetry 2 "groups = [...]" or older "category = ...": NULL for main. */
static const char *poetry_group(const struct pyo_toml *pkg)
{
	const struct pyo_toml *groups = pyo_toml_get(pkg, "groups");
	const char *first = NULL, *cat;
	size_t i;

	for (i = 0; i < pyo_toml_len(groups); i++) {
		const char *g = pyo_toml_str(pyo_toml_at(groups, i));

		if (!g)
			continue;
		if (!strcmp(g, "main"))
			return NULL;
		if (!first)
			first = g;
	}
	if (first)
		return first;
	cat = pyo_toml_str(pyo_toml_get(pkg, "category"));
	return cat && strcmp(cat, "main") ? cat : NULL;
}

int mf_parse_poetry_lock(struct mf_ctx *ctx, const char *data, size_t len)
{
	const struct pyo_toml *pkgs;
	struct pyo_toml *doc = NULL;
	size_t i;
	int error;

	if ((error = mf_toml(&doc, ctx, data, len)) < 0)
		return error;
	pkgs = pyo_toml_get(doc, "package");
	for (i = 0; i < pyo_toml_len(pkgs) && !error; i++) {
		const struct pyo_toml *pkg = pyo_toml_at(pkgs, i);

		if (pyo_toml_type(pkg) == PYO_TOML_TABLE)
			error = add_locked(ctx, pkg, poetry_group(pkg));
	}
	pyo_toml_free(doc);
	return error;
}

int mf_parse_uv_lock(struct mf_ctx *ctx, const char *data, size_t len)
{
	const struct pyo_toml *pkgs;
	struct pyo_toml *doc = NULL;
	size_t i;
	int error;

	if ((error = mf_toml(&doc, ctx, data, len)) < 0)
		return error;
	pkgs = pyo_toml_get(doc, "package");
	for (i = 0; i < pyo_toml_len(pkgs) && !error; i++) {
		const struct pyo_toml *pkg = pyo_toml_at(pkgs, i);
		const struct pyo_toml *src = pyo_toml_get(pkg, "source");

		if (pyo_toml_type(pkg) != PYO_TOML_TABLE)
			continue;
		/* the project itself, not one of its dependencies */
		if (pyo_toml_get(src, "editable") ||
		    pyo_toml_get(src, "virtual"))
			continue;
		error = add_locked(ctx, pkg, NULL);
	}
	pyo_toml_free(doc);
	return error;
}

/*
 * cJSON keeps no positions: find each key's line by searching for it
 * after the previous one (objects are read in file order). Linear.
 */
unsigned mf_json_key_line(struct mf_json_lines *jl, const char *key)
{
	struct pyo_buf q = { 0 };
	const char *hit;
	unsigned line;

	if (pyo_buf_printf(&q, "\"%s\"", key) < 0)
		return 0;
	hit = pyo_memmem(jl->data + jl->off, jl->len - jl->off, q.ptr, q.len);
	pyo_buf_release(&q);
	if (!hit)
		return 0;
	line = mf_line_at(jl->data, (size_t)(hit - jl->data), &jl->at,
	                  &jl->line);
	jl->off = (size_t)(hit - jl->data) + 1;
	return line;
}

static int read_lock_section(struct mf_ctx *ctx,
                             const cJSON *obj,
                             const char *group,
                             struct mf_json_lines *jl)
{
	const cJSON *pkg;
	int error;

	cJSON_ArrayForEach(pkg, obj)
	{
		const cJSON *ver =
		        cJSON_GetObjectItemCaseSensitive(pkg, "version");
		const char *v = cJSON_IsString(ver) ? ver->valuestring : NULL;
		unsigned line;

		if (!pkg->string)
			continue;
		line = mf_json_key_line(jl, pkg->string);
		if ((error = mf_add_pypi(ctx, pkg->string, strlen(pkg->string),
		                         v, v ? strlen(v) : 0, group, line, 0,
		                         1)) < 0)
			return error;
	}
	return 0;
}

int mf_parse_pipfile_lock(struct mf_ctx *ctx, const char *data, size_t len)
{
	struct mf_json_lines jl = { data, len, 0, 0, 1 };
	const cJSON *sec;
	cJSON *doc;
	int error = 0;

	doc = cJSON_ParseWithLength(data, len);
	if (!doc || !cJSON_IsObject(doc)) {
		mf_warn(ctx, 0, "not a JSON object; not read");
		cJSON_Delete(doc);
		return 0;
	}
	cJSON_ArrayForEach(sec, doc)
	{
		const char *group = sec->string;

		if (!group || !cJSON_IsObject(sec) || !strcmp(group, "_meta"))
			continue;
		mf_json_key_line(&jl, group);
		if (!strcmp(group, "default"))
			group = NULL;
		else if (!strcmp(group, "develop"))
			group = "dev";
		if ((error = read_lock_section(ctx, sec, group, &jl)) < 0)
			break;
	}
	cJSON_Delete(doc);
	return error;
}

/* go.sum: "module version[/go.mod] h1:hash"; /go.mod lines are skipped. */
int mf_parse_gosum(struct mf_ctx *ctx, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	unsigned line = 0;
	int error = 0;

	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *mod, *ver, *q;
		struct mf_dep d = { 0 };
		size_t ml, vl;

		line++;
		q = p;
		p = nl ? nl + 1 : end;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		mod = q;
		while (q < le && *q != ' ' && *q != '\t')
			q++;
		ml = (size_t)(q - mod);
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		ver = q;
		while (q < le && *q != ' ' && *q != '\t' && *q != '\r')
			q++;
		vl = (size_t)(q - ver);
		if (!ml && !vl)
			continue;
		if (!ml || !vl || ver[0] != 'v') {
			mf_warn(ctx, line, "not a go.sum line");
			continue;
		}
		if (vl > 7 && !memcmp(ver + vl - 7, "/go.mod", 7))
			continue;
		d.ecosystem = "go";
		d.name = mod;
		d.name_len = ml;
		d.constraint = ver;
		d.constraint_len = vl;
		d.line = line;
		d.is_lock = 1;
		error = mf_add(ctx, &d);
	}
	return error;
}
