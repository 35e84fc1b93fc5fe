/*
 * lex.c: comment and string masking per language (see lex.h). One pass
 * over the bytes, no allocation; the output starts as a copy of the input
 * and masked ranges are overwritten with spaces (newlines kept).
 */
#include <string.h>
#if defined(__SSE2__)
#	include <emmintrin.h>
#endif

#include "lex.h"
#include "strutil.h"

#include "banned.h"

/*
 * The views being written: `code` (comments and string contents masked)
 * and `strs` (comments masked), either may be NULL. One pass writes both.
 */
struct views {
	char *code, *strs;
};

/* Spaces over [from, to) of one view, newlines kept. */
static void blank_one(char *out, size_t from, size_t to)
{
	while (from < to) {
		char *nl = memchr(out + from, '\n', to - from);
		size_t e = nl ? (size_t)(nl - out) : to;

		memset(out + from, ' ', e - from);
		from = e + 1;
	}
}

/* A comment: gone from both views. */
static void blank(const struct views *v, size_t from, size_t to)
{
	if (v->code)
		blank_one(v->code, from, to);
	if (v->strs)
		blank_one(v->strs, from, to);
}

/* A string's contents: gone from the code view only. */
static void blank_str(const struct views *v, size_t from, size_t to)
{
	if (v->code)
		blank_one(v->code, from, to);
}

static size_t line_end(const char *in, size_t i, size_t len)
{
	const char *nl = memchr(in + i, '\n', len - i);

	return nl ? (size_t)(nl - in) : len;
}

/*
 * The first of a few bytes at or after `i` (`set`: the bytes, `n` of
 * them, at most 4), sixteen bytes at a time: code is mostly runs of
 * plain bytes between quotes and comment marks.
 */
static size_t
next_of(const char *in, size_t i, size_t len, const char *set, int n)
{
#if defined(__SSE2__)
	__m128i c0 = _mm_set1_epi8(set[0]), c1 = _mm_set1_epi8(set[n > 1]),
	        c2 = _mm_set1_epi8(set[n > 2 ? 2 : 0]),
	        c3 = _mm_set1_epi8(set[n > 3 ? 3 : 0]);

	for (; i + 16 <= len; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(in + i));
		unsigned m = (unsigned)_mm_movemask_epi8(
		        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, c0),
		                                  _mm_cmpeq_epi8(b, c1)),
		                     _mm_or_si128(_mm_cmpeq_epi8(b, c2),
		                                  _mm_cmpeq_epi8(b, c3))));

		if (m)
			return i + (unsigned)__builtin_ctz(m);
	}
#endif
	for (; i < len; i++)
		if (memchr(set, in[i], (size_t)n))
			return i;
	return len;
}

/*
 * A quoted literal that ends at `q` or at a newline (unterminated), with
 * backslash escapes. Returns the index of the closing quote (or of the
 * newline / end).
 */
static size_t quoted_end(const char *in, size_t i, size_t len, char q)
{
	const char set[3] = { q, '\\', '\n' };

	while ((i = next_of(in, i, len, set, 3)) < len) {
		if (in[i] != '\\')
			return i;
		i += 2;
	}
	return len;
}

/* A literal that ends only at `q` (Go raw strings, JS templates). */
static size_t raw_end(const char *in, size_t i, size_t len, char q)
{
	const char *e = memchr(in + i, q, len - i);

	return e ? (size_t)(e - in) : len;
}

static void mask_python(const struct views *v, const char *in, size_t len)
{
	size_t i = 0, j;

	while ((i = next_of(in, i, len, "#'\"", 3)) < len) {
		char c = in[i];

		if (c == '#') {
			j = line_end(in, i, len);
			blank(v, i, j);
			i = j;
		} else if (i + 2 < len && in[i + 1] == c && in[i + 2] == c) {
			const char stop[2] = { c, '\\' };

			/* docstrings are long: sixteen bytes at a time */
			j = i + 3;
			while ((j = next_of(in, j, len, stop, 2)) < len) {
				if (in[j] == '\\') {
					j += 2;
					continue;
				}
				if (j + 2 < len && in[j + 1] == c &&
				    in[j + 2] == c)
					break;
				j++;
			}
			if (j > len)
				j = len;
			if (j + 2 >= len) {
				blank_str(v, i + 3, len);
				i = len;
			} else {
				blank_str(v, i + 3, j);
				i = j + 3;
			}
		} else {
			j = quoted_end(in, i + 1, len, c);
			if (j > len)
				j = len;
			blank_str(v, i + 1, j);
			i = (j < len && in[j] == c) ? j + 1 : j;
		}
	}
}

/* Go, C, .proto and JavaScript: // and block comments, quoted literals. */
static void
mask_cfamily(const struct views *v, const char *in, size_t len, char rawq)
{
	const char set[4] = { '/', '"', '\'', rawq ? rawq : '/' };
	size_t i = 0, j;

	while ((i = next_of(in, i, len, set, 4)) < len) {
		char c = in[i];

		if (c == '/' && i + 1 < len && in[i + 1] == '/') {
			j = line_end(in, i, len);
			blank(v, i, j);
			i = j;
		} else if (c == '/' && i + 1 < len && in[i + 1] == '*') {
			const char *e =
			        pyo_memmem(in + i + 2, len - i - 2, "*/", 2);

			j = e ? (size_t)(e - in) + 2 : len;
			blank(v, i, j);
			i = j;
		} else if (c == '"' || c == '\'') {
			j = quoted_end(in, i + 1, len, c);
			if (j > len)
				j = len;
			blank_str(v, i + 1, j);
			i = (j < len && in[j] == c) ? j + 1 : j;
		} else if (rawq && c == rawq) {
			j = raw_end(in, i + 1, len, c);
			blank_str(v, i + 1, j);
			i = j < len ? j + 1 : len;
		} else {
			i++;
		}
	}
}

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Shell, YAML, TOML, Dockerfile: # starts a comment at a word start. */
static void mask_hash(const struct views *v, const char *in, size_t len)
{
	size_t i = 0, j;

	while ((i = next_of(in, i, len, "#\"'", 3)) < len) {
		char c = in[i];
		char prev = i ? in[i - 1] : '\n';

		if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n' ||
		                 prev == '\r')) {
			j = line_end(in, i, len);
			blank(v, i, j);
			i = j;
		} else if (c == '"' || (c == '\'' && !is_word(prev))) {
			j = quoted_end(in, i + 1, len, c);
			if (j > len)
				j = len;
			blank_str(v, i + 1, j);
			i = (j < len && in[j] == c) ? j + 1 : j;
		} else {
			i++;
		}
	}
}

void lex_mask2(
        char *code, char *strs, const char *in, size_t len, enum lex_lang lang)
{
	struct views v = { code, strs };

	if (len && code)
		memcpy(code, in, len);
	if (len && strs)
		memcpy(strs, in, len);
	if (!code && !strs)
		return;
	switch (lang) {
	case LEX_PYTHON:
		mask_python(&v, in, len);
		break;
	case LEX_GO:
	case LEX_JS:
		mask_cfamily(&v, in, len, '`');
		break;
	case LEX_C:
		mask_cfamily(&v, in, len, 0);
		break;
	case LEX_HASH:
		mask_hash(&v, in, len);
		break;
	case LEX_NONE:
		break;
	}
}

void lex_mask(char *out,
              const char *in,
              size_t len,
              enum lex_lang lang,
              enum lex_mode mode)
{
	if (mode == LEX_CODE)
		lex_mask2(out, NULL, in, len, lang);
	else
		lex_mask2(NULL, out, in, len, lang);
}

static const struct {
	const char *name;
	enum lex_lang lang;
} lex_names[] = {
	{ "Python", LEX_PYTHON },
	{ "Cython", LEX_PYTHON },
	{ "Starlark", LEX_PYTHON },
	{ "Go", LEX_GO },
	{ "Protocol Buffer", LEX_C },
	{ "C", LEX_C },
	{ "C++", LEX_C },
	{ "Java", LEX_C },
	{ "Kotlin", LEX_C },
	{ "C#", LEX_C },
	{ "Rust", LEX_C },
	{ "Swift", LEX_C },
	{ "Scala", LEX_C },
	{ "JavaScript", LEX_JS },
	{ "TypeScript", LEX_JS },
	{ "TSX", LEX_JS },
	{ "Shell", LEX_HASH },
	{ "YAML", LEX_HASH },
	{ "TOML", LEX_HASH },
	{ "Dockerfile", LEX_HASH },
	{ "Makefile", LEX_HASH },
	{ "Nginx", LEX_HASH },
	{ "HCL", LEX_HASH },
	{ "INI", LEX_HASH },
	{ "Ruby", LEX_HASH },
	{ "Perl", LEX_HASH },
	{ "R", LEX_HASH },
	{ "Jupyter Notebook", LEX_PYTHON },
};

enum lex_lang lex_lang_for(const char *linguist_name)
{
	size_t i;

	if (!linguist_name)
		return LEX_NONE;
	for (i = 0; i < sizeof(lex_names) / sizeof(lex_names[0]); i++)
		if (!strcmp(lex_names[i].name, linguist_name))
			return lex_names[i].lang;
	return LEX_NONE;
}
