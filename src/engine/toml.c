/*
 * toml.c: the TOML subset reader (see toml.h). A recursive-descent parser
 * over one buffer; nesting is capped at PYO_TOML_MAX_DEPTH so recursion
 * (parse and free) is bounded, and the node count at PYO_TOML_MAX_NODES.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "buf.h"
#include "strmap.h"
#include "toml.h"
#include "banned.h"

#define F_EXPLICIT 1 /* defined by a [header] */
#define F_INLINE 2   /* inline table: closed once read */
#define F_AOT 4      /* array made by [[header]] */

#define SYNTAX (-100) /* a syntax error, described in ps->err */
#define INDEX_FROM 16 /* tables this large get a hash index */
#define MAX_KEYS 64   /* segments of one dotted key */

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

static int syntax(struct parser *ps, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int syntax(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (!ps->err->line) {
		ps->err->line = ps->line;
		va_start(ap, fmt);
		vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
		va_end(ap);
	}
	return SYNTAX;
}

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

static int
new_node(struct pyo_toml **out, struct parser *ps, int type, unsigned depth)
{
	struct pyo_toml *v;

	*out = NULL;
	if (depth > PYO_TOML_MAX_DEPTH)
		return syntax(ps, "nesting too deep");
	if (++ps->nodes > PYO_TOML_MAX_NODES)
		return syntax(ps, "too many values");
	v = calloc(1, sizeof(*v));
	if (!v)
		return pyo_error_oom();
	v->type = (unsigned char)type;
	v->depth = (unsigned short)depth;
	v->line = ps->line;
	*out = v;
	return 0;
}

static long table_find(const struct pyo_toml *t, const char *key, size_t klen)
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

static struct pyo_toml *
table_child(const struct pyo_toml *t, const char *key, size_t klen)
{
	long i = table_find(t, key, klen);

	return i < 0 ? NULL : t->u.kvs[i].val;
}

static int index_put(struct pyo_toml *t, size_t i)
{
	return pyo_strmap_put(t->index, t->u.kvs[i].key, t->u.kvs[i].klen,
	                      (void *)(uintptr_t)(i + 1));
}

/* Takes ownership of `val` (freed on failure). */
static int table_put(struct pyo_toml *t,
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

static int array_push(struct pyo_toml *a, struct pyo_toml *val)
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

/* Lexing */

static int at_eof(const struct parser *ps)
{
	return ps->p >= ps->end;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static void skip_comment(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '#') {
		const char *start = ps->p;
		const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));

		ps->p = nl ? nl : ps->end;
		if (nl && nl > start && nl[-1] == '\r')
			ps->p--; /* leave "\r\n" to eat_newline() */
	}
}

/* Consumes "\n" or "\r\n"; 1 when it did. */
static int eat_newline(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\n') {
		ps->p++;
		ps->line++;
		return 1;
	}
	if (ps->end - ps->p >= 2 && ps->p[0] == '\r' && ps->p[1] == '\n') {
		ps->p += 2;
		ps->line++;
		return 1;
	}
	return 0;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
static void skip_all(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		skip_comment(ps);
		if (!eat_newline(ps))
			return;
	}
}

static int put_utf8(struct pyo_buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return pyo_buf_put(b, u, n);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* After a backslash in a basic string. */
static int read_escape(struct parser *ps, struct pyo_buf *b)
{
	unsigned long c = 0;
	int i, n, h;
	char e;

	if (at_eof(ps))
		return syntax(ps, "unterminated string");
	e = *ps->p++;
	switch (e) {
	case 'b':
		return pyo_buf_putc(b, '\b');
	case 't':
		return pyo_buf_putc(b, '\t');
	case 'n':
		return pyo_buf_putc(b, '\n');
	case 'f':
		return pyo_buf_putc(b, '\f');
	case 'r':
		return pyo_buf_putc(b, '\r');
	case 'e':
		return pyo_buf_putc(b, '\033');
	case '"':
	case '\\':
		return pyo_buf_putc(b, e);
	case 'x':
		n = 2;
		break;
	case 'u':
		n = 4;
		break;
	case 'U':
		n = 8;
		break;
	default:
		return syntax(ps, "invalid escape in string");
	}
	if (ps->end - ps->p < n)
		return syntax(ps, "unterminated string");
	for (i = 0; i < n; i++) {
		if ((h = hexval(ps->p[i])) < 0)
			return syntax(ps, "invalid escape in string");
		c = c * 16 + (unsigned long)h;
	}
	ps->p += n;
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return syntax(ps, "invalid unicode escape in string");
	return put_utf8(b, c);
}

static int is_ctrl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* One-line "..." or '...'; ps->p is on the quote. */
static int read_line_string(struct parser *ps, struct pyo_buf *b)
{
	char q = *ps->p++;
	int error;

	for (;;) {
		unsigned char c;

		if (at_eof(ps) || *ps->p == '\n' || *ps->p == '\r')
			return syntax(ps, "unterminated string");
		c = (unsigned char)*ps->p;
		if (c == (unsigned char)q) {
			ps->p++;
			return 0;
		}
		if (is_ctrl(c))
			return syntax(ps, "control character in string");
		if (c == '\\' && q == '"') {
			ps->p++;
			if ((error = read_escape(ps, b)) < 0)
				return error;
			continue;
		}
		/* copy a run of plain bytes at once */
		{
			const char *s = ps->p;

			while (ps->p < ps->end && *ps->p != q &&
			       *ps->p != '\\' &&
			       !is_ctrl((unsigned char)*ps->p))
				ps->p++;
			if (ps->p == s)
				ps->p++;
			if (pyo_buf_put(b, s, (size_t)(ps->p - s)) < 0)
				return PYO_ERROR;
		}
	}
}

/* """...""" or '''...'''; ps->p is on the first quote. */
static int read_ml_string(struct parser *ps, struct pyo_buf *b)
{
	char q = *ps->p;
	int error;

	ps->p += 3;
	eat_newline(ps); /* a newline right after the opening is trimmed */
	for (;;) {
		unsigned char c;

		if (at_eof(ps))
			return syntax(ps, "unterminated string");
		c = (unsigned char)*ps->p;
		if (c == (unsigned char)q) {
			size_t n = 0;

			while (ps->p < ps->end && *ps->p == q && n < 5) {
				ps->p++;
				n++;
			}
			if (n >= 3) {
				for (; n > 3; n--)
					if (pyo_buf_putc(b, q) < 0)
						return PYO_ERROR;
				return 0;
			}
			if (pyo_buf_put(b, q == '"' ? "\"\"" : "''", n) < 0)
				return PYO_ERROR;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (!eat_newline(ps))
				return syntax(ps,
				              "control character in string");
			if (pyo_buf_putc(b, '\n') < 0)
				return PYO_ERROR;
			continue;
		}
		if (is_ctrl(c))
			return syntax(ps, "control character in string");
		if (c == '\\' && q == '"') {
			const char *s = ++ps->p;

			while (s < ps->end && (*s == ' ' || *s == '\t'))
				s++;
			if (s < ps->end && (*s == '\n' || *s == '\r')) {
				/* line-ending backslash: trim to next text */
				ps->p = s;
				for (;;) {
					skip_ws(ps);
					if (!eat_newline(ps))
						break;
				}
				continue;
			}
			if ((error = read_escape(ps, b)) < 0)
				return error;
			continue;
		}
		if (pyo_buf_putc(b, (char)c) < 0)
			return PYO_ERROR;
		ps->p++;
	}
}

static int read_string(struct parser *ps, struct pyo_buf *b, int multi_ok)
{
	char q = *ps->p;

	if (ps->end - ps->p >= 3 && ps->p[1] == q && ps->p[2] == q) {
		if (!multi_ok)
			return syntax(ps, "multi-line string used as a key");
		return read_ml_string(ps, b);
	}
	return read_line_string(ps, b);
}

static int is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void keys_free(struct key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i].s);
}

/* A dotted key; on success keys[0..*n) are owned by the caller. */
static int read_key(struct parser *ps, struct key *keys, size_t *n)
{
	struct pyo_buf b = { 0 };
	int error = 0;

	*n = 0;
	for (;;) {
		skip_ws(ps);
		if (*n == MAX_KEYS) {
			error = syntax(ps, "key has too many parts");
			goto done;
		}
		pyo_buf_clear(&b);
		if (pyo_buf_put(&b, "", 0) < 0) {
			error = PYO_ERROR;
			goto done;
		}
		if (at_eof(ps)) {
			error = syntax(ps, "expected a key");
			goto done;
		}
		if (*ps->p == '"' || *ps->p == '\'') {
			if ((error = read_string(ps, &b, 0)) < 0)
				goto done;
		} else {
			const char *s = ps->p;

			while (ps->p < ps->end && is_bare(*ps->p))
				ps->p++;
			if (ps->p == s) {
				error = syntax(ps, "expected a key");
				goto done;
			}
			if (pyo_buf_put(&b, s, (size_t)(ps->p - s)) < 0) {
				error = PYO_ERROR;
				goto done;
			}
		}
		keys[*n].len = b.len;
		keys[*n].s = pyo_buf_detach(&b);
		(*n)++;
		skip_ws(ps);
		if (at_eof(ps) || *ps->p != '.')
			break;
		ps->p++;
	}
done:
	pyo_buf_release(&b);
	if (error < 0) {
		keys_free(keys, *n);
		*n = 0;
	}
	return error;
}

static int read_value(struct pyo_toml **out, struct parser *ps, unsigned depth);

static int is_scalar_char(char c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

static int classify_scalar(const char *s, size_t n)
{
	size_t i = 0;
	int digits = 0;

	if ((n == 4 && !memcmp(s, "true", 4)) ||
	    (n == 5 && !memcmp(s, "false", 5)))
		return PYO_TOML_BOOL;
	if ((n >= 5 && s[4] == '-' && s[0] >= '0' && s[0] <= '9') ||
	    (n >= 3 && s[2] == ':'))
		return PYO_TOML_DATETIME;
	if (s[0] == '+' || s[0] == '-')
		i++;
	if (n - i == 3 &&
	    (!memcmp(s + i, "inf", 3) || !memcmp(s + i, "nan", 3)))
		return PYO_TOML_FLOAT;
	if (n - i > 2 && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
		for (i += 2; i < n; i++)
			if (hexval(s[i]) < 0 && s[i] != '_')
				return -1;
		return PYO_TOML_INTEGER;
	}
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits = 1;
		else if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
			return digits ? PYO_TOML_FLOAT : -1;
		else if (s[i] != '_')
			return -1;
	}
	return digits ? PYO_TOML_INTEGER : -1;
}

static int read_scalar(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	const char *s = ps->p;
	int type, error;

	while (ps->p < ps->end && is_scalar_char(*ps->p))
		ps->p++;
	/* "1979-05-27 07:32:00": a date, a space, a time */
	if (ps->p - s == 10 && s[4] == '-' && ps->end - ps->p >= 2 &&
	    ps->p[0] == ' ' && ps->p[1] >= '0' && ps->p[1] <= '9') {
		ps->p++;
		while (ps->p < ps->end && is_scalar_char(*ps->p))
			ps->p++;
	}
	if (ps->p == s) {
		if (at_eof(ps) || *ps->p == '\n' || *ps->p == '\r')
			return syntax(ps, "expected a value");
		return syntax(ps, "unexpected character in value");
	}
	type = classify_scalar(s, (size_t)(ps->p - s));
	if (type < 0)
		return syntax(ps, "invalid value '%.*s'",
		              (int)(ps->p - s > 40 ? 40 : ps->p - s), s);
	if ((error = new_node(out, ps, type, depth)) < 0)
		return error;
	(*out)->len = (size_t)(ps->p - s);
	(*out)->u.str = malloc((*out)->len + 1);
	if (!(*out)->u.str) {
		pyo_toml_free(*out);
		*out = NULL;
		return pyo_error_oom();
	}
	memcpy((*out)->u.str, s, (*out)->len);
	(*out)->u.str[(*out)->len] = '\0';
	return 0;
}

static int
read_string_value(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	struct pyo_buf b = { 0 };
	unsigned line = ps->line;
	int error;

	if ((error = pyo_buf_put(&b, "", 0)) < 0 ||
	    (error = read_string(ps, &b, 1)) < 0 ||
	    (error = new_node(out, ps, PYO_TOML_STRING, depth)) < 0) {
		pyo_buf_release(&b);
		return error;
	}
	(*out)->line = line;
	(*out)->len = b.len;
	(*out)->u.str = pyo_buf_detach(&b);
	return 0;
}

static int read_array(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	struct pyo_toml *a, *item;
	int error;

	if ((error = new_node(&a, ps, PYO_TOML_ARRAY, depth)) < 0)
		return error;
	ps->p++; /* [ */
	for (;;) {
		skip_all(ps);
		if (at_eof(ps)) {
			error = syntax(ps, "unterminated array");
			goto done;
		}
		if (*ps->p == ']') {
			ps->p++;
			break;
		}
		error = read_value(&item, ps, depth + 1);
		if (item && (error == 0 || error == SYNTAX)) {
			int e2 = array_push(a, item);

			if (e2 < 0)
				error = e2;
		}
		if (error < 0)
			goto done;
		skip_all(ps);
		if (at_eof(ps)) {
			error = syntax(ps, "unterminated array");
			goto done;
		}
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p != ']') {
			error = syntax(ps, "expected ',' or ']' in array");
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

	if ((error = read_key(ps, keys, &n)) < 0)
		return error;
	skip_ws(ps);
	if (at_eof(ps) || *ps->p != '=') {
		error = syntax(ps, "expected '=' after key '%.40s'",
		               keys[n - 1].s);
		goto done;
	}
	ps->p++;
	skip_ws(ps);
	error = read_value(&val, ps, t->depth + (unsigned)n);
	if (val && (error == 0 || error == SYNTAX)) {
		/* a value cut by a syntax error keeps what it holds */
		int e2 = assign(ps, t, keys, n, val);

		if (e2 < 0)
			error = e2;
	}
done:
	keys_free(keys, n);
	return error;
}

static int
read_inline_table(struct pyo_toml **out, struct parser *ps, unsigned depth)
{
	struct pyo_toml *t;
	int error;

	if ((error = new_node(&t, ps, PYO_TOML_TABLE, depth)) < 0)
		return error;
	ps->p++; /* { */
	for (;;) {
		/* lenient like TOML 1.1: newlines, comments, trailing comma */
		skip_all(ps);
		if (at_eof(ps)) {
			error = syntax(ps, "unterminated inline table");
			goto done;
		}
		if (*ps->p == '}') {
			ps->p++;
			break;
		}
		if ((error = read_keyval(ps, t)) < 0)
			goto done;
		skip_all(ps);
		if (at_eof(ps)) {
			error = syntax(ps, "unterminated inline table");
			goto done;
		}
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p != '}') {
			error = syntax(ps,
			               "expected ',' or '}' in inline table");
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
		return syntax(ps, "nesting too deep");
	if (at_eof(ps))
		return syntax(ps, "expected a value");
	switch (*ps->p) {
	case '"':
	case '\'':
		return read_string_value(out, ps, depth);
	case '[':
		return read_array(out, ps, depth);
	case '{':
		return read_inline_table(out, ps, depth);
	default:
		return read_scalar(out, ps, depth);
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
		child = table_child(t, keys[i].s, keys[i].len);
		if (!child) {
			if ((error = new_node(&child, ps, PYO_TOML_TABLE,
			                      t->depth + 1u)) < 0 ||
			    (error = table_put(t, keys[i].s, keys[i].len,
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
	if (table_find(t, keys[n - 1].s, keys[n - 1].len) >= 0) {
		warn(ps, val->line, "duplicate key '%.40s'; keeping the first",
		     keys[n - 1].s);
		pyo_toml_free(val);
		return 0;
	}
	return table_put(t, keys[n - 1].s, keys[n - 1].len, val);
}

static int use_sink(struct parser *ps)
{
	int error;

	pyo_toml_free(ps->sink);
	ps->sink = NULL;
	if ((error = new_node(&ps->sink, ps, PYO_TOML_TABLE, 1)) < 0)
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
	if (!at_eof(ps) && *ps->p == '[') {
		aot = 1;
		ps->p++;
	}
	if ((error = read_key(ps, keys, &n)) < 0)
		return error;
	skip_ws(ps);
	if (at_eof(ps) || *ps->p != ']' ||
	    (aot && (ps->end - ps->p < 2 || ps->p[1] != ']'))) {
		error = syntax(ps, "expected '%s' after table name",
		               aot ? "]]" : "]");
		goto done;
	}
	ps->p += aot ? 2 : 1;

	for (i = 0; i + 1 < n; i++) {
		child = table_child(t, keys[i].s, keys[i].len);
		if (!child) {
			if ((error = new_node(&child, ps, PYO_TOML_TABLE,
			                      t->depth + 1u)) < 0 ||
			    (error = table_put(t, keys[i].s, keys[i].len,
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
	child = table_child(t, keys[n - 1].s, keys[n - 1].len);
	if (aot) {
		struct pyo_toml *elem;

		if (!child) {
			if ((error = new_node(&child, ps, PYO_TOML_ARRAY,
			                      t->depth + 1u)) < 0 ||
			    (error = table_put(t, keys[n - 1].s,
			                       keys[n - 1].len, child)) < 0)
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
		if ((error = new_node(&elem, ps, PYO_TOML_TABLE,
		                      child->depth + 1u)) < 0 ||
		    (error = array_push(child, elem)) < 0)
			goto done;
		elem->flags |= F_EXPLICIT;
		ps->cur = elem;
	} else if (!child) {
		if ((error = new_node(&child, ps, PYO_TOML_TABLE,
		                      t->depth + 1u)) < 0 ||
		    (error = table_put(t, keys[n - 1].s, keys[n - 1].len,
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
	keys_free(keys, n);
	return error;
}

static int read_document(struct parser *ps)
{
	int error;

	if (ps->end - ps->p >= 3 && !memcmp(ps->p, "\xef\xbb\xbf", 3))
		ps->p += 3;
	for (;;) {
		skip_all(ps);
		if (at_eof(ps))
			return 0;
		if (*ps->p == '[')
			error = read_header(ps);
		else
			error = read_keyval(ps, ps->cur);
		if (error < 0)
			return error;
		skip_ws(ps);
		skip_comment(ps);
		if (!at_eof(ps) && !eat_newline(ps))
			return syntax(ps, "expected a new line after a value");
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
	if ((error = new_node(&ps.root, &ps, PYO_TOML_TABLE, 0)) < 0)
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
	return table_child(table, key, strlen(key));
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
			return table_child(table, dotted, strlen(dotted));
		table = table_child(table, dotted, (size_t)(dot - dotted));
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
