/*
 * toml_int.h: what the parts of the TOML subset reader share (see toml.h).
 * toml.c holds the tree (nodes, tables, arrays, the public lookups),
 * toml_lex.c the scanner (strings, numbers, keys) and toml_parse.c the
 * parser (arrays, inline tables, headers, the document).
 */
#ifndef PYORGO_TOML_INT_H
#define PYORGO_TOML_INT_H

#include <stddef.h>

#include "toml.h"

#define F_EXPLICIT 1 /* defined by a [header] */
#define F_INLINE 2   /* inline table: closed once read */
#define F_AOT 4      /* array made by [[header]] */

#define SYNTAX (-100) /* a syntax error, described in ps->err */
#define MAX_KEYS 64   /* segments of one dotted key */

struct pyo_strmap;

struct kv {
	char *key;
	size_t klen;
	struct pyo_toml *val;
};

struct pyo_toml {
	unsigned char type, flags;
	unsigned short depth;
	unsigned line;
	size_t len, alloc;
	union {
		char *str;
		struct pyo_toml **items;
		struct kv *kvs;
	} u;
	struct pyo_strmap *index;
};

struct key {
	char *s;
	size_t len;
};

struct parser {
	const char *p, *end;
	unsigned line;
	size_t nodes;
	struct pyo_toml_error *err;
	pyo_toml_warn_cb warn;
	void *payload;
	struct pyo_toml *root, *sink, *cur;
};

/* toml.c: the tree */
int toml_new_node(struct pyo_toml **out,
                  struct parser *ps,
                  int type,
                  unsigned depth);
long toml_table_find(const struct pyo_toml *t, const char *key, size_t klen);
struct pyo_toml *
toml_table_child(const struct pyo_toml *t, const char *key, size_t klen);
int toml_table_put(struct pyo_toml *t,
                   const char *key,
                   size_t klen,
                   struct pyo_toml *val);
int toml_array_push(struct pyo_toml *a, struct pyo_toml *val);

/* toml_lex.c: the scanner */
int toml_syntax(struct parser *ps, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int toml_at_eof(const struct parser *ps);
void toml_skip_ws(struct parser *ps);
void toml_skip_comment(struct parser *ps);
int toml_eat_newline(struct parser *ps);
void toml_skip_all(struct parser *ps);
void toml_keys_free(struct key *keys, size_t n);
int toml_read_key(struct parser *ps, struct key *keys, size_t *n);
int toml_read_scalar(struct pyo_toml **out, struct parser *ps, unsigned depth);
int toml_read_string_value(struct pyo_toml **out,
                           struct parser *ps,
                           unsigned depth);

#endif
