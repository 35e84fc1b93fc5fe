/*
 * manifest_int.h: what the manifest parsers share. manifest.c dispatches a
 * file to one parser; each parser reads a buffer and adds deps through
 * mf_add(), warnings through mf_warn() (both in manifest_util.c), and
 * includes through mf_include(). Parsers return 0, or PYO_ERROR on out of
 * memory only.
 */
#ifndef PYORGO_MANIFEST_INT_H
#define PYORGO_MANIFEST_INT_H

#include "pyorgo/manifest.h"

#define MF_MAX_DEPTH 8     /* include nesting */
#define MF_MAX_INCLUDES 64 /* files read through includes, per manifest */
#define MF_MAX_WARNINGS 20 /* per manifest, then one "more" warning */
#define MF_MAX_DEPS 100000 /* per manifest */
#define MF_MAX_LINE 65536  /* longer logical lines are skipped */

/* Shared by a manifest and every file it includes. */
struct mf_root {
	struct pyo_deps *out;
	pyo_manifest_read_cb read;
	void *read_payload;
	pyo_warn_cb warn;
	void *warn_payload;
	unsigned nr_warnings, nr_includes;
	size_t nr_deps;
};

/* One file being parsed; `parent` is the file that included it. */
struct mf_ctx {
	struct mf_root *root;
	const struct mf_ctx *parent;
	const char *path;
	int depth;
};

/* "path:line: message" (line 0: "path: message"). */
void mf_warn(struct mf_ctx *ctx, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

struct mf_dep {
	const char *ecosystem;
	const char *name; /* already normalized */
	size_t name_len;
	const char *constraint; /* NULL means "" */
	size_t constraint_len;
	const char *group;
	unsigned line;
	int is_direct, is_lock;
};

int mf_add(struct mf_ctx *ctx, const struct mf_dep *d);
/* Normalizes `name` (PEP 503) and adds a pypi dep. */
int mf_add_pypi(struct mf_ctx *ctx,
                const char *name,
                size_t name_len,
                const char *constraint,
                size_t constraint_len,
                const char *group,
                unsigned line,
                int is_direct,
                int is_lock);

/*
 * A PEP 508 string ("requests[socks]>=2.8 ; python_version<'3.11'",
 * "pkg @ https://...", "tensorflow (>=2.15,<2.17)"): adds a pypi dep, or
 * warns "cannot parse requirement" when it is not one.
 */
int mf_pep508(struct mf_ctx *ctx,
              const char *s,
              size_t len,
              const char *group,
              unsigned line,
              int is_direct);
/* Same, but returns 1 and adds nothing when `s` is not a requirement. */
int mf_pep508_try(struct mf_ctx *ctx,
                  const char *s,
                  size_t len,
                  const char *group,
                  unsigned line,
                  int is_direct);

/*
 * Reads `target` (relative to the directory of ctx->path) through the read
 * callback and parses it as `kind` (requirements or constraints), with
 * `group` forced when not NULL and is_direct forced to 0 when `indirect`.
 */
int mf_include(struct mf_ctx *ctx,
               const char *target,
               size_t target_len,
               unsigned line,
               enum pyo_manifest_kind kind,
               const char *group,
               int indirect);

/* One requirements-format logical line (also the conda pip: list). */
int mf_req_line(struct mf_ctx *ctx,
                const char *s,
                size_t len,
                unsigned line,
                const char *group,
                int is_direct);

/* "dev", "test", ... from a requirements file's path, or NULL. */
const char *mf_req_group(const char *path);

/* Parsers, one per format: buffer in, deps out. */
int mf_parse_requirements(struct mf_ctx *ctx,
                          const char *data,
                          size_t len,
                          const char *group,
                          int is_direct);
int mf_parse_pyproject(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_pipfile(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_setup_cfg(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_setup_py(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_conda(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_gomod(struct mf_ctx *ctx,
                   const char *data,
                   size_t len,
                   int is_work);
int mf_parse_gosum(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_poetry_lock(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_uv_lock(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_pipfile_lock(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_package_json(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_cargo(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_pom(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_gradle(struct mf_ctx *ctx, const char *data, size_t len);
int mf_parse_gemfile(struct mf_ctx *ctx, const char *data, size_t len);

/* Line of byte offset `off`, counting from `*from_off` at `*from_line`. */
unsigned
mf_line_at(const char *data, size_t off, size_t *from_off, unsigned *from_line);

struct pyo_toml;
/* Parses TOML, warning about a syntax error; *out is NULL only on OOM. */
int mf_toml(struct pyo_toml **out,
            struct mf_ctx *ctx,
            const char *data,
            size_t len);
/* Poetry and Pipfile values: "^1.2", "*", {version = ...}, [{...}]:
 * the constraint, borrowed from `v` (NULL for "*" or none). */
int mf_poetry_constraint(const struct pyo_toml *v, const char **c, size_t *n);
/* A table of name -> Poetry-style value, skipping the key `skip`. */
int mf_read_name_table(struct mf_ctx *ctx,
                       const struct pyo_toml *t,
                       const char *group,
                       const char *skip);

/*
 * cJSON keeps no positions: mf_json_key_line() finds a key's line by
 * searching for "key" after the previous hit (objects are visited in file
 * order), so the whole file is scanned once. 0 when not found.
 */
struct mf_json_lines {
	const char *data;
	size_t len, off, at;
	unsigned line; /* start at 1 */
};

unsigned mf_json_key_line(struct mf_json_lines *jl, const char *key);

#endif
