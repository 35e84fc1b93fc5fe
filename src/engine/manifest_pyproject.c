/*
 * manifest_pyproject.c: pyproject.toml. Reads PEP 621 [project]
 * dependencies and optional-dependencies, PEP 735 [dependency-groups],
 * [build-system] requires, Poetry, PDM, Hatch and uv tables, and
 * setuptools' dynamic dependencies from requirement files.
 */
#include <string.h>

#include "pyorgo/manifest.h"
#include "manifest_int.h"
#include "toml.h"
#include "banned.h"

/* An array of PEP 508 strings. */
static int read_pep508_array(struct mf_ctx *ctx,
                             const struct pyo_toml *arr,
                             const char *group,
                             const char *where)
{
	size_t i;
	int error;

	if (!arr)
		return 0;
	if (pyo_toml_type(arr) != PYO_TOML_ARRAY) {
		mf_warn(ctx, pyo_toml_line(arr), "%s is not an array", where);
		return 0;
	}
	for (i = 0; i < pyo_toml_len(arr); i++) {
		const struct pyo_toml *v = pyo_toml_at(arr, i);

		if (pyo_toml_type(v) == PYO_TOML_TABLE &&
		    pyo_toml_get(v, "include-group"))
			continue; /* PEP 735: its deps are in that group */
		if (pyo_toml_type(v) != PYO_TOML_STRING) {
			mf_warn(ctx, pyo_toml_line(v), "%s: expected a string",
			        where);
			continue;
		}
		if ((error = mf_pep508(ctx, pyo_toml_str(v), pyo_toml_strlen(v),
		                       group, pyo_toml_line(v), 1)) < 0)
			return error;
	}
	return 0;
}

/* A table of group name -> array of PEP 508 strings. */
static int
read_groups(struct mf_ctx *ctx, const struct pyo_toml *t, const char *where)
{
	size_t i;
	int error;

	if (!t || pyo_toml_type(t) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(t); i++)
		if ((error = read_pep508_array(ctx, pyo_toml_at(t, i),
		                               pyo_toml_key_at(t, i), where)) <
		    0)
			return error;
	return 0;
}

static int check_include_groups(struct mf_ctx *ctx, const struct pyo_toml *t)
{
	size_t i, j;

	for (i = 0; i < pyo_toml_len(t); i++) {
		const struct pyo_toml *arr = pyo_toml_at(t, i);

		for (j = 0; j < pyo_toml_len(arr); j++) {
			const struct pyo_toml *inc = pyo_toml_get(
			        pyo_toml_at(arr, j), "include-group");
			const char *name = pyo_toml_str(inc);

			if (inc && (!name || !pyo_toml_get(t, name)))
				mf_warn(ctx, pyo_toml_line(inc),
				        "include-group '%s' not found",
				        name ? name : "?");
		}
	}
	return 0;
}

int mf_poetry_constraint(const struct pyo_toml *v, const char **c, size_t *n)
{
	const char *s;

	*c = NULL;
	*n = 0;
	if (pyo_toml_type(v) == PYO_TOML_ARRAY)
		v = pyo_toml_at(v, 0);
	if (v && pyo_toml_type(v) == PYO_TOML_TABLE)
		v = pyo_toml_get(v, "version");
	s = pyo_toml_str(v);
	if (!s || !strcmp(s, "*"))
		return 0;
	*c = s;
	*n = pyo_toml_strlen(v);
	return 0;
}

int mf_read_name_table(struct mf_ctx *ctx,
                       const struct pyo_toml *t,
                       const char *group,
                       const char *skip)
{
	size_t i, n;
	const char *c;
	int error;

	if (!t || pyo_toml_type(t) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(t); i++) {
		const char *name = pyo_toml_key_at(t, i);
		const struct pyo_toml *v = pyo_toml_at(t, i);

		if (skip && !strcmp(name, skip))
			continue;
		mf_poetry_constraint(v, &c, &n);
		if ((error = mf_add_pypi(ctx, name, strlen(name), c, n, group,
		                         pyo_toml_line(v), 1, 0)) < 0)
			return error;
	}
	return 0;
}

static int read_dynamic_files(struct mf_ctx *ctx,
                              const struct pyo_toml *spec,
                              const char *group)
{
	const struct pyo_toml *file = pyo_toml_get(spec, "file");
	size_t i;
	int error;

	if (pyo_toml_type(spec) != PYO_TOML_TABLE || !file)
		return 0;
	if (pyo_toml_str(file))
		return mf_include(ctx, pyo_toml_str(file),
		                  pyo_toml_strlen(file), pyo_toml_line(file),
		                  PYO_MANIFEST_REQUIREMENTS, group, 0);
	for (i = 0; i < pyo_toml_len(file); i++) {
		const struct pyo_toml *f = pyo_toml_at(file, i);

		if (pyo_toml_str(f) &&
		    (error = mf_include(ctx, pyo_toml_str(f),
		                        pyo_toml_strlen(f), pyo_toml_line(f),
		                        PYO_MANIFEST_REQUIREMENTS, group, 0)) <
		            0)
			return error;
	}
	return 0;
}

static int read_setuptools_dynamic(struct mf_ctx *ctx,
                                   const struct pyo_toml *dyn)
{
	const struct pyo_toml *opt;
	size_t i;
	int error;

	if (!dyn)
		return 0;
	if ((error = read_dynamic_files(ctx, pyo_toml_get(dyn, "dependencies"),
	                                NULL)) < 0)
		return error;
	opt = pyo_toml_get(dyn, "optional-dependencies");
	if (!opt || pyo_toml_type(opt) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(opt); i++)
		if ((error = read_dynamic_files(ctx, pyo_toml_at(opt, i),
		                                pyo_toml_key_at(opt, i))) < 0)
			return error;
	return 0;
}

static int read_poetry(struct mf_ctx *ctx, const struct pyo_toml *poetry)
{
	const struct pyo_toml *groups = pyo_toml_get(poetry, "group");
	size_t i;
	int error;

	if (!poetry)
		return 0;
	if ((error = mf_read_name_table(ctx,
	                                pyo_toml_get(poetry, "dependencies"),
	                                NULL, "python")) < 0 ||
	    (error = mf_read_name_table(
	             ctx, pyo_toml_get(poetry, "dev-dependencies"), "dev",
	             "python")) < 0)
		return error;
	if (!groups || pyo_toml_type(groups) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(groups); i++)
		if ((error = mf_read_name_table(
		             ctx,
		             pyo_toml_get(pyo_toml_at(groups, i),
		                          "dependencies"),
		             pyo_toml_key_at(groups, i), "python")) < 0)
			return error;
	return 0;
}

static int read_hatch(struct mf_ctx *ctx, const struct pyo_toml *envs)
{
	size_t i;
	int error;

	if (!envs || pyo_toml_type(envs) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(envs); i++) {
		const struct pyo_toml *env = pyo_toml_at(envs, i);
		const char *name = pyo_toml_key_at(envs, i);

		if ((error = read_pep508_array(
		             ctx, pyo_toml_get(env, "dependencies"), name,
		             "tool.hatch.envs dependencies")) < 0 ||
		    (error = read_pep508_array(
		             ctx, pyo_toml_get(env, "extra-dependencies"), name,
		             "tool.hatch.envs extra-dependencies")) < 0)
			return error;
	}
	return 0;
}

int mf_parse_pyproject(struct mf_ctx *ctx, const char *data, size_t len)
{
	const struct pyo_toml *project, *tool;
	struct pyo_toml *doc = NULL;
	int error;

	if ((error = mf_toml(&doc, ctx, data, len)) < 0)
		return error;
	project = pyo_toml_get(doc, "project");
	tool = pyo_toml_get(doc, "tool");
	if ((error = read_pep508_array(ctx,
	                               pyo_toml_get(project, "dependencies"),
	                               NULL, "project.dependencies")) < 0 ||
	    (error = read_groups(ctx,
	                         pyo_toml_get(project, "optional-dependencies"),
	                         "project.optional-dependencies")) < 0 ||
	    (error = read_groups(ctx, pyo_toml_get(doc, "dependency-groups"),
	                         "dependency-groups")) < 0 ||
	    (error = check_include_groups(
	             ctx, pyo_toml_get(doc, "dependency-groups"))) < 0 ||
	    (error = read_pep508_array(
	             ctx, pyo_toml_path(doc, "build-system.requires"),
	             "build-system", "build-system.requires")) < 0 ||
	    (error = read_poetry(ctx, pyo_toml_get(tool, "poetry"))) < 0 ||
	    (error = read_groups(ctx,
	                         pyo_toml_path(tool, "pdm.dev-dependencies"),
	                         "tool.pdm.dev-dependencies")) < 0 ||
	    (error = read_hatch(ctx, pyo_toml_path(tool, "hatch.envs"))) < 0 ||
	    (error = read_pep508_array(
	             ctx, pyo_toml_path(tool, "uv.dev-dependencies"), "dev",
	             "tool.uv.dev-dependencies")) < 0 ||
	    (error = read_setuptools_dynamic(
	             ctx, pyo_toml_path(tool, "setuptools.dynamic"))) < 0)
		goto done;
done:
	pyo_toml_free(doc);
	return error;
}
