/*
 * lex.c: comment and string masking per language (see lex.h). One pass
 * over the bytes, no allocation; the output starts as a copy of the input
 * and masked ranges are overwritten with spaces (newlines kept).
 */
#include <string.h>

#include "lex.h"
#include "strutil.h"

#include "banned.h"

static void blank(char *out, size_t from, size_t to)
{
	size_t k;

	for (k = from; k < to; k++)
		if (out[k] != '\n')
			out[k] = ' ';
}

static size_t line_end(const char *in, size_t i, size_t len)
{
	const char *nl = memchr(in + i, '\n', len - i);

	return nl ? (size_t)(nl - in) : len;
}

/*
 * A quoted literal that ends at `q` or at a newline (unterminated), with
 * backslash escapes. Returns the index of the closing quote (or of the
 * newline / end).
 */
static size_t quoted_end(const char *in, size_t i, size_t len, char q)
{
	while (i < len) {
		char c = in[i];

		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == q || c == '\n')
			return i;
		i++;
	}
	return len;
}

/* A literal that ends only at `q` (Go raw strings, JS templates). */
static size_t raw_end(const char *in, size_t i, size_t len, char q)
{
	const char *e = memchr(in + i, q, len - i);

	return e ? (size_t)(e - in) : len;
}

/* Index of the next byte at or after `i` that is one of `set`. */
static size_t
next_special(const char *in, size_t i, size_t len, const unsigned char *table)
{
	while (i < len && !table[(unsigned char)in[i]])
		i++;
	return i;
}

static void mask_python(char *out, const char *in, size_t len, int code)
{
	static const unsigned char special[256] = {
		['#'] = 1, ['\''] = 1, ['"'] = 1
	};
	size_t i = 0, j;

	while ((i = next_special(in, i, len, special)) < len) {
		char c = in[i];

		if (c == '#') {
			j = line_end(in, i, len);
			blank(out, i, j);
			i = j;
		} else if (c == '\'' || c == '"') {
			if (i + 2 < len && in[i + 1] == c && in[i + 2] == c) {
				j = i + 3;
				while (j < len) {
					if (in[j] == '\\') {
						j += 2;
						continue;
					}
					if (in[j] == c && j + 2 < len &&
					    in[j + 1] == c && in[j + 2] == c)
						break;
					j++;
				}
				if (j > len)
					j = len;
				if (j + 2 >= len) {
					if (code)
						blank(out, i + 3, len);
					i = len;
				} else {
					if (code)
						blank(out, i + 3, j);
					i = j + 3;
				}
			} else {
				j = quoted_end(in, i + 1, len, c);
				if (j > len)
					j = len;
				if (code)
					blank(out, i + 1, j);
				i = (j < len && in[j] == c) ? j + 1 : j;
			}
		} else {
			i++;
		}
	}
}

/* Go, C, .proto and JavaScript: // and block comments, quoted literals. */
static void
mask_cfamily(char *out, const char *in, size_t len, int code, char rawq)
{
	unsigned char special[256] = { 0 };
	size_t i = 0, j;

	special['/'] = special['"'] = special['\''] = 1;
	if (rawq)
		special[(unsigned char)rawq] = 1;
	while ((i = next_special(in, i, len, special)) < len) {
		char c = in[i];

		if (c == '/' && i + 1 < len && in[i + 1] == '/') {
			j = line_end(in, i, len);
			blank(out, i, j);
			i = j;
		} else if (c == '/' && i + 1 < len && in[i + 1] == '*') {
			const char *e =
			        pyo_memmem(in + i + 2, len - i - 2, "*/", 2);

			j = e ? (size_t)(e - in) + 2 : len;
			blank(out, i, j);
			i = j;
		} else if (c == '"' || c == '\'') {
			j = quoted_end(in, i + 1, len, c);
			if (j > len)
				j = len;
			if (code)
				blank(out, i + 1, j);
			i = (j < len && in[j] == c) ? j + 1 : j;
		} else if (rawq && c == rawq) {
			j = raw_end(in, i + 1, len, c);
			if (code)
				blank(out, i + 1, j);
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
static void mask_hash(char *out, const char *in, size_t len, int code)
{
	size_t i = 0, j;

	while (i < len) {
		char c = in[i];
		char prev = i ? in[i - 1] : '\n';

		if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n' ||
		                 prev == '\r')) {
			j = line_end(in, i, len);
			blank(out, i, j);
			i = j;
		} else if (c == '"' || (c == '\'' && !is_word(prev))) {
			j = quoted_end(in, i + 1, len, c);
			if (j > len)
				j = len;
			if (code)
				blank(out, i + 1, j);
			i = (j < len && in[j] == c) ? j + 1 : j;
		} else {
			i++;
		}
	}
}

void lex_mask(char *out,
              const char *in,
              size_t len,
              enum lex_lang lang,
              enum lex_mode mode)
{
	int code = mode == LEX_CODE;

	if (len)
		memcpy(out, in, len);
	switch (lang) {
	case LEX_PYTHON:
		mask_python(out, in, len, code);
		break;
	case LEX_GO:
		mask_cfamily(out, in, len, code, '`');
		break;
	case LEX_JS:
		mask_cfamily(out, in, len, code, '`');
		break;
	case LEX_C:
		mask_cfamily(out, in, len, code, 0);
		break;
	case LEX_HASH:
		mask_hash(out, in, len, code);
		break;
	case LEX_NONE:
		break;
	}
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
