/* mailmap: git-compatible parsing and resolution. Every expectation below
 * was produced by `git check-mailmap` (git 2.39) on the same file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mailmap.h"

static const char mailmap_text[] = "# comment <not@parsed>\n"
                                   "Proper <p@e.com> Commit Name\n"
                                   "Joe <joe@x.com> \n"
                                   "CR Name <cr@x.com>\r\n"
                                   "A <a@x> B <B@X>\n"
                                   "Simple <S@X.com>\n"
                                   "<newmail@x> <old@x>\n"
                                   "Only Name <both@x>\n"
                                   "<Both-New@x> <BOTH@x>\n"
                                   "Full New <full@new> Old Name <Old@Mail>\n"
                                   "Full New2 <full2@new> <old@mail>\n"
                                   "Empty <empty@x> <>\n"
                                   "broken line <no close\n"
                                   "no email at all\n";

struct mm_case {
	const char *name, *email, *want_name, *want_email;
};

static const struct mm_case cases[] = {
	/* "Proper <e> Commit Name": the proper part applies to every name */
	{ "Commit Name", "p@e.com", "Proper", "p@e.com" },
	{ "Other", "P@E.COM", "Proper", "P@E.COM" },
	/* trailing space and CRLF do not spoil a simple line */
	{ "J", "joe@x.com", "Joe", "joe@x.com" },
	{ "C", "cr@x.com", "CR Name", "cr@x.com" },
	/* name-specific line: name and email compared case-insensitively */
	{ "B", "b@x", "A", "a@x" },
	{ "b", "B@x", "A", "a@x" },
	{ "C", "b@x", "C", "b@x" },
	{ "S", "s@x.com", "Simple", "s@x.com" },
	{ "Z", "OLD@x", "Z", "newmail@x" },
	/* two simple lines for one email: each sets the fields it gives */
	{ "Y", "both@x", "Only Name", "Both-New@x" },
	/* name-specific line wins over the simple one */
	{ "old name", "old@mail", "Full New", "full@new" },
	{ "Other", "OLD@mail", "Full New2", "full2@new" },
	/* an empty commit email can be mapped */
	{ "N", "", "Empty", "empty@x" },
	{ "", "", "Empty", "empty@x" },
	{ "x", "no close", "x", "no close" },
	{ "nobody", "not@parsed", "nobody", "not@parsed" },
};

static void test_git_cases(void **state)
{
	struct pyo_mailmap *mm = NULL;
	size_t i;

	(void)state;
	assert_int_equal(
	        pyo_mailmap_parse(&mm, mailmap_text, sizeof(mailmap_text) - 1),
	        0);
	assert_non_null(mm);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *n, *e;

		pyo_mailmap_resolve(mm, &n, &e, cases[i].name, cases[i].email);
		assert_string_equal(n, cases[i].want_name);
		assert_string_equal(e, cases[i].want_email);
	}
	/* p@e.com joe cr@x b@x s@x.com old@x both@x old@mail "" */
	assert_int_equal(pyo_mailmap_count(mm), 9);
	pyo_mailmap_free(mm);
}

static void test_nul_stops(void **state)
{
	static const char text[] = "A <a@x>\n\0B <b@x>\n";
	struct pyo_mailmap *mm = NULL;
	const char *n, *e;

	(void)state;
	assert_int_equal(pyo_mailmap_parse(&mm, text, sizeof(text) - 1), 0);
	assert_int_equal(pyo_mailmap_resolve(mm, &n, &e, "x", "A@X"), 1);
	assert_string_equal(n, "A");
	assert_int_equal(pyo_mailmap_resolve(mm, &n, &e, "y", "b@x"), 0);
	assert_string_equal(n, "y");
	pyo_mailmap_free(mm);
}

static void test_empty_and_null(void **state)
{
	struct pyo_mailmap *mm = NULL;
	const char *n, *e;

	(void)state;
	assert_int_equal(pyo_mailmap_parse(&mm, "", 0), 0);
	assert_int_equal(pyo_mailmap_count(mm), 0);
	assert_int_equal(pyo_mailmap_resolve(mm, &n, &e, "a", "b"), 0);
	pyo_mailmap_free(mm);
	assert_int_equal(pyo_mailmap_resolve(NULL, &n, &e, "a", "b"), 0);
	assert_string_equal(n, "a");
	assert_string_equal(e, "b");
	pyo_mailmap_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_cases),
		cmocka_unit_test(test_nul_stops),
		cmocka_unit_test(test_empty_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
