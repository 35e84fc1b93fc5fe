/* Each classification strategy, exclusion and scope on the shipped rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

static struct pyo_class
by_content(const char *path, const char *text, const struct pyo_attrs *a)
{
	struct pyo_class c;

	assert_int_equal(
	        pyo_classify_content(&c, rules, path, text, strlen(text), a),
	        0);
	return c;
}

static const char *lang_of(const char *path, const char *text)
{
	struct pyo_class c = by_content(path, text, NULL);

	return c.lang ? pyo_language_name(c.lang) : "(none)";
}

static struct pyo_class by_path(const char *path)
{
	struct pyo_class c;

	assert_int_equal(pyo_classify_path(&c, rules, path, NULL), 0);
	return c;
}

static void test_extension_and_filename(void **state)
{
	struct pyo_class c;

	(void)state;
	c = by_path("src/app/main.py");
	assert_string_equal(pyo_language_name(c.lang), "Python");
	assert_string_equal(c.strategy, "extension");
	assert_int_equal(c.exclude, PYO_EX_NONE);
	assert_true(c.in_share);
	/* .py may carry a generated marker: content can still change it */
	assert_true(c.flags & PYO_CLASS_NEEDS_CONTENT);
	c = by_path("web/app.scss");
	assert_false(c.flags & PYO_CLASS_NEEDS_CONTENT);
	c = by_path("cmd/server/MAIN.GO"); /* extensions ignore case */
	assert_string_equal(pyo_language_name(c.lang), "Go");
	c = by_path("deploy/Dockerfile");
	assert_string_equal(pyo_language_name(c.lang), "Dockerfile");
	assert_string_equal(c.strategy, "filename");
	c = by_path("Makefile");
	assert_string_equal(pyo_language_name(c.lang), "Makefile");
	c = by_path("CMakeLists.txt"); /* filename beats the .txt extension */
	assert_string_equal(pyo_language_name(c.lang), "CMake");
	c = by_path("cmake/config.h.in"); /* longest extension first */
	assert_string_equal(pyo_language_name(c.lang), "C");
	c = by_path("web/src/App.tsx");
	assert_string_equal(pyo_language_name(c.lang), "TSX");
	assert_string_equal(pyo_language_name(pyo_language_group(c.lang)),
	                    "TypeScript");
	c = by_path("bin/tool"); /* no extension: content decides */
	assert_null(c.lang);
	assert_true(c.flags & PYO_CLASS_NEEDS_CONTENT);
	assert_int_equal(c.exclude, PYO_EX_UNKNOWN);
	c = by_path("include/foo.h"); /* ambiguous: needs content */
	assert_true(c.flags & PYO_CLASS_NEEDS_CONTENT);
	assert_string_equal(pyo_language_name(c.lang), "C");
}

static void test_shebang(void **state)
{
	struct pyo_class c;

	(void)state;
	assert_string_equal(lang_of("bin/run", "#!/bin/bash\necho hi\n"),
	                    "Shell");
	assert_string_equal(lang_of("bin/run", "#!/usr/bin/env python3\n"),
	                    "Python");
	assert_string_equal(lang_of("bin/run", "#!/usr/bin/python3.11 -u\n"),
	                    "Python");
	assert_string_equal(
	        lang_of("bin/run", "#!/usr/bin/env -S node --no-warnings\n"),
	        "JavaScript");
	assert_string_equal(
	        lang_of("bin/run", "#!/usr/bin/env FOO=1 ruby2.7\nputs 1\n"),
	        "Ruby");
	assert_string_equal(lang_of("bin/run", "#!/usr/bin/perl -w\n"), "Perl");
	c = by_content("bin/run", "#!/bin/sh\n", NULL);
	assert_string_equal(c.strategy, "shebang");
	c = by_content("bin/run", "just some words\n", NULL);
	assert_null(c.lang);
	assert_int_equal(c.exclude, PYO_EX_UNKNOWN);
	assert_false(c.in_share);
}

static void test_modeline(void **state)
{
	struct pyo_class c;

	(void)state;
	c = by_content("scripts/build", "# vim: set ft=python:\nx = 1\n", NULL);
	assert_string_equal(pyo_language_name(c.lang), "Python");
	assert_string_equal(c.strategy, "modeline");
	assert_string_equal(
	        lang_of("x.txt", "a\nb\n\n/* -*- mode: C++ -*- */\n"), "C++");
	assert_string_equal(lang_of("lib/x.pl", "# -*- Perl -*-\nprint 1;\n"),
	                    "Perl");
	/* a modeline beats the extension, as in Linguist */
	assert_string_equal(lang_of("conf/x.js", "// vim: ft=ruby\nputs 1\n"),
	                    "Ruby");
}

static void test_heuristics(void **state)
{
	struct pyo_class c;

	(void)state;
	c = by_content("src/x.h", "#include <vector>\nstd::vector<int> v;\n",
	               NULL);
	assert_string_equal(pyo_language_name(c.lang), "C++");
	assert_string_equal(c.strategy, "heuristics");
	assert_string_equal(lang_of("src/x.h", "@interface Foo\n@end\n"),
	                    "Objective-C");
	assert_string_equal(lang_of("src/x.h", "int f(void);\n"), "C");
	assert_string_equal(lang_of("src/x.m", "#import \"a.h\"\n"),
	                    "Objective-C");
	assert_string_equal(lang_of("src/x.m", "% comment\nx = 1;\n"),
	                    "MATLAB");
	assert_string_equal(lang_of("x.pl", "a :- b.\n"), "Prolog");
	assert_string_equal(lang_of("x.pl", "use strict;\nmy $x;\n"), "Perl");
	assert_string_equal(lang_of("x.pl", "use v6;\nsay 1;\n"), "Raku");
	assert_string_equal(lang_of("x.ts", "<TS version=\"2.1\">\n"), "XML");
	assert_string_equal(lang_of("x.ts", "let x = 1;\n"), "TypeScript");
	assert_string_equal(lang_of("x.inc", "<?php\necho 1;\n"), "PHP");
	assert_string_equal(
	        lang_of("db/f.sql", "CREATE FUNCTION f() AS $$ BEGIN; $$;\n"),
	        "PLpgSQL");
	assert_string_equal(lang_of("db/f.sql", "DECLARE @x INT;\n"), "TSQL");
	assert_string_equal(lang_of("db/f.sql", "SELECT 1;\n"), "SQL");
	assert_string_equal(lang_of("README.md", "# Hello\n"), "Markdown");
	assert_string_equal(lang_of("gcc/x.md", ";; md\n(define_insn\n"),
	                    "GCC Machine Description");
}

static void test_gitattributes(void **state)
{
	struct pyo_attrs a = { NULL, -1, -1, -1, -1 };
	struct pyo_class c;

	(void)state;
	a.language = "Go";
	c = by_content("x.py", "print(1)\n", &a);
	assert_string_equal(pyo_language_name(c.lang), "Go");
	assert_string_equal(c.strategy, "gitattributes");
	assert_int_equal(pyo_classify_path(&c, rules, "x.py", &a), 0);
	assert_string_equal(c.strategy, "gitattributes");

	a.language = NULL;
	a.vendored = 1;
	assert_int_equal(pyo_classify_path(&c, rules, "src/x.py", &a), 0);
	assert_int_equal(c.exclude, PYO_EX_VENDORED);
	assert_false(c.in_share);
	/* -linguist-vendored un-vendors a path the rules would vendor */
	a.vendored = 0;
	assert_int_equal(pyo_classify_path(&c, rules, "vendor/x.go", &a), 0);
	assert_int_equal(c.exclude, PYO_EX_NONE);
	assert_true(c.in_share);
	a.vendored = -1;
	a.generated = 1;
	assert_int_equal(pyo_classify_path(&c, rules, "src/x.py", &a), 0);
	assert_int_equal(c.exclude, PYO_EX_GENERATED);
	a.generated = 0;
	c = by_content("pkg/x.go", "// Code generated by x. DO NOT EDIT.\n",
	               &a);
	assert_int_equal(c.exclude, PYO_EX_NONE);
	a.generated = -1;
	a.documentation = 0;
	assert_int_equal(pyo_classify_path(&c, rules, "docs/conf.py", &a), 0);
	assert_int_equal(c.exclude, PYO_EX_NONE);
	a.documentation = 1;
	assert_int_equal(pyo_classify_path(&c, rules, "src/x.py", &a), 0);
	assert_int_equal(c.exclude, PYO_EX_DOCUMENTATION);
	/* detectable forces data in and programming out */
	a.documentation = -1;
	a.detectable = 1;
	assert_int_equal(pyo_classify_path(&c, rules, "x.yaml", &a), 0);
	assert_true(c.in_share);
	a.detectable = 0;
	assert_int_equal(pyo_classify_path(&c, rules, "x.py", &a), 0);
	assert_false(c.in_share);
}

static void test_exclusions(void **state)
{
	struct pyo_class c;

	(void)state;
	c = by_path("node_modules/react/index.js");
	assert_int_equal(c.exclude, PYO_EX_VENDORED);
	assert_string_equal(c.rule_id, "vendor.node_modules");
	c = by_path("vendor/github.com/pkg/errors/errors.go");
	assert_int_equal(c.exclude, PYO_EX_VENDORED);
	c = by_path("api/v1/user_pb2.py");
	assert_int_equal(c.exclude, PYO_EX_GENERATED);
	c = by_path("pkg/api/user.pb.go");
	assert_int_equal(c.exclude, PYO_EX_GENERATED);
	c = by_path("package-lock.json");
	assert_int_equal(c.exclude, PYO_EX_GENERATED);
	c = by_path("docs/conf.py");
	assert_int_equal(c.exclude, PYO_EX_DOCUMENTATION);
	c = by_path("assets/logo.png");
	assert_int_equal(c.exclude, PYO_EX_BINARY);
	c = by_path("pkg/x/types.go"); /* may be generated: look inside */
	assert_true(c.flags & PYO_CLASS_NEEDS_CONTENT);
	c = by_content("pkg/x/types.go",
	               "// Code generated by protoc-gen-go. DO NOT EDIT.\n"
	               "package x\n",
	               NULL);
	assert_int_equal(c.exclude, PYO_EX_GENERATED);
	assert_string_equal(c.rule_id, "generated.go_header");
	c = by_content("pkg/x/types.go", "package x\n", NULL);
	assert_int_equal(c.exclude, PYO_EX_NONE);
	{
		char js[4000];
		size_t i;

		for (i = 0; i + 1 < sizeof(js); i++)
			js[i] = "var a=1;"[i % 8];
		js[i] = '\0';
		c = by_content("static/app.js", js, NULL);
		assert_int_equal(c.exclude, PYO_EX_GENERATED);
		assert_string_equal(c.rule_id, "generated.minified");
	}
}

static void test_binary_and_share(void **state)
{
	static const char nul[] = "abc\0def";
	static const char bom[] = "\xff\xfe\x61\x00";
	struct pyo_class c;

	(void)state;
	assert_int_equal(pyo_classify_content(&c, rules, "x.py", nul,
	                                      sizeof(nul) - 1, NULL),
	                 0);
	assert_int_equal(c.exclude, PYO_EX_BINARY);
	assert_false(c.in_share);
	assert_int_equal(pyo_classify_content(&c, rules, "x.txt", bom,
	                                      sizeof(bom) - 1, NULL),
	                 0);
	assert_int_equal(c.exclude, PYO_EX_BINARY);
	/* data and prose are measured but not in the share */
	c = by_path("config/app.yaml");
	assert_string_equal(pyo_language_name(c.lang), "YAML");
	assert_int_equal(c.exclude, PYO_EX_NONE);
	assert_false(c.in_share);
	c = by_path("notes.txt");
	assert_string_equal(pyo_language_name(c.lang), "Text");
	assert_false(c.in_share);
	c = by_path("web/index.html"); /* markup counts */
	assert_true(c.in_share);
	c = by_path("notebooks/eda.ipynb");
	assert_string_equal(pyo_language_name(c.lang), "Jupyter Notebook");
	assert_true(c.flags & PYO_CLASS_NOTEBOOK);
	assert_int_equal(c.scope, PYO_SCOPE_RESEARCH);
}

static void test_scope(void **state)
{
	(void)state;
	assert_int_equal(by_path("src/api/app.py").scope, PYO_SCOPE_SERVICE);
	assert_int_equal(by_path("tests/test_api.py").scope, PYO_SCOPE_TEST);
	assert_int_equal(by_path("pkg/x/x_test.go").scope, PYO_SCOPE_TEST);
	assert_int_equal(by_path("examples/a/main.go").scope,
	                 PYO_SCOPE_EXAMPLE);
	assert_int_equal(by_path("docs/index.md").scope, PYO_SCOPE_DOCS);
	assert_int_equal(by_path("research/train.py").scope,
	                 PYO_SCOPE_RESEARCH);
}

static void test_bad_rules(void **state)
{
	struct pyo_langdb *db = NULL;

	(void)state;
	assert_int_equal(cu_load_text(&db, "rules/languages.json",
	                              "{\"kind\":\"languages\",\"version\":"
	                              "\"1\",\"languages\":[{\"name\":\"A\","
	                              "\"type\":\"programming\",\n"
	                              "\"extensions\":[\".a\", 3]}]}"),
	                 PYO_ERULES);
	assert_string_equal(pyo_error_last(),
	                    "rules/languages.json:2:21: expected a string");
	pyo_langdb_free(db);
	db = NULL;
	assert_int_equal(cu_load_text(&db, "rules/paths.json",
	                              "{\"kind\":\"paths\",\"version\":\"1\","
	                              "\"rules\":[{\"id\":\"x\",\"description"
	                              "\":\"d\",\"category\":\"vendored\","
	                              "\"pattern\":\"(\"}]}"),
	                 PYO_ERULES);
	assert_non_null(strstr(pyo_error_last(), "invalid regex"));
	pyo_langdb_free(db);
	db = NULL;
	assert_int_equal(cu_load_text(&db, "rules/heuristics.json",
	                              "{\"kind\":\"heuristics\",\"version\":"
	                              "\"1\",\"disambiguations\":[{\"id\":"
	                              "\"h\",\"extensions\":[\".q\"],\"rules"
	                              "\":[{\"language\":\"Nope\"}]}]}"),
	                 0);
	assert_int_equal(cu_load_text(&db, "rules/languages.json",
	                              "{\"kind\":\"languages\",\"version\":"
	                              "\"1\",\"languages\":[{\"name\":\"A\","
	                              "\"type\":\"programming\"}]}"),
	                 0);
	assert_int_equal(pyo_langdb_finish(db), PYO_ERULES);
	assert_non_null(strstr(pyo_error_last(), "unknown language \"Nope\""));
	pyo_langdb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extension_and_filename),
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_modeline),
		cmocka_unit_test(test_heuristics),
		cmocka_unit_test(test_gitattributes),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_binary_and_share),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_bad_rules),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
