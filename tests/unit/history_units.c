/* history: quarters (UTC, clamped) and bot identities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "history_int.h"

static void test_quarters(void **state)
{
	char buf[PYO_QUARTER_LABEL_SIZE];

	(void)state;
	pyo_history_quarter_label(buf, sizeof(buf), 0);
	assert_string_equal(buf, "1970-Q1");
	/* 2026-03-31T23:59:59Z and one second later */
	pyo_history_quarter_label(buf, sizeof(buf), 1775001599);
	assert_string_equal(buf, "2026-Q1");
	pyo_history_quarter_label(buf, sizeof(buf), 1775001600);
	assert_string_equal(buf, "2026-Q2");
	pyo_history_quarter_label(buf, sizeof(buf), 1798761600);
	assert_string_equal(buf, "2027-Q1");
	/* before 1970, and absurd dates are clamped */
	pyo_history_quarter_label(buf, sizeof(buf), -1);
	assert_string_equal(buf, "1969-Q4");
	pyo_history_quarter_label(buf, sizeof(buf), INT64_MAX);
	assert_string_equal(buf, "9999-Q4");
	pyo_history_quarter_label(buf, sizeof(buf), INT64_MIN);
	assert_string_equal(buf, "0000-Q1");
	assert_int_equal(
	        history_quarter(1775001600) - history_quarter(1775001599), 1);
}

static void test_bots(void **state)
{
	(void)state;
	assert_true(history_is_bot("dependabot[bot]", "x@y"));
	assert_true(history_is_bot("Renovate Bot ", "bot@renovateapp.com") ==
	            0);
	assert_true(history_is_bot("renovate", "bot@renovateapp.com"));
	assert_true(history_is_bot(
	        "x", "41898282+github-actions[bot]@users.noreply.github.com"));
	assert_true(history_is_bot("someone", "github-actions@github.com"));
	assert_true(history_is_bot("ci [BOT]", ""));
	assert_false(history_is_bot("Bob", "bob@example.com"));
	assert_false(history_is_bot("", ""));
	assert_false(history_is_bot("Abbot", "abbot@example.com"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarters),
		cmocka_unit_test(test_bots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
