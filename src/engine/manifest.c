/*
 * manifest.c: which files are manifests (by name), dispatch to the format
 * parsers, and following includes inside the repository. What the parsers
 * share (adding deps, warnings, PEP 508 strings) is in manifest_util.c.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "strutil.h"
#include "manifest_int.h"
#include "banned.h"

static const char *const kind_names[PYO_MANIFEST_COUNT] = {
	[PYO_MANIFEST_NONE] = "none",
	[PYO_MANIFEST_REQUIREMENTS] = "requirements",
	[PYO_MANIFEST_PYPROJECT] = "pyproject",
	[PYO_MANIFEST_PIPFILE] = "pipfile",
	[PYO_MANIFEST_PIPFILE_LOCK] = "pipfile-lock",
	[PYO_MANIFEST_SETUP_CFG] = "setup-cfg",
	[PYO_MANIFEST_SETUP_PY] = "setup-py",
	[PYO_MANIFEST_CONDA] = "conda",
	[PYO_MANIFEST_GOMOD] = "go-mod",
	[PYO_MANIFEST_GOWORK] = "go-work",
	[PYO_MANIFEST_GOSUM] = "go-sum",
	[PYO_MANIFEST_POETRY_LOCK] = "poetry-lock",
	[PYO_MANIFEST_UV_LOCK] = "uv-lock",
	[PYO_MANIFEST_PACKAGE_JSON] = "package-json",
	[PYO_MANIFEST_CARGO] = "cargo",
	[PYO_MANIFEST_POM] = "pom",
	[PYO_MANIFEST_GRADLE] = "gradle",
	[PYO_MANIFEST_GEMFILE] = "gemfile",
	[PYO_MANIFEST_CONSTRAINTS] = "constraints",
};

const char *pyo_manifest_kind_name(enum pyo_manifest_kind kind)
{
	if ((unsigned)kind >= PYO_MANIFEST_COUNT)
		return "none";
	return kind_names[kind];
}

static const struct {
	const char *name;
	enum pyo_manifest_kind kind;
} exact_names[] = {
	{ "pyproject.toml", PYO_MANIFEST_PYPROJECT },
	{ "Pipfile", PYO_MANIFEST_PIPFILE },
	{ "Pipfile.lock", PYO_MANIFEST_PIPFILE_LOCK },
	{ "setup.cfg", PYO_MANIFEST_SETUP_CFG },
	{ "setup.py", PYO_MANIFEST_SETUP_PY },
	{ "environment.yml", PYO_MANIFEST_CONDA },
	{ "environment.yaml", PYO_MANIFEST_CONDA },
	{ "env.yml", PYO_MANIFEST_CONDA },
	{ "go.mod", PYO_MANIFEST_GOMOD },
	{ "go.work", PYO_MANIFEST_GOWORK },
	{ "go.sum", PYO_MANIFEST_GOSUM },
	{ "go.work.sum", PYO_MANIFEST_GOSUM },
	{ "poetry.lock", PYO_MANIFEST_POETRY_LOCK },
	{ "uv.lock", PYO_MANIFEST_UV_LOCK },
	{ "package.json", PYO_MANIFEST_PACKAGE_JSON },
	{ "Cargo.toml", PYO_MANIFEST_CARGO },
	{ "pom.xml", PYO_MANIFEST_POM },
	{ "build.gradle", PYO_MANIFEST_GRADLE },
	{ "build.gradle.kts", PYO_MANIFEST_GRADLE },
	{ "Gemfile", PYO_MANIFEST_GEMFILE },
};

static int in_requirements_dir(const char *path, const char *base)
{
	size_t dir = (size_t)(base - path);

	if (dir < 13)
		return 0;
	return !strncmp(path + dir - 13, "requirements/", 13) &&
	       (dir == 13 || path[dir - 14] == '/');
}

enum pyo_manifest_kind pyo_manifest_kind(const char *path)
{
	const char *base = pyo_path_basename(path);
	char low[256];
	size_t i, n = strlen(base);
	int txt, in;

	for (i = 0; i < sizeof(exact_names) / sizeof(exact_names[0]); i++)
		if (!strcmp(base, exact_names[i].name))
			return exact_names[i].kind;
	if (n >= sizeof(low) || n < 4)
		return PYO_MANIFEST_NONE;
	for (i = 0; i <= n; i++)
		low[i] = (char)(base[i] >= 'A' && base[i] <= 'Z'
		                        ? base[i] - 'A' + 'a'
		                        : base[i]);
	if ((pyo_str_startswith(low, "environment") ||
	     pyo_str_startswith(low, "conda")) &&
	    (pyo_str_endswith(low, ".yml") || pyo_str_endswith(low, ".yaml")) &&
	    !strstr(low, "lock"))
		return PYO_MANIFEST_CONDA;
	txt = pyo_str_endswith(low, ".txt");
	in = pyo_str_endswith(low, ".in");
	if (!txt && !in)
		return PYO_MANIFEST_NONE;
	if (txt && (pyo_str_startswith(low, "constraints") ||
	            pyo_str_endswith(low, "-constraints.txt") ||
	            pyo_str_endswith(low, "_constraints.txt")))
		return PYO_MANIFEST_CONSTRAINTS;
	if (pyo_str_startswith(low, "requirements") ||
	    strstr(low, "-requirements.") || strstr(low, "_requirements.") ||
	    in_requirements_dir(path, base))
		return PYO_MANIFEST_REQUIREMENTS;
	return PYO_MANIFEST_NONE;
}

/* Joins `target` to the directory of `from`, resolving . and ..; NULL
 * (no error set) when it would leave the repository. */
static int
resolve_path(char **out, const char *from, const char *target, size_t tlen)
{
	struct pyo_buf b = { 0 };
	const char *base = pyo_path_basename(from), *p, *end, *seg;
	int error = 0;

	*out = NULL;
	if (pyo_buf_put(&b, from, (size_t)(base - from)) < 0 ||
	    pyo_buf_put(&b, target, tlen) < 0)
		return PYO_ERROR;
	/* normalize b.ptr into a second buffer, segment by segment */
	{
		struct pyo_buf n = { 0 };

		p = b.ptr;
		end = b.ptr + b.len;
		while (p < end) {
			size_t sl;

			seg = p;
			while (p < end && *p != '/')
				p++;
			sl = (size_t)(p - seg);
			if (p < end)
				p++;
			if (sl == 0 || (sl == 1 && seg[0] == '.'))
				continue;
			if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
				char *slash;

				if (!n.len) {
					pyo_buf_release(&n);
					goto done; /* escapes the root */
				}
				slash = strrchr(n.ptr, '/');
				n.len = slash ? (size_t)(slash - n.ptr) : 0;
				n.ptr[n.len] = '\0';
				continue;
			}
			if ((n.len && pyo_buf_putc(&n, '/') < 0) ||
			    pyo_buf_put(&n, seg, sl) < 0) {
				pyo_buf_release(&n);
				error = PYO_ERROR;
				goto done;
			}
		}
		if (n.len)
			*out = pyo_buf_detach(&n);
		pyo_buf_release(&n);
	}
done:
	pyo_buf_release(&b);
	return error;
}

static int is_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8000 ? len : 8000) != NULL;
}

int mf_include(struct mf_ctx *ctx,
               const char *target,
               size_t tlen,
               unsigned line,
               enum pyo_manifest_kind kind,
               const char *group,
               int indirect)
{
	struct mf_root *root = ctx->root;
	struct mf_ctx child = { 0 };
	const struct mf_ctx *c;
	char *path = NULL, *data = NULL;
	size_t len = 0;
	int error = 0;

	if (!root->read) {
		mf_warn(ctx, line, "include '%.*s' not followed", (int)tlen,
		        target);
		return 0;
	}
	if (pyo_memmem(target, tlen, "://", 3)) {
		mf_warn(ctx, line, "include '%.*s' is a URL; not followed",
		        (int)tlen, target);
		return 0;
	}
	if (!tlen || target[0] == '/' || target[0] == '\\' ||
	    target[0] == '~' || (tlen > 1 && target[1] == ':') ||
	    memchr(target, '\0', tlen)) {
		mf_warn(ctx, line,
		        "include '%.*s' is an absolute path; not followed",
		        (int)tlen, target);
		return 0;
	}
	if ((error = resolve_path(&path, ctx->path, target, tlen)) < 0)
		return error;
	if (!path) {
		mf_warn(ctx, line,
		        "include '%.*s' leaves the repository; not followed",
		        (int)tlen, target);
		return 0;
	}
	if (ctx->depth + 1 > MF_MAX_DEPTH) {
		mf_warn(ctx, line, "includes nested too deep at '%s'", path);
		goto done;
	}
	for (c = ctx; c; c = c->parent)
		if (!strcmp(c->path, path)) {
			mf_warn(ctx, line, "include cycle through '%s'", path);
			goto done;
		}
	if (root->nr_includes >= MF_MAX_INCLUDES) {
		mf_warn(ctx, line, "more than %d includes; '%s' not followed",
		        MF_MAX_INCLUDES, path);
		goto done;
	}
	root->nr_includes++;
	if (root->read(&data, &len, path, root->read_payload) < 0 || !data) {
		mf_warn(ctx, line, "included file '%s' not found", path);
		goto done;
	}
	child.root = root;
	child.parent = ctx;
	child.path = path;
	child.depth = ctx->depth + 1;
	if (is_binary(data, len)) {
		mf_warn(&child, 0, "binary content; not read");
		goto done;
	}
	if (kind == PYO_MANIFEST_CONSTRAINTS)
		error = mf_parse_requirements(&child, data, len, "constraints",
		                              0);
	else
		error = mf_parse_requirements(
		        &child, data, len, group ? group : mf_req_group(path),
		        !indirect);
done:
	free(data);
	free(path);
	return error;
}

int pyo_manifest_parse(struct pyo_deps *out,
                       enum pyo_manifest_kind kind,
                       const char *path,
                       const char *data,
                       size_t len,
                       pyo_manifest_read_cb read,
                       void *read_payload,
                       pyo_warn_cb warn,
                       void *warn_payload)
{
	struct mf_root root = { 0 };
	struct mf_ctx ctx = { 0 };

	root.out = out;
	root.read = read;
	root.read_payload = read_payload;
	root.warn = warn;
	root.warn_payload = warn_payload;
	ctx.root = &root;
	ctx.path = path ? path : "";
	if (!data)
		len = 0;
	if (len && is_binary(data, len)) {
		mf_warn(&ctx, 0, "binary content; not read");
		return 0;
	}
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	if (!len)
		return 0;

	switch (kind) {
	case PYO_MANIFEST_REQUIREMENTS:
		return mf_parse_requirements(&ctx, data, len,
		                             mf_req_group(ctx.path), 1);
	case PYO_MANIFEST_CONSTRAINTS:
		return mf_parse_requirements(&ctx, data, len, "constraints", 0);
	case PYO_MANIFEST_PYPROJECT:
		return mf_parse_pyproject(&ctx, data, len);
	case PYO_MANIFEST_PIPFILE:
		return mf_parse_pipfile(&ctx, data, len);
	case PYO_MANIFEST_PIPFILE_LOCK:
		return mf_parse_pipfile_lock(&ctx, data, len);
	case PYO_MANIFEST_SETUP_CFG:
		return mf_parse_setup_cfg(&ctx, data, len);
	case PYO_MANIFEST_SETUP_PY:
		return mf_parse_setup_py(&ctx, data, len);
	case PYO_MANIFEST_CONDA:
		return mf_parse_conda(&ctx, data, len);
	case PYO_MANIFEST_GOMOD:
		return mf_parse_gomod(&ctx, data, len, 0);
	case PYO_MANIFEST_GOWORK:
		return mf_parse_gomod(&ctx, data, len, 1);
	case PYO_MANIFEST_GOSUM:
		return mf_parse_gosum(&ctx, data, len);
	case PYO_MANIFEST_POETRY_LOCK:
		return mf_parse_poetry_lock(&ctx, data, len);
	case PYO_MANIFEST_UV_LOCK:
		return mf_parse_uv_lock(&ctx, data, len);
	case PYO_MANIFEST_PACKAGE_JSON:
		return mf_parse_package_json(&ctx, data, len);
	case PYO_MANIFEST_CARGO:
		return mf_parse_cargo(&ctx, data, len);
	case PYO_MANIFEST_POM:
		return mf_parse_pom(&ctx, data, len);
	case PYO_MANIFEST_GRADLE:
		return mf_parse_gradle(&ctx, data, len);
	case PYO_MANIFEST_GEMFILE:
		return mf_parse_gemfile(&ctx, data, len);
	default:
		return 0;
	}
}
