/*
 * fuzz_kwset: a keyword set (kwset.h) from the input's first bytes, the
 * rest searched with every vector code this CPU runs, each also built
 * for AVX2 (the few-keyword search) and without vectors. Every keyword
 * found must occur and every one that occurs be found; every occurrence
 * of a tracked keyword of two bytes or more is a hit, in order.
 * Input: byte 0: the number of keywords (1-24) and whether case is
 * ignored; then for each a length byte (1-8) and its bytes; the text.
 */
#ifndef _DEFAULT_SOURCE
#	define _DEFAULT_SOURCE 1 /* setenv(), also in a fuzzer build */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kwset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const uint8_t *s, const char *kw, size_t n, unsigned fold)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] | fold) != ((unsigned char)kw[i] | fold))
			return 0;
	return 1;
}

static void check(struct kw_automaton *ac, const uint8_t *s, size_t len)
{
	unsigned char found[64];
	uint32_t first[64];
	struct kw_hits hits = { 0 };
	unsigned fold = ac->fold & 0xff;
	size_t k, i;

	hits.first = first;
	memset(found, 0, sizeof(found));
	kw_scan(ac, found, &hits, (const char *)s, len);
	for (k = 0; k < ac->nr_keywords; k++) {
		uint32_t h = hits.complete ? hits.first[ac->as[k]] : KW_NONE;
		int any = 0;

		for (i = 0; i + ac->len[k] <= len; i++) {
			if (!same(s + i, ac->text[k], ac->len[k], fold))
				continue;
			any = 1;
			if (!hits.complete || ac->len[k] < 2 || !ac->track[k])
				continue;
			if (h == KW_NONE || hits.items[h].off != i)
				abort();
			h = hits.items[h].next;
		}
		if (found[ac->as[k]] != any)
			abort();
		if (hits.complete && ac->len[k] >= 2 && ac->track[k] &&
		    h != KW_NONE)
			abort();
		if (kw_any(ac, (const char *)s, len) < any)
			abort();
	}
	free(hits.items);
}

/* The set of the input's keywords, built for `simd` (NULL: the best). */
static size_t build(struct kw_automaton *ac,
                    const uint8_t *data,
                    size_t size,
                    const char *simd)
{
	size_t n, k, at = 1;

	memset(ac, 0, sizeof(*ac));
	if (simd)
		setenv("PYORGO_SIMD", simd, 1);
	else
		unsetenv("PYORGO_SIMD");
	if (data[0] & 0x80)
		kw_ignore_case(ac);
	n = 1 + (data[0] & 0x7f) % 24;
	for (k = 0; k < n && at < size; k++) {
		size_t len = 1 + data[at++] % 8;

		if (at + len > size)
			break;
		/* every third one untracked: found, no hits */
		if (kw_add(ac, (const char *)data + at, len, k % 3 != 2) < 0)
			abort();
		at += len;
	}
	if (kw_build(ac) < 0)
		abort();
	return at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const simd[] = { NULL, "avx2", "none" };
	struct kw_automaton ac;
	size_t v, text = 0;
	int isa, best;

	if (size < 2)
		return 0;
	for (v = 0; v < sizeof(simd) / sizeof(simd[0]); v++) {
		text = build(&ac, data, size, simd[v]);
		best = ac.isa;
		for (isa = best; isa >= KW_ISA_SCALAR; isa--) {
			ac.isa = isa;
			check(&ac, data + text, size - text);
		}
		kw_release(&ac);
	}
	unsetenv("PYORGO_SIMD");
	return 0;
}
