/* The shipped language rules load, and every example in them passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pyorgo/classify.h"
#include "pyorgo/rules.h"
#include "rules_int.h"
#include "classify_util.h"

static struct pyo_rules *rules;

static int setup(void **state)
{
	(void)state;
	rules = cu_load_shipped();
	return rules ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cu_free(rules);
	return 0;
}

static void test_examples(void **state)
{
	size_t passed = 0, failed = 0;

	(void)state;
	assert_int_equal(
	        pyo_langdb_test(stderr, rules->langdb, 0, &passed, &failed), 0);
	fprintf(stderr, "language rules: %zu passed, %zu failed\n", passed,
	        failed);
	assert_true(passed > 400);
	assert_int_equal(failed, 0);
}

static void test_languages_present(void **state)
{
	static const char *const names[] = {
		"Python",
		"Go",
		"C",
		"C++",
		"Objective-C",
		"JavaScript",
		"TypeScript",
		"TSX",
		"Java",
		"Kotlin",
		"Rust",
		"Ruby",
		"Shell",
		"PowerShell",
		"Perl",
		"PHP",
		"C#",
		"Scala",
		"Swift",
		"Lua",
		"R",
		"Julia",
		"SQL",
		"PLpgSQL",
		"HTML",
		"CSS",
		"SCSS",
		"Vue",
		"Svelte",
		"Markdown",
		"reStructuredText",
		"YAML",
		"JSON",
		"TOML",
		"INI",
		"XML",
		"Protocol Buffer",
		"Dockerfile",
		"Makefile",
		"CMake",
		"HCL",
		"Jsonnet",
		"Starlark",
		"Jupyter Notebook",
		"Cython",
		"Batchfile",
		"Assembly",
		"Groovy",
		"Dart",
		"Elixir",
		"Erlang",
		"Haskell",
		"OCaml",
		"Zig",
		"Nix",
		"Text",
		"CSV",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct pyo_language *l =
		        pyo_language_find(rules, names[i]);

		assert_non_null(l);
		assert_string_equal(pyo_language_name(l), names[i]);
	}
	/* aliases, any case */
	assert_string_equal(pyo_language_name(pyo_language_find(rules, "py")),
	                    "Python");
	assert_string_equal(
	        pyo_language_name(pyo_language_find(rules, "GOLANG")), "Go");
	assert_null(pyo_language_find(rules, "no such language"));
	assert_int_equal(pyo_language_type(pyo_language_find(rules, "YAML")),
	                 PYO_LT_DATA);
	assert_true(pyo_language_has_comments(pyo_language_find(rules, "Go")));
	assert_string_equal(pyo_language_name(pyo_language_group(
	                            pyo_language_find(rules, "TSX"))),
	                    "TypeScript");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_languages_present),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
