/*
 * classify.h: which language a file is in, and whether it counts, the way
 * GitHub Linguist decides: .gitattributes, modeline, filename, shebang,
 * extension, content heuristics; then vendored, generated, documentation
 * and binary files are left out. Reads only the rules' language data.
 */
#ifndef PYORGO_CLASSIFY_H
#define PYORGO_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/report.h"
#include "pyorgo/rules.h"

struct pyo_language; /* an entry of rules/languages.json; borrowed */

const char *pyo_language_name(const struct pyo_language *l); /* "Python" */
enum pyo_lang_type pyo_language_type(const struct pyo_language *l);
/* 1 when line kinds (code/comment/blank) can be counted. */
int pyo_language_has_comments(const struct pyo_language *l);
/* Lookup by Linguist name or alias, case-insensitive; NULL if unknown. */
const struct pyo_language *pyo_language_find(const struct pyo_rules *rules,
                                             const char *name);
/* The language its bytes are reported under (Linguist's `group`, e.g.
 * "Fortran Free Form" -> "Fortran"); `l` itself when it has none. */
const struct pyo_language *pyo_language_group(const struct pyo_language *l);

/* linguist-* attributes of a path at REV: -1 unspecified, 0 unset, 1 set. */
struct pyo_attrs {
	const char *language; /* linguist-language value, or NULL */
	int vendored, generated, documentation, detectable;
};

enum pyo_class_flags {
	PYO_CLASS_NEEDS_CONTENT = 1 << 0, /* call pyo_classify_content() */
	PYO_CLASS_NOTEBOOK = 1 << 1,      /* Jupyter: count code cells only */
};

struct pyo_class {
	const struct pyo_language *lang; /* NULL: unknown */
	enum pyo_exclude exclude;        /* PYO_EX_NONE when counted */
	enum pyo_scope scope;
	const char *strategy; /* "gitattributes", "modeline", "filename",
	                         "shebang", "extension", "heuristics",
	                         "fallback" (ambiguous: most common choice) */
	const char *rule_id;  /* the paths.json rule behind `exclude` or
	                         `scope`, or NULL */
	int in_share;         /* counts in the language share: programming or
	                         markup (or linguist-detectable), not excluded */
	unsigned flags;
};

/*
 * Phase 1, from the path alone (and its attributes, NULL when none). Sets
 * PYO_CLASS_NEEDS_CONTENT when the bytes could change the answer
 * (shebang, modeline, heuristics, generated markers, binary check).
 */
int pyo_classify_path(struct pyo_class *out,
                      const struct pyo_rules *rules,
                      const char *path,
                      const struct pyo_attrs *attrs);
/*
 * Phase 2, with the start of the content (`len` may be shorter than the
 * blob; 64 KiB is enough). Completes what phase 1 left open.
 */
int pyo_classify_content(struct pyo_class *out,
                         const struct pyo_rules *rules,
                         const char *path,
                         const char *data,
                         size_t len,
                         const struct pyo_attrs *attrs);

struct pyo_line_counts {
	uint64_t lines, code, comment, blank;
};

/* Counts lines of `data` in language `lang` (NULL: lines and blank only). */
void pyo_count_lines(struct pyo_line_counts *out,
                     const struct pyo_language *lang,
                     const char *data,
                     size_t len);

/* Where the lines of a text start: starts[0] is 0, then one past each
 * '\n' (nr of them). Reused from text to text; free(starts) at the end. */
struct pyo_line_index {
	size_t *starts;
	size_t nr, alloc;
};

/*
 * pyo_count_lines(), keeping where each line starts in `idx` on the way:
 * the detectors need them too, and the count already finds every line.
 * Returns 0, or PYO_ERROR when out of memory (the counts are right, the
 * index is empty).
 */
int pyo_count_lines_index(struct pyo_line_counts *out,
                          const struct pyo_language *lang,
                          const char *data,
                          size_t len,
                          struct pyo_line_index *idx);

/*
 * Extracts the code cells of a Jupyter notebook, joined by newlines, into a
 * malloc'ed `*code` (free()). `*kernel` is the malloc'ed name of the
 * kernel's language ("Python" when the notebook does not say). Returns
 * PYO_EINVALID when the notebook is not valid JSON.
 */
int pyo_notebook_extract(char **code,
                         size_t *code_len,
                         char **kernel,
                         const char *data,
                         size_t len);

#endif
