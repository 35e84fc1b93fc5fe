#include <math.h>
#include <string.h>

#include "jsonw.h"
#include "banned.h"

size_t pyo_utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, k;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	/* overlong, surrogate, out of range */
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

static void flush(struct pyo_jsonw *w)
{
	if (w->n)
		fwrite(w->buf, 1, w->n, w->out);
	w->n = 0;
}

static void put(struct pyo_jsonw *w, const void *s, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		flush(w);
		if (n > sizeof(w->buf)) {
			fwrite(s, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void putch(struct pyo_jsonw *w, char c)
{
	if (w->n == sizeof(w->buf))
		flush(w);
	w->buf[w->n++] = c;
}

static void puts_(struct pyo_jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void put_string(struct pyo_jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, l;
	unsigned char c;
	char esc[8];

	putch(w, '"');
	while (i < n) {
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		              s[run] != '"' && s[run] != '\\';
		     run++)
			;
		if (run > i) {
			put(w, s + i, run - i);
			i = run;
			continue;
		}
		c = s[i];
		if (c == '"' || c == '\\') {
			putch(w, '\\');
			putch(w, (char)c);
			i++;
		} else if (c == '\n') {
			puts_(w, "\\n");
			i++;
		} else if (c == '\t') {
			puts_(w, "\\t");
			i++;
		} else if (c == '\r') {
			puts_(w, "\\r");
			i++;
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(w, esc);
			i++;
		} else if ((l = pyo_utf8_valid_len(s + i, n - i)) > 0) {
			put(w, s + i, l);
			i += l;
		} else {
			puts_(w, "\\ufffd");
			i++;
		}
	}
	putch(w, '"');
}

void pyo_json_put_string(FILE *f, const char *s, size_t n)
{
	struct pyo_jsonw w;

	pyo_jsonw_init(&w, f, 0);
	put_string(&w, s, n);
	flush(&w);
}

void pyo_jsonw_init(struct pyo_jsonw *w, FILE *out, int pretty)
{
	w->out = out;
	w->depth = 0;
	w->pretty = pretty;
	w->n = 0;
	memset(w->need_comma, 0, sizeof(w->need_comma));
}

/* A newline and two spaces a level, in one write: a report's signals
 * list thousands of finding numbers, one a line. */
static void indent(struct pyo_jsonw *w)
{
	static const char spaces[] = "\n"
	                             "                                "
	                             "                                "
	                             "                                "
	                             "                                ";

	if (!w->pretty)
		return;
	put(w, spaces, 1 + 2 * (size_t)w->depth);
}

/* Before a value or a key at the current level. */
static void sep(struct pyo_jsonw *w)
{
	if (w->need_comma[w->depth])
		putch(w, ',');
	w->need_comma[w->depth] = 1;
	if (w->depth)
		indent(w);
}

static void value_prefix(struct pyo_jsonw *w)
{
	if (w->need_comma[w->depth] == 2) {
		/* value right after its key */
		w->need_comma[w->depth] = 1;
		return;
	}
	sep(w);
}

static void open_level(struct pyo_jsonw *w, char c)
{
	value_prefix(w);
	putch(w, c);
	if (w->depth < 63)
		w->depth++;
	w->need_comma[w->depth] = 0;
}

static void close_level(struct pyo_jsonw *w, char c)
{
	int had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		indent(w);
	putch(w, c);
	if (!w->depth && w->pretty)
		putch(w, '\n');
	if (!w->depth)
		flush(w); /* a top-level value ends */
}

void pyo_jsonw_obj_begin(struct pyo_jsonw *w)
{
	open_level(w, '{');
}

void pyo_jsonw_obj_end(struct pyo_jsonw *w)
{
	close_level(w, '}');
}

void pyo_jsonw_arr_begin(struct pyo_jsonw *w)
{
	open_level(w, '[');
}

void pyo_jsonw_arr_end(struct pyo_jsonw *w)
{
	close_level(w, ']');
}

void pyo_jsonw_key(struct pyo_jsonw *w, const char *key)
{
	sep(w);
	put_string(w, key, strlen(key));
	puts_(w, w->pretty ? ": " : ":");
	w->need_comma[w->depth] = 2;
}

void pyo_jsonw_strn(struct pyo_jsonw *w, const char *s, size_t n)
{
	value_prefix(w);
	put_string(w, s, n);
}

void pyo_jsonw_str(struct pyo_jsonw *w, const char *s)
{
	if (!s) {
		pyo_jsonw_null(w);
		return;
	}
	pyo_jsonw_strn(w, s, strlen(s));
}

/* The decimal digits of v, without printf()'s format parsing. */
static void put_uint(struct pyo_jsonw *w, unsigned long long v)
{
	char buf[24];
	size_t i = sizeof(buf);

	do
		buf[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	put(w, buf + i, sizeof(buf) - i);
}

void pyo_jsonw_int(struct pyo_jsonw *w, long long v)
{
	value_prefix(w);
	if (v < 0) {
		putch(w, '-');
		put_uint(w, 0 - (unsigned long long)v);
		return;
	}
	put_uint(w, (unsigned long long)v);
}

void pyo_jsonw_uint(struct pyo_jsonw *w, unsigned long long v)
{
	value_prefix(w);
	put_uint(w, v);
}

/*
 * "%.*f" of v without printf when v has no more decimals than asked
 * (weights and scores: 1.00, 0.25): digits of the scaled integer, the
 * same text. 0 when it has: printf then rounds.
 */
static size_t fixed(char *num, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char digits[32];
	size_t n = 0, o = 0;
	uint64_t k;
	double x;

	if (decimals < 0 || decimals > 6 || !(fabs(v) < 1e12))
		return 0;
	x = fabs(v) * scale[decimals];
	if (x != floor(x))
		return 0;
	for (k = (uint64_t)x; k || n <= (size_t)decimals; k /= 10)
		digits[n++] = (char)('0' + k % 10);
	if (v < 0)
		num[o++] = '-';
	while (n > (size_t)decimals)
		num[o++] = digits[--n];
	if (decimals)
		num[o++] = '.';
	while (n)
		num[o++] = digits[--n];
	return o;
}

void pyo_jsonw_double(struct pyo_jsonw *w, double v, int decimals)
{
	char num[64];
	int len;

	value_prefix(w);
	if (!isfinite(v)) {
		puts_(w, "null");
		return;
	}
	if (v == 0)
		v = 0; /* no "-0" */
	if ((len = (int)fixed(num, v, decimals)) > 0) {
		put(w, num, (size_t)len);
		return;
	}
	len = snprintf(num, sizeof(num), "%.*f", decimals, v);
	if (len > 0 && (size_t)len < sizeof(num)) {
		put(w, num, (size_t)len);
		return;
	}
	flush(w); /* a number too long for `num`: straight out */
	fprintf(w->out, "%.*f", decimals, v);
}

void pyo_jsonw_bool(struct pyo_jsonw *w, int v)
{
	value_prefix(w);
	puts_(w, v ? "true" : "false");
}

void pyo_jsonw_null(struct pyo_jsonw *w)
{
	value_prefix(w);
	puts_(w, "null");
}

void pyo_jsonw_kstr(struct pyo_jsonw *w, const char *k, const char *s)
{
	pyo_jsonw_key(w, k);
	pyo_jsonw_str(w, s);
}

void pyo_jsonw_kint(struct pyo_jsonw *w, const char *k, long long v)
{
	pyo_jsonw_key(w, k);
	pyo_jsonw_int(w, v);
}

void pyo_jsonw_kuint(struct pyo_jsonw *w, const char *k, unsigned long long v)
{
	pyo_jsonw_key(w, k);
	pyo_jsonw_uint(w, v);
}

void pyo_jsonw_kdouble(struct pyo_jsonw *w, const char *k, double v, int dec)
{
	pyo_jsonw_key(w, k);
	pyo_jsonw_double(w, v, dec);
}

void pyo_jsonw_kbool(struct pyo_jsonw *w, const char *k, int v)
{
	pyo_jsonw_key(w, k);
	pyo_jsonw_bool(w, v);
}
