/* imports_extract: Python and Go import extraction on masked text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "imports.h"
#include "lex.h"

/* Extracts, then joins "name@offset" with spaces. */
static char *extract(const char *src, int is_go)
{
	struct imp_list l = { 0 };
	size_t n = strlen(src), i, o = 0;
	char *masked = malloc(n + 1), *out = malloc(4096);

	assert_non_null(masked);
	assert_non_null(out);
	lex_mask(masked, src, n, is_go ? LEX_GO : LEX_PYTHON,
	         is_go ? LEX_STRINGS : LEX_CODE);
	assert_int_equal(is_go ? imports_go(&l, masked, n)
	                       : imports_python(&l, masked, n),
	                 0);
	out[0] = '\0';
	for (i = 0; i < l.nr; i++)
		o += (size_t)snprintf(out + o, 4096 - o, "%s%s@%zu",
		                      i ? " " : "", l.items[i].name,
		                      l.items[i].off);
	imp_list_clear(&l);
	free(masked);
	return out;
}

static void expect(const char *src, int is_go, const char *want)
{
	char *got = extract(src, is_go);

	assert_string_equal(got, want);
	free(got);
}

static void test_python_forms(void **state)
{
	(void)state;
	expect("import a.b as c, d\n", 0, "a.b@0 d@0");
	expect("from x.y import (a,\n  b as bb,\n)\nimport z\n", 0,
	       "x.y@0 x.y.a@0 x.y.b@0 z@33");
	expect("import os, \\\n    torch\n", 0, "os@0 torch@0");
	expect("from google \\\n  import genai\n", 0,
	       "google@0 google.genai@0");
	expect("try:\n    import torch\nexcept ImportError:\n    torch = None\n",
	       0, "torch@9");
	expect("if TYPE_CHECKING:\n\timport numpy as np\n", 0, "numpy@19");
	expect("x = 1; import polars as pl\n", 0, "polars@7");
	expect("from . import models\nfrom .torch import x\n", 0, "");
	expect("from __future__ import annotations\n", 0,
	       "__future__@0 __future__.annotations@0");
}

static void test_python_decoys(void **state)
{
	(void)state;
	expect("# import torch\n", 0, "");
	expect("\"\"\"\nimport torch\n\"\"\"\n", 0, "");
	expect("s = r'import torch'\n", 0, "");
	expect("important = 1\nreimport(torch)\n", 0, "");
	expect("from torch import *\n", 0, "torch@0");
}

static void test_go_forms(void **state)
{
	(void)state;
	expect("package main\n\nimport \"net/http\"\n", 1, "net/http@21");
	expect("import (\n\t\"fmt\"\n\tgin \"github.com/gin-gonic/gin\"\n"
	       "\t_ \"github.com/lib/pq\"\n\t. \"math\"\n\t// \"x/y\"\n)\n",
	       1,
	       "fmt@10 github.com/gin-gonic/gin@17 github.com/lib/pq@49 "
	       "math@72");
	expect("import `raw/path`\n", 1, "raw/path@7");
	expect("import \"C\"\n", 1, "C@7");
}

static void test_go_decoys(void **state)
{
	(void)state;
	/* imports stop at the first declaration: raw strings later on */
	expect("package p\nfunc f() {\n\ts := `\nimport \"github.com/x/y\"\n`\n}\n",
	       1, "");
	expect("/*\nimport (\n\t\"x\"\n)\n*/\n", 1, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_forms),
		cmocka_unit_test(test_python_decoys),
		cmocka_unit_test(test_go_forms),
		cmocka_unit_test(test_go_decoys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
