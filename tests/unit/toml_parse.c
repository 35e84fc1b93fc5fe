/* The TOML subset reader: values, tables, and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toml.h"

static int nr_warnings;
static char last_warning[200];

static void on_warn(void *p, unsigned line, const char *msg)
{
	(void)p;
	nr_warnings++;
	snprintf(last_warning, sizeof(last_warning), "%u: %s", line, msg);
}

static struct pyo_toml *parse(const char *text, struct pyo_toml_error *err)
{
	struct pyo_toml *doc = NULL;

	nr_warnings = 0;
	last_warning[0] = '\0';
	assert_int_equal(
	        pyo_toml_parse(&doc, err, text, strlen(text), on_warn, NULL),
	        0);
	assert_non_null(doc);
	return doc;
}

static const char *str_at(const struct pyo_toml *doc, const char *path)
{
	return pyo_toml_str(pyo_toml_path(doc, path));
}

static void test_values(void **state)
{
	static const char text[] =
	        "\xef\xbb\xbf# comment\r\n"
	        "title = \"a \\\"q\\\" \\u00e9 \\U0001F600 \\t\" # c\r\n"
	        "lit = 'C:\\path'\n"
	        "ml = \"\"\"\nline1\n  line2 \\\n   joined\"\"\"\n"
	        "mll = '''\nraw \\n ''x'''' \n"
	        "int = +1_000\nhex = 0xDEAD\nflt = 6.02e23\ninf = -inf\n"
	        "b = true\nd = 1979-05-27 07:32:00Z\n"
	        "\"quoted key\" = 1\n'lit key' = 2\n"
	        "arr = [\n  1, # one\n  [2, 3],\n  \"x\",\n]\n"
	        "inl = { a = 1, b.c = \"deep\", d = { e = [1] } }\n"
	        "lenient = {\n  a = 1,\n}\n"
	        "empty = \"\"\n";
	struct pyo_toml_error err;
	struct pyo_toml *doc = parse(text, &err);
	const struct pyo_toml *arr;

	(void)state;
	assert_int_equal(err.line, 0);
	assert_string_equal(str_at(doc, "title"),
	                    "a \"q\" \xc3\xa9 \xf0\x9f\x98\x80 \t");
	assert_string_equal(str_at(doc, "lit"), "C:\\path");
	assert_string_equal(str_at(doc, "ml"), "line1\n  line2 joined");
	assert_string_equal(str_at(doc, "mll"), "raw \\n ''x'");
	assert_string_equal(pyo_toml_token(pyo_toml_get(doc, "int")), "+1_000");
	assert_int_equal(pyo_toml_type(pyo_toml_get(doc, "hex")),
	                 PYO_TOML_INTEGER);
	assert_int_equal(pyo_toml_type(pyo_toml_get(doc, "flt")),
	                 PYO_TOML_FLOAT);
	assert_int_equal(pyo_toml_type(pyo_toml_get(doc, "inf")),
	                 PYO_TOML_FLOAT);
	assert_int_equal(pyo_toml_type(pyo_toml_get(doc, "b")), PYO_TOML_BOOL);
	assert_int_equal(pyo_toml_type(pyo_toml_get(doc, "d")),
	                 PYO_TOML_DATETIME);
	assert_string_equal(pyo_toml_token(pyo_toml_get(doc, "d")),
	                    "1979-05-27 07:32:00Z");
	assert_non_null(pyo_toml_get(doc, "quoted key"));
	assert_non_null(pyo_toml_get(doc, "lit key"));
	arr = pyo_toml_get(doc, "arr");
	assert_int_equal(pyo_toml_len(arr), 3);
	assert_int_equal(pyo_toml_len(pyo_toml_at(arr, 1)), 2);
	assert_string_equal(pyo_toml_str(pyo_toml_at(arr, 2)), "x");
	assert_int_equal(pyo_toml_line(pyo_toml_at(arr, 2)), 21);
	assert_string_equal(str_at(doc, "inl.b.c"), "deep");
	assert_int_equal(pyo_toml_len(pyo_toml_path(doc, "inl.d.e")), 1);
	assert_non_null(pyo_toml_path(doc, "lenient.a"));
	/* found by fuzzing: an empty string must be NUL-terminated */
	assert_string_equal(str_at(doc, "empty"), "");
	assert_int_equal(pyo_toml_strlen(pyo_toml_get(doc, "empty")), 0);
	assert_int_equal(pyo_toml_type(NULL), PYO_TOML_NONE);
	assert_int_equal(nr_warnings, 0);
	pyo_toml_free(doc);
}

static void test_tables(void **state)
{
	static const char text[] =
	        "[tool.poetry_bumpversion.file.\"pkg/__init__.py\"]\n"
	        "x = 1\n"
	        "[project]\n"
	        "name = \"p\"\n"
	        "optional-dependencies.dev = [\"pytest\"]\n"
	        "[[package]]\nname = \"a\"\n"
	        "[package.metadata]\nm = 1\n"
	        "[[package.wheels]]\nurl = \"w1\"\n"
	        "[[package]]\nname = \"b\"\n"
	        "[[package.wheels]]\nurl = \"w2\"\n"
	        "[a.b.c]\n[a]\nk = 1\n";
	struct pyo_toml_error err;
	struct pyo_toml *doc = parse(text, &err);
	const struct pyo_toml *pkgs;

	(void)state;
	assert_int_equal(err.line, 0);
	assert_non_null(
	        pyo_toml_get(pyo_toml_path(doc, "tool.poetry_bumpversion.file"),
	                     "pkg/__init__.py"));
	assert_int_equal(pyo_toml_len(pyo_toml_path(
	                         doc, "project.optional-dependencies.dev")),
	                 1);
	pkgs = pyo_toml_get(doc, "package");
	assert_int_equal(pyo_toml_len(pkgs), 2);
	assert_non_null(pyo_toml_path(pyo_toml_at(pkgs, 0), "metadata.m"));
	assert_string_equal(
	        pyo_toml_str(pyo_toml_get(
	                pyo_toml_at(
	                        pyo_toml_get(pyo_toml_at(pkgs, 1), "wheels"),
	                        0),
	                "url")),
	        "w2");
	assert_non_null(pyo_toml_path(doc, "a.b.c"));
	assert_non_null(pyo_toml_path(doc, "a.k"));
	pyo_toml_free(doc);
}

static void test_duplicates(void **state)
{
	struct pyo_toml_error err;
	struct pyo_toml *doc;

	(void)state;
	doc = parse("s = \"v\"\na = 1\na = 2\n[t]\nx = 1\n[t]\nx = 2\n"
	            "y = 3\n[s.sub]\nz = 1\n[u]\nw = 4\n",
	            &err);
	assert_int_equal(err.line, 0);
	assert_int_equal(nr_warnings, 3);
	assert_string_equal(pyo_toml_token(pyo_toml_get(doc, "a")), "1");
	assert_string_equal(pyo_toml_token(pyo_toml_path(doc, "t.x")), "1");
	assert_null(pyo_toml_path(doc, "t.y"));
	assert_string_equal(pyo_toml_token(pyo_toml_path(doc, "u.w")), "4");
	pyo_toml_free(doc);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *message;
};

static void test_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "a = 1\nb = \"open\nc = 2\n", 2, "unterminated string" },
		{ "a = \"\"\"never closed\n\n", 3, "unterminated string" },
		{ "a = [1, 2\n", 2, "unterminated array" },
		{ "a = [1 2]\n", 1, "expected ',' or ']' in array" },
		{ "a = { b = 1\n", 2, "unterminated inline table" },
		{ "a = 1 b = 2\n", 1, "expected a new line after a value" },
		{ "a = \n", 1, "expected a value" },
		{ "a = bogus\n", 1, "invalid value 'bogus'" },
		{ "[table\n", 1, "expected ']' after table name" },
		{ "= 1\n", 1, "expected a key" },
		{ "k v\n", 1, "expected '=' after key 'k'" },
		{ "a = \"\\q\"\n", 1, "invalid escape in string" },
		{ "a = \"\\uD800\"\n", 1, "invalid unicode escape in string" },
		{ "a = \"x\x01\"\n", 1, "control character in string" },
		{ "x = 1\n\0 = 2\n", 2, "expected a key" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pyo_toml_error err;
		struct pyo_toml *doc = NULL;
		size_t len = strlen(cases[i].text);

		if (i == sizeof(cases) / sizeof(*cases) - 1)
			len = 12;
		assert_int_equal(pyo_toml_parse(&doc, &err, cases[i].text, len,
		                                NULL, NULL),
		                 0);
		assert_non_null(doc);
		if (err.line != cases[i].line ||
		    strcmp(err.message, cases[i].message))
			fprintf(stderr, "case %zu: %u: %s\n", i, err.line,
			        err.message);
		assert_int_equal(err.line, cases[i].line);
		assert_string_equal(err.message, cases[i].message);
		pyo_toml_free(doc);
	}
}

static void test_partial(void **state)
{
	struct pyo_toml_error err;
	struct pyo_toml *doc;

	(void)state;
	doc = parse("[project]\ndependencies = [\"a\", \"b\"]\nx = \"open\n",
	            &err);
	assert_int_equal(err.line, 3);
	assert_int_equal(
	        pyo_toml_len(pyo_toml_path(doc, "project.dependencies")), 2);
	pyo_toml_free(doc);
}

static void test_limits(void **state)
{
	size_t n = 200000, i;
	char *text = malloc(2 * n + 16);
	struct pyo_toml_error err;
	struct pyo_toml *doc;

	(void)state;
	/* deeply nested arrays and inline tables stop at the depth limit */
	memcpy(text, "a = ", 4);
	memset(text + 4, '[', n);
	text[4 + n] = '\0';
	doc = parse(text, &err);
	assert_string_equal(err.message, "nesting too deep");
	pyo_toml_free(doc);
	for (i = 0; i < n; i++)
		memcpy(text + 4 + 2 * i, "{a", 2);
	text[4 + 2 * n] = '\0';
	text[0] = 'b';
	doc = parse(text, &err);
	assert_int_not_equal(err.line, 0);
	pyo_toml_free(doc);
	/* a header with too many parts */
	text[0] = '[';
	for (i = 0; i < 100; i++)
		memcpy(text + 1 + 2 * i, "a.", 2);
	memcpy(text + 201, "a]\n", 4);
	doc = parse(text, &err);
	assert_int_not_equal(err.line, 0);
	pyo_toml_free(doc);
	/* many keys in one table stay fast (hash index) */
	{
		size_t k = 50000, off = 0;
		char *big = malloc(k * 24);

		for (i = 0; i < k; i++)
			off += (size_t)snprintf(big + off, 24, "k%zu = %zu\n",
			                        i, i);
		doc = parse(big, &err);
		assert_int_equal(err.line, 0);
		assert_int_equal(pyo_toml_len(doc), k);
		assert_non_null(pyo_toml_get(doc, "k49999"));
		pyo_toml_free(doc);
		free(big);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
