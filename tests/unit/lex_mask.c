/*
 * lex_mask: comments and strings are masked per language, offsets kept;
 * long texts (the lexer skips sixteen bytes at a time) made of the short
 * cases give the short cases' answers, and both views in one pass are
 * the views of two.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"

static char *mask(const char *in, enum lex_lang lang, enum lex_mode mode)
{
	size_t n = strlen(in);
	char *out = malloc(n + 1);

	assert_non_null(out);
	lex_mask(out, in, n, lang, mode);
	out[n] = '\0';
	return out;
}

static void
expect(const char *in, enum lex_lang lang, enum lex_mode mode, const char *want)
{
	char *got = mask(in, lang, mode);

	assert_int_equal(strlen(got), strlen(in));
	assert_string_equal(got, want);
	free(got);
}

static void test_python(void **state)
{
	(void)state;
	expect("x = 1  # import torch\n", LEX_PYTHON, LEX_CODE,
	       "x = 1                \n");
	expect("s = 'import torch'\n", LEX_PYTHON, LEX_CODE,
	       "s = '            '\n");
	expect("\"\"\"\nimport torch\n\"\"\"\nimport os\n", LEX_PYTHON,
	       LEX_CODE, "\"\"\"\n            \n\"\"\"\nimport os\n");
	/* raw and prefixed strings: a backslash never ends them early */
	expect("p = r'\\d+ # x'; q = rb\"a\\\"b\"\n", LEX_PYTHON, LEX_CODE,
	       "p = r'       '; q = rb\"    \"\n");
	expect("f'{x}' + u\"a\" # c\n", LEX_PYTHON, LEX_CODE,
	       "f'   ' + u\" \"    \n");
}

static void test_python_triple_hash(void **state)
{
	(void)state;
	/* a # inside a triple-quoted string is not a comment */
	expect("'''a\n#b''' # c\n", LEX_PYTHON, LEX_CODE, "''' \n  '''    \n");
	expect("'''a\n#b''' # c\n", LEX_PYTHON, LEX_STRINGS,
	       "'''a\n#b'''    \n");
	/* unterminated single-quoted string stops at the newline */
	expect("s = 'abc\nimport torch\n", LEX_PYTHON, LEX_CODE,
	       "s = '   \nimport torch\n");
}

static void test_go(void **state)
{
	(void)state;
	expect("// go func() {}\ngo f()\n", LEX_GO, LEX_CODE,
	       "               \ngo f()\n");
	expect("s := \"go func()\" /* go x() */\n", LEX_GO, LEX_CODE,
	       "s := \"         \"             \n");
	expect("t := `go func() {\n}`\n", LEX_GO, LEX_CODE,
	       "t := `           \n `\n");
	expect("r := '\\''; u := \"http://x\"\n", LEX_GO, LEX_CODE,
	       "r := '  '; u := \"        \"\n");
	expect("u := \"http://x\" // c\n", LEX_GO, LEX_STRINGS,
	       "u := \"http://x\"     \n");
	expect("import \"net/http\"\n", LEX_GO, LEX_STRINGS,
	       "import \"net/http\"\n");
}

static void test_hash(void **state)
{
	(void)state;
	expect("FROM python:3.12 # base\nRUN echo a#b\n", LEX_HASH, LEX_CODE,
	       "FROM python:3.12       \nRUN echo a#b\n");
	expect("key: 'don''t' # c\nit's: x\n", LEX_HASH, LEX_STRINGS,
	       "key: 'don''t'    \nit's: x\n");
}

static void test_binary(void **state)
{
	static const char bin[] = "a\0\"b\xff\n#\x80'";
	char out[sizeof(bin)];

	(void)state;
	lex_mask(out, bin, sizeof(bin) - 1, LEX_PYTHON, LEX_CODE);
	assert_int_equal(out[0], 'a');
	assert_int_equal(out[1], '\0');
	assert_int_equal(out[2], '"');
	assert_int_equal(out[5], '\n');
	assert_int_equal(out[6], ' ');
	assert_int_equal(lex_lang_for("Go"), LEX_GO);
	assert_int_equal(lex_lang_for("Markdown"), LEX_NONE);
}

struct lcase {
	enum lex_lang lang;
	const char *in, *code, *strs;
};

/* Self-contained lines: their answers join as they do. */
static const struct lcase cases[] = {
	{ LEX_PYTHON, "x = 1  # import torch", "x = 1                ",
	  "x = 1                " },
	{ LEX_PYTHON, "s = 'import torch' + \"a\\\"b\"",
	  "s = '            ' + \"    \"", "s = 'import torch' + \"a\\\"b\"" },
	{ LEX_PYTHON, "'''a\n#b''' # c", "''' \n  '''    ", "'''a\n#b'''    " },
	{ LEX_PYTHON, "async def handler(request): return await x(request)",
	  "async def handler(request): return await x(request)",
	  "async def handler(request): return await x(request)" },
	{ LEX_GO, "// go func() {}", "               ", "               " },
	{ LEX_GO, "s := \"go func()\" /* go x() */",
	  "s := \"         \"             ",
	  "s := \"go func()\"             " },
	{ LEX_GO, "t := `go func() {\n}`", "t := `           \n `",
	  "t := `go func() {\n}`" },
	{ LEX_GO, "r := '\\''; u := \"http://x\" // c",
	  "r := '  '; u := \"        \"     ",
	  "r := '\\''; u := \"http://x\"     " },
	{ LEX_GO, "for i := range items { go worker(ctx, items[i], results) }",
	  "for i := range items { go worker(ctx, items[i], results) }",
	  "for i := range items { go worker(ctx, items[i], results) }" },
};

static void test_long_texts(void **state)
{
	enum lex_lang langs[] = { LEX_PYTHON, LEX_GO };
	unsigned seed = 3;
	size_t l, round, k;

	(void)state;
	for (l = 0; l < 2; l++)
		for (round = 0; round < 50; round++) {
			char in[8192] = "", code[8192] = "", strs[8192] = "";
			char got_c[8192], got_s[8192], one[8192];
			size_t n;

			for (k = 0; k < 60; k++) {
				const struct lcase *c;

				do {
					seed = seed * 1103515245u + 12345u;
					c = &cases[(seed >> 16) %
					           (sizeof(cases) /
					            sizeof(cases[0]))];
				} while (c->lang != langs[l]);
				strcat(in, c->in);
				strcat(code, c->code);
				strcat(strs, c->strs);
				strcat(in, "\n");
				strcat(code, "\n");
				strcat(strs, "\n");
			}
			n = strlen(in);
			lex_mask2(got_c, got_s, in, n, langs[l]);
			assert_memory_equal(got_c, code, n);
			assert_memory_equal(got_s, strs, n);
			lex_mask(one, in, n, langs[l], LEX_STRINGS);
			assert_memory_equal(one, strs, n);
			lex_mask(one, in, n, langs[l], LEX_CODE);
			assert_memory_equal(one, code, n);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_python_triple_hash),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_long_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
