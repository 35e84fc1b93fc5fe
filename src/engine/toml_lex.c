/*
 * toml_lex.c: the scanner of the TOML subset reader (see toml_int.h):
 * syntax errors, whitespace, comments and newlines, strings, keys, and
 * the scalar values (numbers, booleans, dates) and string values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "buf.h"
#include "toml.h"
#include "toml_int.h"
#include "banned.h"

int toml_syntax(struct parser *ps, const char *fmt, ...)
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

/* Lexing */

int toml_at_eof(const struct parser *ps)
{
	return ps->p >= ps->end;
}

void toml_skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

void toml_skip_comment(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '#') {
		const char *start = ps->p;
		const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));

		ps->p = nl ? nl : ps->end;
		if (nl && nl > start && nl[-1] == '\r')
			ps->p--; /* leave "\r\n" to toml_eat_newline() */
	}
}

/* Consumes "\n" or "\r\n"; 1 when it did. */
int toml_eat_newline(struct parser *ps)
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
void toml_skip_all(struct parser *ps)
{
	for (;;) {
		toml_skip_ws(ps);
		toml_skip_comment(ps);
		if (!toml_eat_newline(ps))
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

	if (toml_at_eof(ps))
		return toml_syntax(ps, "unterminated string");
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
		return toml_syntax(ps, "invalid escape in string");
	}
	if (ps->end - ps->p < n)
		return toml_syntax(ps, "unterminated string");
	for (i = 0; i < n; i++) {
		if ((h = hexval(ps->p[i])) < 0)
			return toml_syntax(ps, "invalid escape in string");
		c = c * 16 + (unsigned long)h;
	}
	ps->p += n;
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return toml_syntax(ps, "invalid unicode escape in string");
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

		if (toml_at_eof(ps) || *ps->p == '\n' || *ps->p == '\r')
			return toml_syntax(ps, "unterminated string");
		c = (unsigned char)*ps->p;
		if (c == (unsigned char)q) {
			ps->p++;
			return 0;
		}
		if (is_ctrl(c))
			return toml_syntax(ps, "control character in string");
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
	toml_eat_newline(ps); /* a newline right after the opening is trimmed */
	for (;;) {
		unsigned char c;

		if (toml_at_eof(ps))
			return toml_syntax(ps, "unterminated string");
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
			if (!toml_eat_newline(ps))
				return toml_syntax(
				        ps, "control character in string");
			if (pyo_buf_putc(b, '\n') < 0)
				return PYO_ERROR;
			continue;
		}
		if (is_ctrl(c))
			return toml_syntax(ps, "control character in string");
		if (c == '\\' && q == '"') {
			const char *s = ++ps->p;

			while (s < ps->end && (*s == ' ' || *s == '\t'))
				s++;
			if (s < ps->end && (*s == '\n' || *s == '\r')) {
				/* line-ending backslash: trim to next text */
				ps->p = s;
				for (;;) {
					toml_skip_ws(ps);
					if (!toml_eat_newline(ps))
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
			return toml_syntax(ps,
			                   "multi-line string used as a key");
		return read_ml_string(ps, b);
	}
	return read_line_string(ps, b);
}

static int is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

void toml_keys_free(struct key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i].s);
}

/* A dotted key; on success keys[0..*n) are owned by the caller. */
int toml_read_key(struct parser *ps, struct key *keys, size_t *n)
{
	struct pyo_buf b = { 0 };
	int error = 0;

	*n = 0;
	for (;;) {
		toml_skip_ws(ps);
		if (*n == MAX_KEYS) {
			error = toml_syntax(ps, "key has too many parts");
			goto done;
		}
		pyo_buf_clear(&b);
		if (pyo_buf_put(&b, "", 0) < 0) {
			error = PYO_ERROR;
			goto done;
		}
		if (toml_at_eof(ps)) {
			error = toml_syntax(ps, "expected a key");
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
				error = toml_syntax(ps, "expected a key");
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
		toml_skip_ws(ps);
		if (toml_at_eof(ps) || *ps->p != '.')
			break;
		ps->p++;
	}
done:
	pyo_buf_release(&b);
	if (error < 0) {
		toml_keys_free(keys, *n);
		*n = 0;
	}
	return error;
}

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

int toml_read_scalar(struct pyo_toml **out, struct parser *ps, unsigned depth)
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
		if (toml_at_eof(ps) || *ps->p == '\n' || *ps->p == '\r')
			return toml_syntax(ps, "expected a value");
		return toml_syntax(ps, "unexpected character in value");
	}
	type = classify_scalar(s, (size_t)(ps->p - s));
	if (type < 0)
		return toml_syntax(ps, "invalid value '%.*s'",
		                   (int)(ps->p - s > 40 ? 40 : ps->p - s), s);
	if ((error = toml_new_node(out, ps, type, depth)) < 0)
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

int toml_read_string_value(struct pyo_toml **out,
                           struct parser *ps,
                           unsigned depth)
{
	struct pyo_buf b = { 0 };
	unsigned line = ps->line;
	int error;

	if ((error = pyo_buf_put(&b, "", 0)) < 0 ||
	    (error = read_string(ps, &b, 1)) < 0 ||
	    (error = toml_new_node(out, ps, PYO_TOML_STRING, depth)) < 0) {
		pyo_buf_release(&b);
		return error;
	}
	(*out)->line = line;
	(*out)->len = b.len;
	(*out)->u.str = pyo_buf_detach(&b);
	return 0;
}
