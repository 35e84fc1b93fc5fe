/*
 * imports.h: import extraction for Python and Go, on text already masked by
 * lex.c (Python: code mode, so imports in strings and docstrings are gone;
 * Go: strings mode, so import paths are kept but comments are gone).
 */
#ifndef PYORGO_IMPORTS_H
#define PYORGO_IMPORTS_H

#include <stddef.h>

struct imp {
	char *name;         /* "torch.nn", "google.genai", "net/http" */
	size_t name_off;    /* where in imp_list.names (while parsing) */
	size_t off;         /* byte offset of the statement's first byte */
	unsigned line;      /* 1-based */
	unsigned column;    /* 1-based, bytes */
	int is_from_member; /* "from P import C" gave "P.C" */
};

struct imp_list {
	struct imp *items;
	size_t nr, alloc;
	char *names; /* every name, NUL-terminated, one after the other */
	size_t names_len, names_alloc;
};

void imp_list_clear(struct imp_list *l);
/* Empties the list and keeps its memory for the next file. */
void imp_list_reset(struct imp_list *l);

/*
 * Python: `import a.b as c, d`, `from x import (a,\n b)`, backslash
 * continuations, `;`-separated statements, imports at any indentation.
 * Relative imports (`from . import x`, `from .m import x`) are skipped.
 * For `from P import C` both "P" and "P.C" are listed (the second with
 * is_from_member), so namespace packages (google.genai) can be found.
 */
int imports_python(struct imp_list *out, const char *masked, size_t len);

/*
 * Go: `import "p"`, `import alias "p"`, `import _ "p"`, `import . "p"` and
 * grouped `import ( ... )`, with "" or `` paths. Stops at the first
 * top-level func, type, var or const declaration.
 */
int imports_go(struct imp_list *out, const char *masked, size_t len);

#endif
