/*
 * manifest.c: which files are manifests (by name), dispatch to the format
 * parsers, and what they share: adding deps, warnings, PEP 508 strings,
 * and following includes inside the repository.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "strutil.h"
#include "manifest_int.h"
#include "toml.h"
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

void mf_warn(struct mf_ctx *ctx, unsigned line, const char *fmt, ...)
{
	struct mf_root *root = ctx->root;
	struct pyo_buf b = { 0 };
	va_list ap;

	if (!root->warn)
		return;
	if (++root->nr_warnings > MF_MAX_WARNINGS) {
		if (root->nr_warnings == MF_MAX_WARNINGS + 1 &&
		    pyo_buf_printf(&b, "%s: more warnings not shown",
		                   ctx->path) == 0)
			root->warn(root->warn_payload, b.ptr);
		goto done;
	}
	if (line)
		pyo_buf_printf(&b, "%s:%u: ", ctx->path, line);
	else
		pyo_buf_printf(&b, "%s: ", ctx->path);
	va_start(ap, fmt);
	pyo_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.ptr)
		root->warn(root->warn_payload, b.ptr);
done:
	pyo_buf_release(&b);
}

int mf_add(struct mf_ctx *ctx, const struct mf_dep *d)
{
	struct pyo_dep dep = { 0 };
	char *name = NULL, *constraint = NULL;
	int error = PYO_ERROR;

	if (!d->name_len)
		return 0;
	if (ctx->root->nr_deps >= MF_MAX_DEPS) {
		if (ctx->root->nr_deps++ == MF_MAX_DEPS)
			mf_warn(ctx, d->line,
			        "more than %d dependencies; the rest skipped",
			        MF_MAX_DEPS);
		return 0;
	}
	name = pyo_strndup(d->name, d->name_len);
	constraint = pyo_strndup(d->constraint ? d->constraint : "",
	                         d->constraint ? d->constraint_len : 0);
	if (!name || !constraint)
		goto done;
	dep.ecosystem = (char *)d->ecosystem;
	dep.name = name;
	dep.constraint = constraint;
	dep.group = (char *)d->group;
	dep.manifest = (char *)ctx->path;
	dep.line = d->line;
	dep.is_direct = d->is_direct;
	dep.is_lock = d->is_lock;
	if (pyo_deps_add(ctx->root->out, &dep) < 0)
		goto done;
	ctx->root->nr_deps++;
	error = 0;
done:
	free(name);
	free(constraint);
	return error;
}

static int is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

char *pyo_manifest_pep503(const char *name, size_t len)
{
	char *out = malloc(len + 1);
	size_t i, n = 0;

	if (!out) {
		pyo_error_oom();
		return NULL;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (is_sep(c)) {
			if (n && out[n - 1] == '-')
				continue;
			c = '-';
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

int mf_add_pypi(struct mf_ctx *ctx,
                const char *name,
                size_t name_len,
                const char *constraint,
                size_t constraint_len,
                const char *group,
                unsigned line,
                int is_direct,
                int is_lock)
{
	struct mf_dep d = { 0 };
	char *norm = pyo_manifest_pep503(name, name_len);
	int error;

	if (!norm)
		return PYO_ERROR;
	d.ecosystem = "pypi";
	d.name = norm;
	d.name_len = strlen(norm);
	d.constraint = constraint;
	d.constraint_len = constraint_len;
	d.group = group;
	d.line = line;
	d.is_direct = is_direct;
	d.is_lock = is_lock;
	error = mf_add(ctx, &d);
	free(norm);
	return error;
}

static int is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

/* Appends `url` without any user:password@ part (no secrets in reports). */
static int put_url(struct pyo_buf *b, const char *url, size_t n)
{
	const char *scheme = pyo_memmem(url, n, "://", 3);

	if (scheme) {
		const char *host = scheme + 3, *end = url + n, *p;

		for (p = host; p < end && *p != '/'; p++)
			if (*p == '@') {
				if (pyo_buf_put(b, url, (size_t)(host - url)) <
				    0)
					return PYO_ERROR;
				return pyo_buf_put(b, p + 1,
				                   (size_t)(end - p - 1));
			}
	}
	return pyo_buf_put(b, url, n);
}

int mf_pep508_try(struct mf_ctx *ctx,
                  const char *s,
                  size_t len,
                  const char *group,
                  unsigned line,
                  int is_direct)
{
	const char *p = s, *end = s + len, *name, *q;
	struct pyo_buf c = { 0 };
	size_t name_len;
	int error = 1, paren = 0;

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	name = p;
	if (p == end || !is_alnum(*p))
		goto done;
	while (p < end && (is_alnum(*p) || is_sep(*p)))
		p++;
	if (is_sep(p[-1]))
		goto done;
	name_len = (size_t)(p - name);
	while (p < end && is_space(*p))
		p++;
	if (p < end && *p == '[') { /* extras: not part of the name */
		q = memchr(p, ']', (size_t)(end - p));
		if (!q)
			goto done;
		p = q + 1;
		while (p < end && is_space(*p))
			p++;
	}
	if (pyo_buf_put(&c, "", 0) < 0) {
		error = PYO_ERROR;
		goto done;
	}
	if (p < end && *p == '@') {
		p++;
		while (p < end && is_space(*p))
			p++;
		q = p;
		while (q < end && !is_space(*q))
			q++;
		if (q == p)
			goto done;
		if (pyo_buf_puts(&c, "@ ") < 0 ||
		    put_url(&c, p, (size_t)(q - p)) < 0) {
			error = PYO_ERROR;
			goto done;
		}
		p = q;
	} else {
		if (p < end && *p == '(') {
			paren = 1;
			p++;
		}
		while (p < end && is_space(*p))
			p++;
		if (p < end && *p != ';' && *p != ')' && !strchr("<>=!~", *p))
			goto done; /* "numpy 1.26": not a requirement */
		for (; p < end && *p != ';' && *p != ')'; p++) {
			if (is_space(*p))
				continue;
			if (!is_alnum(*p) && !strchr("<>=!~.*+,_-", *p))
				goto done;
			if (pyo_buf_putc(&c, *p) < 0) {
				error = PYO_ERROR;
				goto done;
			}
		}
		if (paren) {
			if (p == end || *p != ')')
				goto done;
			p++;
		} else if (p < end && *p == ')') {
			goto done;
		}
	}
	while (p < end && is_space(*p))
		p++;
	if (p < end && *p != ';')
		goto done; /* markers follow ';', nothing else may */
	error = mf_add_pypi(ctx, name, name_len, c.ptr, c.len, group, line,
	                    is_direct, 0);
done:
	pyo_buf_release(&c);
	return error;
}

int mf_pep508(struct mf_ctx *ctx,
              const char *s,
              size_t len,
              const char *group,
              unsigned line,
              int is_direct)
{
	int error = mf_pep508_try(ctx, s, len, group, line, is_direct);

	if (error == 1) {
		mf_warn(ctx, line, "cannot parse requirement '%.*s'",
		        (int)(len > 60 ? 60 : len), s);
		error = 0;
	}
	return error;
}

unsigned
mf_line_at(const char *data, size_t off, size_t *from_off, unsigned *from_line)
{
	const char *p = data + *from_off, *end = data + off;

	if (off < *from_off)
		return *from_line;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		(*from_line)++;
		p++;
	}
	*from_off = off;
	return *from_line;
}

static void toml_warn(void *payload, unsigned line, const char *message)
{
	mf_warn(payload, line, "%s", message);
}

int mf_toml(struct pyo_toml **out,
            struct mf_ctx *ctx,
            const char *data,
            size_t len)
{
	struct pyo_toml_error err;
	int error;

	if ((error = pyo_toml_parse(out, &err, data, len, toml_warn, ctx)) < 0)
		return error;
	if (err.line)
		mf_warn(ctx, err.line, "%s; dependencies after it skipped",
		        err.message);
	return 0;
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
