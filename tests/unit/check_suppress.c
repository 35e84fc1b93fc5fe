/* check: inline `pyorgo: ignore` comments, and fingerprints that do not
 * depend on where a finding sits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "check_int.h"

static const char src[] = "import os\n"                                /* 1 */
                          "import torch  # pyorgo: ignore[ml.torch]\n" /* 2 */
                          "# pyorgo: ignore\n"                         /* 3 */
                          "import jax\n"                               /* 4 */
                          "import sklearn  # pyorgo: ignore[ml.torch, "
                          "ml.sklearn]\n" /* 5 */
                          "import transformers  # pyorgo: "
                          "ignore[ml.transformers_x]\n"       /* 6 */
                          "import numpy # pyorgo: ignore[]\n" /* 7 */
                          "import spacy";                     /* 8 */

static int sup(unsigned line, const char *rule)
{
	return pyo_check_suppressed(src, strlen(src), line, rule);
}

static void test_same_line(void **state)
{
	(void)state;
	assert_int_equal(sup(2, "ml.torch"), 1);
	assert_int_equal(sup(2, "ml.tor"), 0);     /* a prefix is not a match */
	assert_int_equal(sup(5, "ml.sklearn"), 1); /* second of a list */
	assert_int_equal(sup(5, "ml.torch"), 1);
	assert_int_equal(sup(6, "ml.transformers"), 0); /* longer id */
	assert_int_equal(sup(1, "ml.torch"), 0);
}

static void test_line_above(void **state)
{
	(void)state;
	assert_int_equal(sup(4, "ml.jax"), 1);   /* bare ignore above */
	assert_int_equal(sup(3, "anything"), 1); /* and on its own line */
	assert_int_equal(sup(3 + 2, "ml.jax"), 0);
	/* the line above only covers the next line, for the ids it names */
	assert_int_equal(sup(3, "ml.other") + sup(6, "ml.sklearn"), 1 + 1);
	assert_int_equal(sup(7, "ml.numpy"), 0); /* empty list: nothing */
}

static void test_edges(void **state)
{
	(void)state;
	assert_int_equal(sup(0, "ml.torch"), 0); /* not about a line */
	assert_int_equal(sup(8, "ml.spacy"), 0); /* last line, no newline */
	assert_int_equal(sup(99, "ml.torch"), 0);
	assert_int_equal(pyo_check_suppressed("", 0, 1, "x"), 0);
}

static void test_fingerprint(void **state)
{
	const char *a[3] = { "ml.torch", "svc/a.py", "import torch" };
	const char *b[3] = { "ml.torch", "svc/b.py", "import torch" };
	const char *c[3] = { "ml.torchsvc/a.py", "", "import torch" };
	char fa[17], fa2[17], fb[17], fc[17];

	(void)state;
	pyo_fingerprint(fa, a, 3);
	pyo_fingerprint(fa2, a, 3);
	pyo_fingerprint(fb, b, 3);
	pyo_fingerprint(fc, c, 3);
	assert_int_equal(strlen(fa), 16);
	assert_string_equal(fa, fa2);    /* stable */
	assert_string_not_equal(fa, fb); /* path matters */
	assert_string_not_equal(fa, fc); /* parts are delimited */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_line),
		cmocka_unit_test(test_line_above),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_fingerprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
