/*
 * kwset_few.c: a keyword set of a few keywords (KW_FEW of three bytes
 * or more, such as a detector language with one rule, or the literals of
 * one classifier regex) is searched for without the bitmap: for each
 * keyword, 32 positions at a time, where its two rarest bytes are; the
 * bitmap's gather costs 0.41 ns a byte however few the keywords are.
 */
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#	include <immintrin.h>
#endif

#include "kwset_int.h"
#include "banned.h"

/* The offsets of keyword `id`'s two rarest bytes, the first before. */
static void rarest_two(const struct kw_automaton *ac, size_t id, uint8_t *at)
{
	const unsigned char *k = (const unsigned char *)ac->text[id];
	size_t i, a = 0, b = 1, n = ac->len[id] < 255 ? ac->len[id] : 255;

	for (i = 1; i < n; i++)
		if (kw_byte_weight[k[i]] < kw_byte_weight[k[a]])
			a = i;
	b = a ? 0 : 1;
	for (i = 0; i < n; i++)
		if (i != a && kw_byte_weight[k[i]] < kw_byte_weight[k[b]])
			b = i;
	at[0] = (uint8_t)(a < b ? a : b);
	at[1] = (uint8_t)(a < b ? b : a);
}

void kw_few_build(struct kw_automaton *ac)
{
	size_t i, n = 0;

	for (i = 0; i < ac->nr_keywords; i++)
		n += ac->len[i] >= 3;
	if (!n || n > KW_FEW)
		return;
	for (i = 0; i < ac->nr_keywords; i++)
		if (ac->len[i] >= 3) {
			rarest_two(ac, i, ac->few_at[ac->nr_few]);
			ac->few[ac->nr_few++] = (uint16_t)i;
		}
}

/* Keyword `id` starts at `at`: 1 when that ends the scan. */
static int take(const struct kw_automaton *ac,
                unsigned char *found,
                struct kw_hits *hits,
                uint16_t id,
                size_t at)
{
	if (!found)
		return 1;
	found[ac->as[id]] = 1;
	if (hits && hits->complete && ac->track[id])
		kw_add_hit(hits, at, ac->as[id]);
	return 0;
}

#ifdef KW_AVX2
/* Where the 32 bytes from q, folded, equal b (a bit each). */
__attribute__((target("avx2"))) static inline unsigned
equal_at(const unsigned char *q, __m256i fold, __m256i b)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)q);

	return (unsigned)_mm256_movemask_epi8(
	        _mm256_cmpeq_epi8(_mm256_or_si256(v, fold), b));
}

/* Returns where the scalar loop takes over; *stop as take() says. */
__attribute__((target("avx2"))) static size_t
few_avx2(const struct kw_automaton *ac,
         unsigned char *found,
         struct kw_hits *hits,
         const unsigned char *p,
         size_t len,
         int *stop)
{
	const __m256i fold = _mm256_set1_epi8((char)(ac->fold & 0xff));
	__m256i b0[KW_FEW], b1[KW_FEW];
	size_t i, k, room = 0;

	for (k = 0; k < ac->nr_few; k++) {
		const char *t = ac->text[ac->few[k]];

		b0[k] = _mm256_set1_epi8(t[ac->few_at[k][0]]);
		b1[k] = _mm256_set1_epi8(t[ac->few_at[k][1]]);
		if (ac->len[ac->few[k]] > room)
			room = ac->len[ac->few[k]];
	}
	for (i = 0; i + 32 + room <= len; i += 32)
		for (k = 0; k < ac->nr_few; k++) {
			uint16_t id = ac->few[k];
			unsigned m;

			/* a found keyword nobody tracks needs no more */
			if (found && found[ac->as[id]] &&
			    !(hits && hits->complete && ac->track[id]))
				continue;
			m = equal_at(p + i + ac->few_at[k][0], fold, b0[k]) &
			    equal_at(p + i + ac->few_at[k][1], fold, b1[k]);
			while (m) {
				size_t at = i + (unsigned)__builtin_ctz(m);

				m &= m - 1;
				if (kw_same_from(ac, p + at, id, 0) &&
				    take(ac, found, hits, id, at)) {
					*stop = 1;
					return i;
				}
			}
		}
	return i;
}

/* The same, 64 positions at a time (AVX-512BW). */
__attribute__((target("avx512f,avx512bw"))) static size_t
few_avx512(const struct kw_automaton *ac,
           unsigned char *found,
           struct kw_hits *hits,
           const unsigned char *p,
           size_t len,
           int *stop)
{
	const __m512i fold = _mm512_set1_epi8((char)(ac->fold & 0xff));
	__m512i b0[KW_FEW], b1[KW_FEW];
	size_t i, k, room = 0;

	for (k = 0; k < ac->nr_few; k++) {
		const char *t = ac->text[ac->few[k]];

		b0[k] = _mm512_set1_epi8(t[ac->few_at[k][0]]);
		b1[k] = _mm512_set1_epi8(t[ac->few_at[k][1]]);
		if (ac->len[ac->few[k]] > room)
			room = ac->len[ac->few[k]];
	}
	for (i = 0; i + 64 + room <= len; i += 64)
		for (k = 0; k < ac->nr_few; k++) {
			uint16_t id = ac->few[k];
			const unsigned char *q0 = p + i + ac->few_at[k][0];
			const unsigned char *q1 = p + i + ac->few_at[k][1];
			__mmask64 m;

			if (found && found[ac->as[id]] &&
			    !(hits && hits->complete && ac->track[id]))
				continue;
			m = _mm512_cmpeq_epi8_mask(
			            _mm512_or_si512(_mm512_loadu_si512(q0),
			                            fold),
			            b0[k]) &
			    _mm512_cmpeq_epi8_mask(
			            _mm512_or_si512(_mm512_loadu_si512(q1),
			                            fold),
			            b1[k]);
			while (m) {
				size_t at = i + (unsigned)__builtin_ctzll(m);

				m &= m - 1;
				if (kw_same_from(ac, p + at, id, 0) &&
				    take(ac, found, hits, id, at)) {
					*stop = 1;
					return i;
				}
			}
		}
	return i;
}
#endif

int kw_few_scan(const struct kw_automaton *ac,
                unsigned char *found,
                struct kw_hits *hits,
                const unsigned char *p,
                size_t len)
{
	size_t i = 0, k;

#ifdef KW_AVX2
	if (ac->isa >= KW_ISA_AVX2) {
		int stop = 0;

		i = ac->isa == KW_ISA_AVX512
		            ? few_avx512(ac, found, hits, p, len, &stop)
		            : few_avx2(ac, found, hits, p, len, &stop);
		if (stop)
			return 1;
	}
#endif
	for (; i < len; i++)
		for (k = 0; k < ac->nr_few; k++) {
			uint16_t id = ac->few[k];

			if (ac->len[id] <= len - i &&
			    kw_same_from(ac, p + i, id, 0) &&
			    take(ac, found, hits, id, i))
				return 1;
		}
	return 0;
}
