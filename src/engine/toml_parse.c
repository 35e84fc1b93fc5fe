/*
 * toml_parse.c: the parser of the TOML subset reader (see toml.h). A
 * recursive-descent parser over one buffer: values, arrays, inline
 * tables, key/value pairs, [table] and [[array]] headers, the document.
 * Nesting is capped at PYO_TOML_MAX_DEPTH so recursion (parse and free)
 * is bounded, and the node count at PYO_TOML_MAX_NODES.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "toml.h"
#include "toml_int.h"
#include "banned.h"

static void warn(struct parser *ps, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void warn(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (!ps->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->warn(ps->payload, line, msg);
}

static int read_value(struct pyo_toml **out, struct parser *ps, unsigned depth);

static int read_array(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	struct pyo_toml *a, *item;
	int error;

	if ((error = toml_new_node(&a, ps, PYO_TOML_ARRAY, depth)) < 0)
		return error;
	ps->p++; /* [ */
	for (;;) {
		toml_skip_all(ps);
		if (toml_at_eof(ps)) {
			error = toml_syntax(ps, "unterminated array");
			goto done;
		}
		if (*ps->p == ']') {
			ps->p++;
			break;
		}
		error = read_value(&item, ps, depth + 1);
		if (item && (error == 0 || error == SYNTAX)) {
			int e2 = toml_array_push(a, item);

			if (e2 < 0)
				error = e2;
		}
		if (error < 0)
			goto done;
		toml_skip_all(ps);
		if (toml_at_eof(ps)) {
			error = toml_syntax(ps, "unterminated array");
			goto done;
		}
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p != ']') {
			error = toml_syntax(ps, "expected ',' or ']' in array");
			goto done;
		}
	}
	*out = a;
	a = NULL;
done:
	if (error == SYNTAX) { /* keep the elements read before the error */
		*out = a;
		a = NULL;
	}
	pyo_toml_free(a);
	return error;
}

static int assign(struct parser *ps,
                  struct pyo_toml *t,
                  struct key *keys,
                  size_t n,
                  struct pyo_toml *val);

static int read_keyval(struct parser *ps, struct pyo_toml *t)
{
	struct key keys[MAX_KEYS];
	struct pyo_toml *val = NULL;
	size_t n = 0;
	int error;

	if ((error = toml_read_key(ps, keys, &n)) < 0)
		return error;
	toml_skip_ws(ps);
	if (toml_at_eof(ps) || *ps->p != '=') {
		error = toml_syntax(ps, "expected '=' after key '%.40s'",
		                    keys[n - 1].s);
		goto done;
	}
	ps->p++;
	toml_skip_ws(ps);
	error = read_value(&val, ps, t->depth + (unsigned)n);
	if (val && (error == 0 || error == SYNTAX)) {
		/* a value cut by a syntax error keeps what it holds */
		int e2 = assign(ps, t, keys, n, val);

		if (e2 < 0)
			error = e2;
	}
done:
	toml_keys_free(keys, n);
	return error;
}

static int
read_inline_table(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	struct pyo_toml *t;
	int error;

	if ((error = toml_new_node(&t, ps, PYO_TOML_TABLE, depth)) < 0)
		return error;
	ps->p++; /* { */
	for (;;) {
		/* lenient like TOML 1.1: newlines, comments, trailing comma */
		toml_skip_all(ps);
		if (toml_at_eof(ps)) {
			error = toml_syntax(ps, "unterminated inline table");
			goto done;
		}
		if (*ps->p == '}') {
			ps->p++;
			break;
		}
		if ((error = read_keyval(ps, t)) < 0)
			goto done;
		toml_skip_all(ps);
		if (toml_at_eof(ps)) {
			error = toml_syntax(ps, "unterminated inline table");
			goto done;
		}
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p != '}') {
			error = toml_syntax(
			        ps, "expected ',' or '}' in inline table");
			goto done;
		}
	}
	t->flags |= F_INLINE;
	*out = t;
	t = NULL;
done:
	if (error == SYNTAX) {
		t->flags |= F_INLINE;
		*out = t;
		t = NULL;
	}
	pyo_toml_free(t);
	return error;
}

static int read_value(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	*out = NULL;
	if (depth > PYO_TOML_MAX_DEPTH)
		return toml_syntax(ps, "nesting too deep");
	if (toml_at_eof(ps))
		return toml_syntax(ps, "expected a value");
	switch (*ps->p) {
	case '"':
	case '\'':
		return toml_read_string_value(out, ps, depth);
	case '[':
		return read_array(out, ps, depth);
	case '{':
		return read_inline_table(out, ps, depth);
	default:
		return toml_read_scalar(out, ps, depth);
	}
}

/* Takes ownership of `val`: stores it, or frees it on a duplicate. */
static int assign(struct parser *ps,
                  struct pyo_toml *t,
                  struct key *keys,
                  size_t n,
                  struct pyo_toml *val)
{
	struct pyo_toml *child;
	size_t i;
	int error;

	for (i = 0; i + 1 < n; i++) {
		child = toml_table_child(t, keys[i].s, keys[i].len);
		if (!child) {
			if ((error = toml_new_node(&child, ps, PYO_TOML_TABLE,
			                           t->depth + 1u)) < 0 ||
			    (error = toml_table_put(t, keys[i].s, keys[i].len,
			                            child)) < 0) {
				pyo_toml_free(val);
				return error;
			}
		} else if (child->type != PYO_TOML_TABLE ||
		           (child->flags & F_INLINE)) {
			warn(ps, val->line,
			     "key '%.40s' already has a value; keeping the first",
			     keys[i].s);
			pyo_toml_free(val);
			return 0;
		}
		t = child;
	}
	if (toml_table_find(t, keys[n - 1].s, keys[n - 1].len) >= 0) {
		warn(ps, val->line, "duplicate key '%.40s'; keeping the first",
		     keys[n - 1].s);
		pyo_toml_free(val);
		return 0;
	}
	return toml_table_put(t, keys[n - 1].s, keys[n - 1].len, val);
}

static int use_sink(struct parser *ps)
{
	int error;

	pyo_toml_free(ps->sink);
	ps->sink = NULL;
	if ((error = toml_new_node(&ps->sink, ps, PYO_TOML_TABLE, 1)) < 0)
		return error;
	ps->cur = ps->sink;
	return 0;
}

static int read_header(struct parser *ps)
{
	struct key keys[MAX_KEYS];
	struct pyo_toml *t = ps->root, *child;
	unsigned line = ps->line;
	int aot = 0, error;
	size_t n = 0, i;

	ps->p++;
	if (!toml_at_eof(ps) && *ps->p == '[') {
		aot = 1;
		ps->p++;
	}
	if ((error = toml_read_key(ps, keys, &n)) < 0)
		return error;
	toml_skip_ws(ps);
	if (toml_at_eof(ps) || *ps->p != ']' ||
	    (aot && (ps->end - ps->p < 2 || ps->p[1] != ']'))) {
		error = toml_syntax(ps, "expected '%s' after table name",
		                    aot ? "]]" : "]");
		goto done;
	}
	ps->p += aot ? 2 : 1;

	for (i = 0; i + 1 < n; i++) {
		child = toml_table_child(t, keys[i].s, keys[i].len);
		if (!child) {
			if ((error = toml_new_node(&child, ps, PYO_TOML_TABLE,
			                           t->depth + 1u)) < 0 ||
			    (error = toml_table_put(t, keys[i].s, keys[i].len,
			                            child)) < 0)
				goto done;
		} else if (child->type == PYO_TOML_ARRAY &&
		           (child->flags & F_AOT) && child->len) {
			child = child->u.items[child->len - 1];
		} else if (child->type != PYO_TOML_TABLE ||
		           (child->flags & F_INLINE)) {
			warn(ps, line,
			     "key '%.40s' redefined as a table; keeping the first",
			     keys[i].s);
			error = use_sink(ps);
			goto done;
		}
		t = child;
	}
	child = toml_table_child(t, keys[n - 1].s, keys[n - 1].len);
	if (aot) {
		struct pyo_toml *elem;

		if (!child) {
			if ((error = toml_new_node(&child, ps, PYO_TOML_ARRAY,
			                           t->depth + 1u)) < 0 ||
			    (error = toml_table_put(t, keys[n - 1].s,
			                            keys[n - 1].len, child)) <
			            0)
				goto done;
			child->flags |= F_AOT;
		} else if (child->type != PYO_TOML_ARRAY ||
		           !(child->flags & F_AOT)) {
			warn(ps, line,
			     "key '%.40s' redefined as an array of tables; keeping the first",
			     keys[n - 1].s);
			error = use_sink(ps);
			goto done;
		}
		if ((error = toml_new_node(&elem, ps, PYO_TOML_TABLE,
		                           child->depth + 1u)) < 0 ||
		    (error = toml_array_push(child, elem)) < 0)
			goto done;
		elem->flags |= F_EXPLICIT;
		ps->cur = elem;
	} else if (!child) {
		if ((error = toml_new_node(&child, ps, PYO_TOML_TABLE,
		                           t->depth + 1u)) < 0 ||
		    (error = toml_table_put(t, keys[n - 1].s, keys[n - 1].len,
		                            child)) < 0)
			goto done;
		child->flags |= F_EXPLICIT;
		ps->cur = child;
	} else if (child->type == PYO_TOML_TABLE &&
	           !(child->flags & (F_EXPLICIT | F_INLINE))) {
		child->flags |= F_EXPLICIT;
		ps->cur = child;
	} else {
		warn(ps, line, "table [%.40s] defined twice; keeping the first",
		     keys[n - 1].s);
		error = use_sink(ps);
	}
done:
	toml_keys_free(keys, n);
	return error;
}

static int read_document(struct parser *ps)
{
	int error;

	if (ps->end - ps->p >= 3 && !memcmp(ps->p, "\xef\xbb\xbf", 3))
		ps->p += 3;
	for (;;) {
		toml_skip_all(ps);
		if (toml_at_eof(ps))
			return 0;
		if (*ps->p == '[')
			error = read_header(ps);
		else
			error = read_keyval(ps, ps->cur);
		if (error < 0)
			return error;
		toml_skip_ws(ps);
		toml_skip_comment(ps);
		if (!toml_at_eof(ps) && !toml_eat_newline(ps))
			return toml_syntax(ps,
			                   "expected a new line after a value");
	}
}

int pyo_toml_parse(struct pyo_toml **out,
                   struct pyo_toml_error *err,
                   const char *data,
                   size_t len,
                   pyo_toml_warn_cb warn_cb,
                   void *payload)
{
	struct parser ps = { 0 };
	int error;

	*out = NULL;
	err->line = 0;
	err->message[0] = '\0';
	ps.p = data;
	ps.end = data + len;
	ps.line = 1;
	ps.err = err;
	ps.warn = warn_cb;
	ps.payload = payload;
	if ((error = toml_new_node(&ps.root, &ps, PYO_TOML_TABLE, 0)) < 0)
		return error;
	ps.cur = ps.root;
	error = read_document(&ps);
	pyo_toml_free(ps.sink);
	if (error == SYNTAX)
		error = 0;
	if (error < 0) {
		pyo_toml_free(ps.root);
		return error;
	}
	*out = ps.root;
	return 0;
}
