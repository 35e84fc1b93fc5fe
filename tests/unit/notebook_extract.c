/* pyo_notebook_extract: code cells only, kernel language, nbformat 3/4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pyorgo/classify.h"

static void
extract(const char *nb, const char *want_code, const char *want_kernel)
{
	char *code, *kernel;
	size_t len;

	assert_int_equal(
	        pyo_notebook_extract(&code, &len, &kernel, nb, strlen(nb)), 0);
	assert_string_equal(code, want_code);
	assert_int_equal(len, strlen(want_code));
	assert_string_equal(kernel, want_kernel);
	free(code);
	free(kernel);
}

static void test_v4(void **state)
{
	(void)state;
	extract("{\"nbformat\":4,\"metadata\":{\"kernelspec\":{\"language\":"
	        "\"python\",\"name\":\"python3\"}},\"cells\":["
	        "{\"cell_type\":\"markdown\",\"source\":[\"# Title\\n\"]},"
	        "{\"cell_type\":\"code\",\"source\":[\"import torch\\n\","
	        "\"x = 1\"],\"outputs\":[{\"data\":{\"image/png\":\"AAAA\"}}]},"
	        "{\"cell_type\":\"code\",\"source\":\"print(x)\\n\"}]}",
	        "import torch\nx = 1\nprint(x)\n", "Python");
	/* language_info when there is no kernelspec language */
	extract("{\"metadata\":{\"language_info\":{\"name\":\"R\"}},"
	        "\"cells\":[{\"cell_type\":\"code\",\"source\":\"x <- 1\"}]}",
	        "x <- 1\n", "R");
	/* no metadata: Python */
	extract("{\"cells\":[]}", "", "Python");
	extract("{\"metadata\":{\"kernelspec\":{\"language\":\"julia\"}},"
	        "\"cells\":[]}",
	        "", "Julia");
}

static void test_v3(void **state)
{
	(void)state;
	extract("{\"nbformat\":3,\"metadata\":{\"language\":\"python\"},"
	        "\"worksheets\":[{\"cells\":[{\"cell_type\":\"code\","
	        "\"input\":[\"a = 1\\n\"],\"language\":\"python\"},"
	        "{\"cell_type\":\"heading\",\"source\":[\"H\"]}]}]}",
	        "a = 1\n", "Python");
}

static void test_invalid(void **state)
{
	char *code = (char *)1, *kernel = (char *)1;
	size_t len;

	(void)state;
	assert_int_equal(
	        pyo_notebook_extract(&code, &len, &kernel, "{\"a\":", 5),
	        PYO_EINVALID);
	assert_null(code);
	assert_null(kernel);
	assert_int_equal(pyo_notebook_extract(&code, &len, &kernel, "[1]", 3),
	                 PYO_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_v3),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
