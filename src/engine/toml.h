/*
 * toml.h: a small TOML reader for the subset manifests use (tables, dotted
 * keys, arrays of tables, inline tables, multi-line arrays, all four
 * string forms, comments; numbers, booleans and dates as opaque tokens).
 * It builds a tree; on a syntax error it stops and keeps what it read
 * before it. Time is linear in the input and memory bounded by it.
 */
#ifndef PYORGO_TOML_H
#define PYORGO_TOML_H

#include <stddef.h>

enum pyo_toml_type {
	PYO_TOML_STRING,
	PYO_TOML_INTEGER,
	PYO_TOML_FLOAT,
	PYO_TOML_BOOL,
	PYO_TOML_DATETIME,
	PYO_TOML_ARRAY,
	PYO_TOML_TABLE,
	PYO_TOML_NONE, /* pyo_toml_type(NULL) */
};

#define PYO_TOML_MAX_DEPTH 64
#define PYO_TOML_MAX_NODES 2000000

struct pyo_toml;

/* Receives a non-fatal problem (duplicate key, redefined table). */
typedef void (*pyo_toml_warn_cb)(void *payload,
                                 unsigned line,
                                 const char *message);

struct pyo_toml_error {
	unsigned line; /* 0: no error */
	char message[128];
};

/*
 * Parses `data` into `*out` (the root table; free with pyo_toml_free).
 * A syntax error stops the parse: `err` gets its line and message and
 * `*out` holds everything before it. Returns 0, or PYO_ERROR on OOM.
 */
int pyo_toml_parse(struct pyo_toml **out,
                   struct pyo_toml_error *err,
                   const char *data,
                   size_t len,
                   pyo_toml_warn_cb warn,
                   void *payload);
void pyo_toml_free(struct pyo_toml *v);

enum pyo_toml_type pyo_toml_type(const struct pyo_toml *v);
unsigned pyo_toml_line(const struct pyo_toml *v);
/* The value of `key` in a table, or NULL (also for NULL or a non-table). */
const struct pyo_toml *pyo_toml_get(const struct pyo_toml *table,
                                    const char *key);
/* Follows "a.b.c" (keys without dots) from a table, or NULL. */
const struct pyo_toml *pyo_toml_path(const struct pyo_toml *table,
                                     const char *dotted);
/* Elements of an array or entries of a table; 0 for other values. */
size_t pyo_toml_len(const struct pyo_toml *v);
const struct pyo_toml *pyo_toml_at(const struct pyo_toml *v, size_t i);
/* Key of entry `i` of a table (borrowed), or NULL. */
const char *pyo_toml_key_at(const struct pyo_toml *v, size_t i);
/* A string's decoded text (borrowed), or NULL when not a string. */
const char *pyo_toml_str(const struct pyo_toml *v);
size_t pyo_toml_strlen(const struct pyo_toml *v);
/* The raw token of a number, boolean or date; a string's text. */
const char *pyo_toml_token(const struct pyo_toml *v);

#endif
