/*
 * toml.c: the TOML subset reader (see toml.h): the tree. Nodes, table and
 * array storage, freeing, and the public lookups; the scanner is in
 * toml_lex.c and the parser in toml_parse.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "strmap.h"
#include "toml.h"
#include "toml_int.h"
#include "banned.h"

#define INDEX_FROM 16 /* tables this large get a hash index */

void pyo_toml_free(struct pyo_toml *v)
{
	size_t i;

	if (!v)
		return;
	if (v->type == PYO_TOML_ARRAY) {
		for (i = 0; i < v->len; i++)
			pyo_toml_free(v->u.items[i]);
		free(v->u.items);
	} else if (v->type == PYO_TOML_TABLE) {
		for (i = 0; i < v->len; i++) {
			free(v->u.kvs[i].key);
			pyo_toml_free(v->u.kvs[i].val);
		}
		free(v->u.kvs);
		if (v->index) {
			pyo_strmap_clear(v->index, NULL);
			free(v->index);
		}
	} else {
		free(v->u.str);
	}
	free(v);
}

int toml_new_node(struct pyo_toml **out,
                  struct parser *ps,
                  int type,
                  unsigned depth)
{
	struct pyo_toml *v;

	*out = NULL;
	if (depth > PYO_TOML_MAX_DEPTH)
		return toml_syntax(ps, "nesting too deep");
	if (++ps->nodes > PYO_TOML_MAX_NODES)
		return toml_syntax(ps, "too many values");
	v = calloc(1, sizeof(*v));
	if (!v)
		return pyo_error_oom();
	v->type = (unsigned char)type;
	v->depth = (unsigned short)depth;
	v->line = ps->line;
	*out = v;
	return 0;
}

long toml_table_find(const struct pyo_toml *t, const char *key, size_t klen)
{
	size_t i;

	if (t->index) {
		void *hit = pyo_strmap_get(t->index, key, klen);

		return hit ? (long)((uintptr_t)hit - 1) : -1;
	}
	for (i = 0; i < t->len; i++)
		if (t->u.kvs[i].klen == klen &&
		    !memcmp(t->u.kvs[i].key, key, klen))
			return (long)i;
	return -1;
}

struct pyo_toml *
toml_table_child(const struct pyo_toml *t, const char *key, size_t klen)
{
	long i = toml_table_find(t, key, klen);

	return i < 0 ? NULL : t->u.kvs[i].val;
}

static int index_put(struct pyo_toml *t, size_t i)
{
	return pyo_strmap_put(t->index, t->u.kvs[i].key, t->u.kvs[i].klen,
	                      (void *)(uintptr_t)(i + 1));
}

/* Takes ownership of `val` (freed on failure). */
int toml_table_put(struct pyo_toml *t,
                   const char *key,
                   size_t klen,
                   struct pyo_toml *val)
{
	size_t i;
	char *k;

	if (t->len == t->alloc) {
		size_t n = t->alloc ? t->alloc * 2 : 4;
		struct kv *kvs = realloc(t->u.kvs, n * sizeof(*kvs));

		if (!kvs)
			goto oom;
		t->u.kvs = kvs;
		t->alloc = n;
	}
	k = malloc(klen + 1);
	if (!k)
		goto oom;
	memcpy(k, key, klen);
	k[klen] = '\0';
	t->u.kvs[t->len].key = k;
	t->u.kvs[t->len].klen = klen;
	t->u.kvs[t->len].val = val;
	t->len++;
	if (t->index)
		return index_put(t, t->len - 1) < 0 ? PYO_ERROR : 0;
	if (t->len >= INDEX_FROM) {
		t->index = calloc(1, sizeof(*t->index));
		if (!t->index)
			return pyo_error_oom();
		for (i = 0; i < t->len; i++)
			if (index_put(t, i) < 0)
				return PYO_ERROR;
	}
	return 0;
oom:
	pyo_toml_free(val);
	return pyo_error_oom();
}

int toml_array_push(struct pyo_toml *a, struct pyo_toml *val)
{
	if (a->len == a->alloc) {
		size_t n = a->alloc ? a->alloc * 2 : 4;
		struct pyo_toml **items =
		        realloc(a->u.items, n * sizeof(*items));

		if (!items) {
			pyo_toml_free(val);
			return pyo_error_oom();
		}
		a->u.items = items;
		a->alloc = n;
	}
	a->u.items[a->len++] = val;
	return 0;
}

enum pyo_toml_type pyo_toml_type(const struct pyo_toml *v)
{
	return v ? (enum pyo_toml_type)v->type : PYO_TOML_NONE;
}

unsigned pyo_toml_line(const struct pyo_toml *v)
{
	return v ? v->line : 0;
}

const struct pyo_toml *pyo_toml_get(const struct pyo_toml *table,
                                    const char *key)
{
	if (!table || table->type != PYO_TOML_TABLE)
		return NULL;
	return toml_table_child(table, key, strlen(key));
}

const struct pyo_toml *pyo_toml_path(const struct pyo_toml *table,
                                     const char *dotted)
{
	const char *dot;

	while (table) {
		if (table->type != PYO_TOML_TABLE)
			return NULL;
		dot = strchr(dotted, '.');
		if (!dot)
			return toml_table_child(table, dotted, strlen(dotted));
		table = toml_table_child(table, dotted, (size_t)(dot - dotted));
		dotted = dot + 1;
	}
	return NULL;
}

size_t pyo_toml_len(const struct pyo_toml *v)
{
	if (!v || (v->type != PYO_TOML_ARRAY && v->type != PYO_TOML_TABLE))
		return 0;
	return v->len;
}

const struct pyo_toml *pyo_toml_at(const struct pyo_toml *v, size_t i)
{
	if (!v || i >= pyo_toml_len(v))
		return NULL;
	return v->type == PYO_TOML_ARRAY ? v->u.items[i] : v->u.kvs[i].val;
}

const char *pyo_toml_key_at(const struct pyo_toml *v, size_t i)
{
	if (!v || v->type != PYO_TOML_TABLE || i >= v->len)
		return NULL;
	return v->u.kvs[i].key;
}

const char *pyo_toml_str(const struct pyo_toml *v)
{
	return v && v->type == PYO_TOML_STRING ? v->u.str : NULL;
}

size_t pyo_toml_strlen(const struct pyo_toml *v)
{
	return v && v->type == PYO_TOML_STRING ? v->len : 0;
}

const char *pyo_toml_token(const struct pyo_toml *v)
{
	if (!v || v->type == PYO_TOML_ARRAY || v->type == PYO_TOML_TABLE)
		return NULL;
	return v->u.str;
}
