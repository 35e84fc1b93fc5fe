/*
 * util_memmem: pyo_memmem() (sixteen places at a time) against a plain
 * search: the first occurrence, or none, for needles of 1 to 20 bytes in
 * texts over a small alphabet, at every alignment and at the very end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strutil.h"

static const char *naive(const char *h, size_t hl, const char *n, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (!memcmp(h + i, n, nl))
			return h + i;
	return NULL;
}

static void test_against_naive(void **state)
{
	static const char alphabet[] = "abi\nmport";
	char hay[200], needle[24];
	unsigned seed = 7;
	size_t round, i;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t hl = round % 181, nl = 1 + round % 20, off = round % 7;

		for (i = 0; i < hl + off; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] =
			        alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (hl > nl && round % 3 == 0) /* plant it at the very end */
			memcpy(needle, hay + off + hl - nl, nl);
		else
			for (i = 0; i < nl; i++) {
				seed = seed * 1103515245u + 12345u;
				needle[i] = alphabet[(seed >> 16) % 4];
			}
		assert_ptr_equal(pyo_memmem(hay + off, hl, needle, nl),
		                 naive(hay + off, hl, needle, nl));
	}
	assert_ptr_equal(pyo_memmem(hay, 8, "", 0), hay);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_naive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
