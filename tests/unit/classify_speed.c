/*
 * pyo_classify_path on many realistic paths: the HEAD scan calls it for
 * every blob, so it prints its cost per path and fails far above the
 * 2 us budget (20 us, to stay robust on a loaded machine).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "classify_util.h"

static void test_path_speed(void **state)
{
	static const char *const dirs[] = { "src/",
		                            "pkg/server/",
		                            "internal/api/v1/",
		                            "web/src/components/",
		                            "tests/unit/",
		                            "node_modules/react/lib/",
		                            "docs/guide/",
		                            "" };
	static const char *const names[] = {
		"main.go",    "handler.py",    "App.tsx",     "index.js",
		"util.h",     "README.md",     "config.yaml", "Dockerfile",
		"user.pb.go", "model_test.go", "schema.sql",  "style.css",
		"Makefile",   "run",           "data.json",   "logo.png",
		"lib.rs",     "Main.java",
	};
	struct pyo_rules *rules = cu_load_shipped();
	char path[256];
	struct pyo_class c;
	struct timespec t0, t1;
	size_t i, n = 50000, known = 0;
	double us;

	(void)state;
	assert_non_null(rules);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%zu/%s", dirs[i % 8], i % 97,
		         names[i % 18]);
		assert_int_equal(pyo_classify_path(&c, rules, path, NULL), 0);
		known += c.lang != NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	      (double)(t1.tv_nsec - t0.tv_nsec)) /
	     1e3 / (double)n;
	fprintf(stderr, "classify_path: %.2f us/path (%zu paths)\n", us, n);
	assert_true(known > n / 2);
	assert_true(us < 20.0);
	cu_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
