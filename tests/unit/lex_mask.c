/* lex_mask: comments and strings are masked per language, offsets kept. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_python_triple_hash),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
