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

void pyo_json_put_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, l;
	unsigned char c;

	fputc('"', f);
	while (i < n) {
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		              s[run] != '"' && s[run] != '\\';
		     run++)
			;
		if (run > i) {
			fwrite(s + i, 1, run - i, f);
			i = run;
			continue;
		}
		c = s[i];
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			i++;
		} else if (c == '\n') {
			fputs("\\n", f);
			i++;
		} else if (c == '\t') {
			fputs("\\t", f);
			i++;
		} else if (c == '\r') {
			fputs("\\r", f);
			i++;
		} else if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			i++;
		} else if ((l = pyo_utf8_valid_len(s + i, n - i)) > 0) {
			fwrite(s + i, 1, l, f);
			i += l;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}

void pyo_jsonw_init(struct pyo_jsonw *w, FILE *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
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
	fwrite(spaces, 1, 1 + 2 * (size_t)w->depth, w->out);
}

/* Before a value or a key at the current level. */
static void sep(struct pyo_jsonw *w)
{
	if (w->need_comma[w->depth])
		fputc(',', w->out);
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
	fputc(c, w->out);
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
	fputc(c, w->out);
	if (!w->depth && w->pretty)
		fputc('\n', w->out);
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
	pyo_json_put_string(w->out, key, strlen(key));
	fputs(w->pretty ? ": " : ":", w->out);
	w->need_comma[w->depth] = 2;
}

void pyo_jsonw_strn(struct pyo_jsonw *w, const char *s, size_t n)
{
	value_prefix(w);
	pyo_json_put_string(w->out, s, n);
}

void pyo_jsonw_str(struct pyo_jsonw *w, const char *s)
{
	if (!s) {
		pyo_jsonw_null(w);
		return;
	}
	pyo_jsonw_strn(w, s, strlen(s));
}

/* The decimal digits of v, without fprintf()'s format parsing. */
static void put_uint(FILE *f, unsigned long long v)
{
	char buf[24];
	size_t i = sizeof(buf);

	do
		buf[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	fwrite(buf + i, 1, sizeof(buf) - i, f);
}

void pyo_jsonw_int(struct pyo_jsonw *w, long long v)
{
	value_prefix(w);
	if (v < 0) {
		fputc('-', w->out);
		put_uint(w->out, 0 - (unsigned long long)v);
		return;
	}
	put_uint(w->out, (unsigned long long)v);
}

void pyo_jsonw_uint(struct pyo_jsonw *w, unsigned long long v)
{
	value_prefix(w);
	put_uint(w->out, v);
}

void pyo_jsonw_double(struct pyo_jsonw *w, double v, int decimals)
{
	value_prefix(w);
	if (!isfinite(v)) {
		fputs("null", w->out);
		return;
	}
	if (v == 0)
		v = 0; /* no "-0" */
	fprintf(w->out, "%.*f", decimals, v);
}

void pyo_jsonw_bool(struct pyo_jsonw *w, int v)
{
	value_prefix(w);
	fputs(v ? "true" : "false", w->out);
}

void pyo_jsonw_null(struct pyo_jsonw *w)
{
	value_prefix(w);
	fputs("null", w->out);
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
