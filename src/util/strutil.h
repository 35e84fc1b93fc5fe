/* strutil.h: string and path helpers. */
#ifndef PYORGO_STRUTIL_H
#define PYORGO_STRUTIL_H

#include <stddef.h>

/* malloc'ed copies; NULL (with the error set) on OOM. NULL in, NULL out. */
char *pyo_strdup(const char *s);
char *pyo_strndup(const char *s, size_t n);
/* The last path component of `path`. Borrowed. */
const char *pyo_path_basename(const char *path);
/* The extension of the basename, with its dot (".py"), or "". Borrowed. */
const char *pyo_path_ext(const char *path);
int pyo_str_endswith(const char *s, const char *suffix);
int pyo_str_startswith(const char *s, const char *prefix);
/* 1 when `s` is `prefix`, or starts with it and then `sep` ("a.b" is
 * under "a" with '.', "ab" is not). */
int pyo_str_under(const char *s, const char *prefix, char sep);
/* ASCII case-insensitive comparison. */
int pyo_strcasecmp(const char *a, const char *b);
/* Search `needle` in `hay` (binary-safe). */
const char *
pyo_memmem(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* Strict base-10 parse of a non-negative number; -1 when not one. */
int pyo_parse_u64(const char *s, unsigned long long *out);
int pyo_parse_double(const char *s, double *out);
/* Glob match: `*` within a segment, `**` across segments, `?`. */
int pyo_glob_match(const char *pattern, const char *path);

#endif
