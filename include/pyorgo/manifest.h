/*
 * manifest.h: dependency manifests. The scan calls pyo_manifest_kind() on
 * every path of the tree, and pyo_manifest_parse() on the blobs it names,
 * turning requirements files, pyproject.toml, go.mod, lock files and other
 * languages' manifests into struct pyo_dep entries (report.h). Nothing is
 * ever executed: setup.py is read as text.
 */
#ifndef PYORGO_MANIFEST_H
#define PYORGO_MANIFEST_H

#include <stddef.h>

#include "pyorgo/common.h"
#include "pyorgo/report.h"

enum pyo_manifest_kind {
	PYO_MANIFEST_NONE = 0,
	PYO_MANIFEST_REQUIREMENTS,
	PYO_MANIFEST_PYPROJECT,
	PYO_MANIFEST_PIPFILE,
	PYO_MANIFEST_PIPFILE_LOCK,
	PYO_MANIFEST_SETUP_CFG,
	PYO_MANIFEST_SETUP_PY,
	PYO_MANIFEST_CONDA,
	PYO_MANIFEST_GOMOD,
	PYO_MANIFEST_GOWORK,
	PYO_MANIFEST_GOSUM,
	PYO_MANIFEST_POETRY_LOCK,
	PYO_MANIFEST_UV_LOCK,
	PYO_MANIFEST_PACKAGE_JSON,
	PYO_MANIFEST_CARGO,
	PYO_MANIFEST_POM,
	PYO_MANIFEST_GRADLE,
	PYO_MANIFEST_GEMFILE,
	PYO_MANIFEST_CONSTRAINTS, /* constraints*.txt: pins, never usage */
	PYO_MANIFEST_COUNT
};

/* From the repo-relative path alone; fast (called on every path). */
enum pyo_manifest_kind pyo_manifest_kind(const char *path);
/* "requirements", "pyproject", ...; "none" for an unknown kind. */
const char *pyo_manifest_kind_name(enum pyo_manifest_kind kind);

/*
 * Reads another file of the same commit (for -r/-c includes), malloc'ed
 * into *data (the caller of the callback frees it); returns 0 or
 * PYO_ENOTFOUND.
 */
typedef int (*pyo_manifest_read_cb)(char **data,
                                    size_t *len,
                                    const char *path,
                                    void *payload);

/*
 * Parses one manifest and appends its dependencies to `out`. Bad content
 * never fails: it gives warnings through `warn` ("pyproject.toml:12:
 * unterminated string; dependencies after it skipped") and whatever could
 * be read is kept. `read` may be NULL (includes then give a warning).
 * Includes are resolved relative to the including file, inside the
 * repository only, with a depth limit and cycle detection; their deps carry
 * the included file's path and line. Returns 0, or PYO_ERROR on out of
 * memory only.
 */
int pyo_manifest_parse(struct pyo_deps *out,
                       enum pyo_manifest_kind kind,
                       const char *path,
                       const char *data,
                       size_t len,
                       pyo_manifest_read_cb read,
                       void *read_payload,
                       pyo_warn_cb warn,
                       void *warn_payload);

/* PEP 503: lowercase, runs of '-', '_', '.' become one '-'. Malloc'ed. */
char *pyo_manifest_pep503(const char *name, size_t len);

#endif
