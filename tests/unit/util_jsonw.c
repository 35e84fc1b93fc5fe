/*
 * util_jsonw: numbers with a fixed count of decimals are written as
 * printf("%.*f") writes them, whether the writer's own digits (values
 * with no more decimals than asked) or printf (the others) do it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonw.h"

static void expect_same(double v, int decimals)
{
	char *buf = NULL, want[128];
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct pyo_jsonw w;

	assert_non_null(f);
	pyo_jsonw_init(&w, f, 0);
	pyo_jsonw_arr_begin(&w);
	pyo_jsonw_double(&w, v, decimals);
	pyo_jsonw_arr_end(&w);
	fclose(f);
	snprintf(want, sizeof(want), "[%.*f]", decimals, v == 0 ? 0.0 : v);
	if (strcmp(buf, want))
		fail_msg("%.17g with %d decimals: wrote %s, printf %s", v,
		         decimals, buf, want);
	free(buf);
}

static void test_fixed_decimals(void **state)
{
	static const double odd[] = { 0.1,   0.29, 1e-7,   0.005,  0.015,
		                      2.675, 1e11, 1e12,   1e15,   123.456,
		                      -0.0,  -2.5, -0.001, 0.125,  1.0 / 3,
		                      65535, 4e-5, 9.995,  99.995, 1e11 + 0.5 };
	unsigned seed = 7;
	int d, k;

	(void)state;
	for (d = 0; d <= 8; d++) {
		for (k = -2000; k <= 2000; k++) {
			expect_same(k / 100.0, d);
			expect_same(k / 4.0, d);
			expect_same(k * 0.1, d);
		}
		for (k = 0; k < (int)(sizeof(odd) / sizeof(odd[0])); k++) {
			expect_same(odd[k], d);
			expect_same(-odd[k], d);
		}
		for (k = 0; k < 2000; k++) {
			seed = seed * 1103515245u + 12345u;
			expect_same((double)(seed >> 8) / 1000.0 - 5000.0, d);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_decimals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
