/*
 * detect_keywords: the keyword prefilter (kwset.c, built by detect_kw.c)
 * against a plain search. On texts over a small alphabet, full of
 * occurrences, at the start and at the very end, it must find every
 * keyword that occurs and record every occurrence, in order, whatever
 * the keyword's length; a set that ignores case (the literal prefilter
 * of case-insensitive regexes) finds what a folding search finds, and
 * kw_any() agrees with both. Both searches are checked: the bitmap of
 * anchors (all the keywords) and the one for few keywords (the first
 * six: three of three bytes or more, KW_FEW at most), each with every
 * vector code this CPU runs (KW_ISA_*: the AVX-512 filter, AVX2, none),
 * on texts long enough for several of the AVX-512 filter's blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect_rules.h"
#include "rules_int.h"
#include "strutil.h"

/* keywords of one to seven bytes; some share their first bytes */
static const char *const keywords[] = {
	"@",   "rq",   "ab",  "dag",   "db.",    "abc",     "abca",
	"cab", "bca.", "a.b", "abcab", "ab.ab.", "c.ab.ca", "ba@",
};
#define NR_KW (sizeof(keywords) / sizeof(keywords[0]))

#define NR_FEW 6

static struct pyo_detect_rules *make_rules_of(size_t n)
{
	struct pyo_detect_rules *dr = calloc(1, sizeof(*dr));
	size_t i;

	assert_non_null(dr);
	dr->rules = calloc(n, sizeof(*dr->rules));
	assert_non_null(dr->rules);
	for (i = 0; i < n; i++) {
		struct drule *r = calloc(1, sizeof(*r));

		assert_non_null(r);
		r->id = strdup(keywords[i]);
		r->keyword = strdup(keywords[i]);
		r->langs = i % 2 ? DL_PYTHON : DL_ANY;
		r->index = (int)i;
		dr->rules[dr->nr++] = r;
	}
	assert_int_equal(detect_build_keywords(dr), 0);
	return dr;
}

static struct pyo_detect_rules *make_rules(void)
{
	return make_rules_of(NR_KW);
}

/* Every occurrence of every keyword against the hits, keyword by keyword,
 * with the vector code `isa`. */
static void
check_text_isa(struct pyo_detect_rules *dr, int isa, const char *s, size_t len)
{
	struct kw_automaton *ac = &dr->by_lang[detect_lang_slot(DL_PYTHON)];
	int best = ac->isa;
	unsigned char *found = calloc(ac->nr_keywords, 1);
	struct kw_hits hits = { 0 };
	size_t i, k;

	assert_non_null(found);
	hits.first = calloc(ac->nr_keywords, sizeof(*hits.first));
	assert_non_null(hits.first);
	assert_int_equal(ac->nr_keywords, dr->keywords.nr_keywords);
	ac->isa = isa;
	kw_scan(ac, found, &hits, s, len);
	assert_true(hits.complete);
	for (k = 0; k < ac->nr_keywords; k++) {
		uint32_t h = hits.first[ac->as[k]];
		int any = 0;

		for (i = 0; i + ac->len[k] <= len; i++) {
			if (memcmp(s + i, ac->text[k], ac->len[k]))
				continue;
			any = 1;
			if (ac->len[k] == 1)
				continue; /* one-byte keywords: found, no hits
				           */
			assert_int_not_equal(h, KW_NONE);
			assert_int_equal(hits.items[h].off, i);
			assert_int_equal(hits.items[h].id, ac->as[k]);
			h = hits.items[h].next;
		}
		assert_int_equal(found[ac->as[k]], any);
		if (ac->len[k] > 1)
			assert_int_equal(h, KW_NONE); /* no hit too many */
	}
	/* found alone (no hits) agrees */
	memset(found, 0, ac->nr_keywords);
	kw_scan(ac, found, NULL, s, len);
	for (k = 0; k < ac->nr_keywords; k++)
		assert_int_equal(found[ac->as[k]],
		                 pyo_memmem(s, len, ac->text[k], ac->len[k]) !=
		                         NULL);
	ac->isa = best;
	free(hits.items);
	free(hits.first);
	free(found);
}

/* The same with every vector code this CPU runs. */
static void check_text(struct pyo_detect_rules *dr, const char *s, size_t len)
{
	int isa, best = dr->by_lang[detect_lang_slot(DL_PYTHON)].isa;

	for (isa = KW_ISA_SCALAR; isa <= best; isa++)
		check_text_isa(dr, isa, s, len);
}

static void test_against_search(void **state)
{
	/* every vector code this CPU runs: the default last */
	static const char *const simd[] = { "none", "avx2", NULL };
	static const char alphabet[] = "abcd.@qr\n";
	char text[700];
	unsigned seed = 12345;
	size_t round, i, k, v;

	(void)state;
	for (v = 0; v < sizeof(simd) / sizeof(simd[0]); v++) {
		struct pyo_detect_rules *sets[2];
		const struct kw_automaton *few;

		if (simd[v])
			assert_int_equal(setenv("PYORGO_SIMD", simd[v], 1), 0);
		else
			assert_int_equal(unsetenv("PYORGO_SIMD"), 0);
		sets[0] = make_rules();
		sets[1] = make_rules_of(NR_FEW);
		few = &sets[1]->by_lang[detect_lang_slot(DL_PYTHON)];
		assert_int_equal(
		        sets[0]->by_lang[detect_lang_slot(DL_PYTHON)].nr_few,
		        0);
		/* the few search only with AVX2 (kwset_few.c) */
		assert_int_equal(few->nr_few, few->isa == KW_ISA_AVX2 ? 3 : 0);
		print_message("PYORGO_SIMD=%s: vector code %d (%s)\n",
		              simd[v] ? simd[v] : "", few->isa,
		              "0 none, 1 AVX2, 2 the AVX-512 filter");
		for (round = 0; round < 3000; round++) {
			size_t len = round % 3 ? round % 97 : round % 691;

			for (i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				text[i] = alphabet[(seed >> 16) %
				                   (sizeof(alphabet) - 1)];
			}
			for (k = 0; k < 2; k++)
				check_text(sets[k], text, len);
		}
		for (k = 0; k < 2; k++)
			pyo_detect_rules_free(sets[k]);
	}
}

static void test_edges(void **state)
{
	struct pyo_detect_rules *dr = make_rules();
	static const char *const texts[] = {
		"",          "d",         "da",      "dag",    "xdag",
		"xxdag",     "abcab",     "c.ab.ca", "rq",     "xrq",
		"db.db.db.", "ab.ab.ab.", "@",       "ba@ba@",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_text(dr, texts[i], strlen(texts[i]));
	pyo_detect_rules_free(dr);
}

/* A folding search: bytes equal once bit 0x20 is set in both. */
static int fold_search(const char *s, size_t len, const char *kw)
{
	size_t n = strlen(kw), i, j;

	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++)
			if (((unsigned char)s[i + j] | 0x20) !=
			    ((unsigned char)kw[j] | 0x20))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

static void test_ignore_case(void **state)
{
	static const char *const lower[] = { "o",     "@",    ".o",   "ab",
		                             "dag",   ".png", "abca", "cab",
		                             "a.b@c", "qrs",  "ba@" };
	static const char alphabet[] = "aAbBcCdDgG.@`oOpPnNqrs\n";
	struct kw_automaton ac = { 0 };
	unsigned char found[16];
	char text[400];
	unsigned seed = 99;
	size_t round, i, k;
	int isa, best;

	(void)state;
	kw_ignore_case(&ac);
	for (k = 0; k < sizeof(lower) / sizeof(lower[0]); k++)
		assert_int_equal(kw_add(&ac, lower[k], strlen(lower[k]), 0),
		                 (int)k);
	assert_int_equal(kw_build(&ac), 0);
	best = ac.isa;
	for (round = 0; round < 3000; round++) {
		size_t len = round % 2 ? round % 61 : round % 331;
		int any = 0;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] =
			        alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		for (isa = KW_ISA_SCALAR; isa <= best; isa++) {
			ac.isa = isa;
			memset(found, 0, sizeof(found));
			kw_scan(&ac, found, NULL, text, len);
			any = 0;
			for (k = 0; k < sizeof(lower) / sizeof(lower[0]); k++) {
				assert_int_equal(
				        found[k],
				        fold_search(text, len, lower[k]));
				any |= found[k];
			}
			assert_int_equal(kw_any(&ac, text, len), any);
		}
		ac.isa = best;
	}
	assert_true(kw_any(&ac, "IMG.PNG", 7));
	assert_false(kw_any(&ac, "xyz", 3));
	kw_release(&ac);
}

/* A language's prefilter holds the keywords of its rules and of "any"
 * rules, no others, and reports them by their shared ids. */
static void test_language_slots(void **state)
{
	struct pyo_detect_rules *dr = make_rules();
	const struct kw_automaton *go = &dr->by_lang[detect_lang_slot(DL_GO)];
	unsigned char found[NR_KW] = { 0 };
	size_t k;

	(void)state;
	assert_int_equal(go->nr_keywords, (NR_KW + 1) / 2);
	for (k = 0; k < go->nr_keywords; k++)
		assert_int_equal(go->as[k] % 2, 0); /* the DL_ANY ones */
	/* "rq" (index 1) is a Python rule's: a Go file does not find it */
	kw_scan(go, found, NULL, "xx rq ab", 8);
	assert_int_equal(found[1], 0);
	assert_int_equal(found[2], 1); /* "ab", an "any" rule's */
	assert_int_equal(detect_lang_slot(DL_OTHER), DL_SLOTS - 1);
	pyo_detect_rules_free(dr);
}

/* PYORGO_SIMD rules a vector code out; the set then finds the same. */
static void test_simd_env(void **state)
{
	static const char *const wants[] = { "none", "avx2" };
	static const char text[] = "xx rq ab c.ab.ca dag then db. and "
	                           "abcab, ba@ and more text to pass the "
	                           "first block of 64 bytes: abca cab";
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct pyo_detect_rules *dr;

		assert_int_equal(setenv("PYORGO_SIMD", wants[k], 1), 0);
		dr = make_rules();
		assert_int_equal(dr->by_lang[detect_lang_slot(DL_PYTHON)].isa >
		                         (int)k,
		                 0);
		check_text(dr, text, sizeof(text) - 1);
		pyo_detect_rules_free(dr);
	}
	assert_int_equal(unsetenv("PYORGO_SIMD"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ignore_case),
		cmocka_unit_test(test_language_slots),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_against_search),
		cmocka_unit_test(test_simd_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
