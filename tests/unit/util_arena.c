/*
 * util_arena: strings handed out by an arena stay where they are and
 * hold what was written, across blocks, for requests larger than a block
 * and after the blocks moved to another arena (as a scan's workers move
 * theirs into the report); release frees all (ASan checks that).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"

#define NR 5000

static void fill(struct pyo_arena *a, char **s, size_t *len, size_t from)
{
	size_t i;

	for (i = from; i < from + NR; i++) {
		/* mostly short, now and then larger than a block */
		len[i] = i % 997 == 0 ? 100000 + i : 1 + i % 61;
		s[i] = pyo_arena_alloc(a, len[i]);
		assert_non_null(s[i]);
		memset(s[i], (int)('a' + i % 26), len[i]);
	}
}

static void check(char **s, const size_t *len, size_t nr)
{
	size_t i, k;

	for (i = 0; i < nr; i++)
		for (k = 0; k < len[i]; k++)
			assert_int_equal(s[i][k], (char)('a' + i % 26));
}

static void test_alloc_move_release(void **state)
{
	struct pyo_arena a = { 0 }, b = { 0 }, empty = { 0 };
	static char *s[2 * NR];
	static size_t len[2 * NR];

	(void)state;
	fill(&a, s, len, 0);
	fill(&b, s, len, NR);
	check(s, len, 2 * NR);
	pyo_arena_move(&a, &b); /* into an arena with blocks */
	assert_null(b.blocks);
	check(s, len, 2 * NR);
	/* `a` goes on allocating; what it handed out stays */
	assert_non_null(pyo_arena_alloc(&a, 10));
	check(s, len, 2 * NR);
	pyo_arena_move(&empty, &a); /* into an empty one */
	assert_null(a.blocks);
	pyo_arena_move(&empty, &b); /* from an empty one: nothing */
	check(s, len, 2 * NR);
	pyo_arena_release(&empty);
	assert_null(empty.blocks);
	pyo_arena_release(&empty); /* twice: nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_move_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
