/*
 * manifest_util.c: what the manifest parsers share (see manifest_int.h):
 * warnings, adding deps, PEP 503 names, PEP 508 requirement strings,
 * line numbers of offsets, and reading TOML with its warnings.
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
