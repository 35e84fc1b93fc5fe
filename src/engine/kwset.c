/*
 * kwset.c: a set of literals found in one pass (kwset.h); its tables are
 * built by kwset_build.c. It replaced an Aho-Corasick automaton whose
 * table (1,080 states) left the first-level cache: each byte then waited
 * for the previous byte's table load.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kwset_int.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

static int
has_bit(const struct kw_automaton *ac, const uint64_t *map, uint32_t w)
{
	unsigned h = kw_start_hash(ac, w);

	return map[h >> 6] >> (h & 63) & 1;
}

void kw_add_hit(struct kw_hits *hits, size_t off, uint16_t id)
{
	if (!hits->complete)
		return;
	if (hits->nr == KW_MAX_HITS ||
	    PYO_ARRAY_GROW(hits->items, hits->nr, hits->alloc) < 0) {
		hits->complete = 0;
		return;
	}
	hits->items[hits->nr].off = (uint32_t)off;
	hits->items[hits->nr].id = id;
	hits->items[hits->nr].next = KW_NONE;
	hits->nr++;
}

/* Chains each keyword's hits, first to last. */
static void chain_hits(const struct kw_automaton *ac, struct kw_hits *hits)
{
	size_t i;

	for (i = 0; i < ac->nr_keywords; i++)
		hits->first[ac->as[i]] = KW_NONE;
	for (i = hits->nr; i-- > 0;) {
		hits->items[i].next = hits->first[hits->items[i].id];
		hits->first[hits->items[i].id] = (uint32_t)i;
	}
}

/*
 * Keyword `id` at p from its byte `from` on (room checked), case folded
 * if the set folds. A loop: keywords are short, and a call to memcmp()
 * per candidate cost more than the compare.
 */
inline int kw_same_from(const struct kw_automaton *ac,
                        const unsigned char *p,
                        size_t id,
                        size_t from)
{
	const unsigned char *k = (const unsigned char *)ac->text[id];
	unsigned f = ac->fold & 0xff;
	size_t i, n = ac->len[id];

	for (i = from; i < n; i++)
		if ((p[i] | f) != k[i])
			return 0;
	return 1;
}

/*
 * Compares the keywords anchored on the three bytes at `i` (each starts
 * its anchor's offset before): those of the slot of their hash. Returns
 * 1 when one matched; with no `found`, at the first.
 */
static int match_at(const struct kw_automaton *ac,
                    unsigned char *found,
                    struct kw_hits *hits,
                    int all,
                    const unsigned char *p,
                    size_t i,
                    size_t len)
{
	uint32_t w = 0, slot, word;
	const struct kw_entry *e, *end;
	int any = 0;

	if (i + 4 <= len)
		memcpy(&w, p + i, 4);
	else
		memcpy(&w, p + i, 3);
	slot = ac->slots[kw_slot_hash(ac, (w | ac->fold) & ac->tri_mask)];
	e = ac->entries + (slot >> 8);
	for (end = e + (slot & 0xff); e < end; e++) {
		size_t at = i - e->anchor;

		if ((found && found[e->as] && !(all && e->track)) ||
		    i < e->anchor || e->len > len - at)
			continue;
		/* four bytes at once settle most candidates; the rest after */
		if (at + 4 <= len) {
			memcpy(&word, p + at, 4);
			if (((word | ac->fold) & e->mask) != e->head ||
			    (e->len > 4 && !kw_same_from(ac, p + at, e->id, 4)))
				continue;
		} else if (!kw_same_from(ac, p + at, e->id, 0)) {
			continue;
		}
		if (!found)
			return 1;
		any = 1;
		found[e->as] = 1;
		if (all && e->track)
			kw_add_hit(hits, at, e->as);
	}
	return any;
}

/* Two-byte keywords, apart: their four-byte starts would fill the map. */
static int scan_pairs(const struct kw_automaton *ac,
                      unsigned char *found,
                      struct kw_hits *hits,
                      const char *s,
                      size_t len)
{
	size_t k;

	for (k = 0; k < ac->nr_pairs; k++) {
		uint16_t id = ac->pairs[k];
		const char *at = s, *end = s + len;

		if (ac->fold) {
			size_t i;

			for (i = 0; i + 2 <= len; i++) {
				if (!kw_same_from(ac,
				                  (const unsigned char *)s + i,
				                  id, 0))
					continue;
				if (!found)
					return 1;
				found[ac->as[id]] = 1;
				if (!hits || !hits->complete || !ac->track[id])
					break;
				kw_add_hit(hits, i, ac->as[id]);
			}
			continue;
		}
		while ((at = pyo_memmem(at, (size_t)(end - at), ac->text[id],
		                        2))) {
			if (!found)
				return 1;
			found[ac->as[id]] = 1;
			if (!hits || !hits->complete || !ac->track[id])
				break;
			kw_add_hit(hits, (size_t)(at - s), ac->as[id]);
			at++;
		}
	}
	return 0;
}

/* One-byte keywords: either case of a folded one. */
static int scan_ones(const struct kw_automaton *ac,
                     unsigned char *found,
                     const char *s,
                     size_t len)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		int hit;

		if (ac->one[i] < 0)
			continue;
		hit = memchr(s, (int)i, len) ||
		      (ac->fold && memchr(s, (int)(i & ~0x20u), len));
		if (hit && !found)
			return 1;
		if (hit)
			found[ac->as[ac->one[i]]] = 1;
	}
	return 0;
}

#ifdef KW_AVX2
/*
 * The bitmap test without the bitmap, 64 places at a time, for CPUs with
 * AVX-512 VBMI and GFNI: each of the KW_HT tables (kwset_build.c) is
 * indexed by affine maps of the three bytes at a place (gf2p8affineqb,
 * xor) and looked up by a two-register byte permute; a place is a
 * candidate when every table has its bit.
 */
#	define KW_BLOCKS \
		4 /* 64-byte blocks filtered before their candidates */

__attribute__((target("avx512f,avx512bw,avx512vbmi,gfni"))) static size_t
scan_avx512(const struct kw_automaton *ac,
            unsigned char *found,
            struct kw_hits *hits,
            int *all,
            const unsigned char *p,
            size_t len,
            int *stop)
{
	const __m512i fold = _mm512_set1_epi8((char)(ac->fold & 0xff));
	const __m512i pow2 = _mm512_broadcast_i32x4(_mm_setr_epi8(
	        1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0));
	__m512i mat[KW_HT][2][3], lo[KW_HT], hi[KW_HT];
	size_t i, t, w, j, nb;

	for (t = 0; t < KW_HT; t++) {
		for (w = 0; w < 2; w++)
			for (j = 0; j < 3; j++)
				mat[t][w][j] = _mm512_set1_epi64(
				        (long long)ac->hmat[t][w][j]);
		lo[t] = _mm512_loadu_si512(ac->htab[t]);
		hi[t] = _mm512_loadu_si512(ac->htab[t] + 64);
	}
	for (i = 0; i + 64 + 2 <= len; i += nb * 64) {
		__mmask64 m[KW_BLOCKS];
		size_t b;

		nb = (len - i - 2) / 64 < KW_BLOCKS ? (len - i - 2) / 64
		                                    : KW_BLOCKS;

		/* the masks of a few blocks first: a call to match_at()
		 * loses every vector register */
		for (b = 0; b < nb; b++) {
			const unsigned char *q = p + i + b * 64;
			__m512i v0 =
			        _mm512_or_si512(_mm512_loadu_si512(q), fold);
			__m512i v1 = _mm512_or_si512(_mm512_loadu_si512(q + 1),
			                             fold);
			__m512i v2 = _mm512_or_si512(_mm512_loadu_si512(q + 2),
			                             fold);

			m[b] = ~(__mmask64)0;
#	pragma GCC unroll 4
			for (t = 0; t < KW_HT; t++) {
				__m512i x = _mm512_ternarylogic_epi64(
				        _mm512_gf2p8affine_epi64_epi8(
				                v0, mat[t][0][0], 0),
				        _mm512_gf2p8affine_epi64_epi8(
				                v1, mat[t][0][1], 0),
				        _mm512_gf2p8affine_epi64_epi8(
				                v2, mat[t][0][2], 0),
				        0x96);
				__m512i s = _mm512_ternarylogic_epi64(
				        _mm512_gf2p8affine_epi64_epi8(
				                v0, mat[t][1][0], 0),
				        _mm512_gf2p8affine_epi64_epi8(
				                v1, mat[t][1][1], 0),
				        _mm512_gf2p8affine_epi64_epi8(
				                v2, mat[t][1][2], 0),
				        0x96);

				m[b] = _mm512_mask_test_epi8_mask(
				        m[b],
				        _mm512_permutex2var_epi8(lo[t], x,
				                                 hi[t]),
				        _mm512_shuffle_epi8(pow2, s));
			}
		}
		for (b = 0; b < nb; b++)
			while (m[b]) {
				size_t at = i + b * 64 +
				            (unsigned)__builtin_ctzll(m[b]);

				m[b] &= m[b] - 1;
				if (match_at(ac, found, hits, *all, p, at,
				             len) &&
				    !found) {
					*stop = 1;
					return i;
				}
				*all = hits && hits->complete;
			}
	}
	return i;
}

/*
 * The same bitmap test as the scalar loop, eight positions at a time:
 * the eight overlapping words come from one 16-byte load and a shuffle,
 * their hashes from one multiply, the bitmap words from one gather (x86
 * is little-endian: bit b of a 64-bit bitmap word is bit b % 32 of
 * 32-bit word b / 32). Measured 0.9-1.2 ns a byte against 1.8-1.9 for
 * the scalar loop on the bench repository's Go and Python files (AVX-512
 * gathers of sixteen were no faster on an AMD EPYC).
 * Returns where the scalar loop takes over; *stop is set when a match
 * ends the scan (no `found`).
 */
__attribute__((target("avx2"))) static size_t
scan_avx2(const struct kw_automaton *ac,
          unsigned char *found,
          struct kw_hits *hits,
          int *all,
          const unsigned char *p,
          size_t len,
          int *stop)
{
	const __m256i shuf = _mm256_setr_epi8(0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4,
	                                      5, 3, 4, 5, 6, 4, 5, 6, 7, 5, 6,
	                                      7, 8, 6, 7, 8, 9, 7, 8, 9, 10);
	const __m256i mul = _mm256_set1_epi32((int)HASH_K);
	const __m256i tri = _mm256_set1_epi32((int)ac->tri_mask);
	const __m256i fold = _mm256_set1_epi32((int)ac->fold);
	const __m256i one = _mm256_set1_epi32(1), low5 = _mm256_set1_epi32(31);
	const __m128i sh = _mm_cvtsi32_si128((int)ac->shift);
	const int *t32 = (const int *)ac->starts;
	size_t i;

	for (i = 0; i + 16 <= len; i += 8) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m256i w = _mm256_or_si256(
		        _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(v),
		                            shuf),
		        fold);
		__m256i t = _mm256_srl_epi32(
		        _mm256_mullo_epi32(_mm256_and_si256(w, tri), mul), sh);
		__m256i gt =
		        _mm256_i32gather_epi32(t32, _mm256_srli_epi32(t, 5), 4);
		__m256i bits = _mm256_srlv_epi32(gt, _mm256_and_si256(t, low5));
		unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
		        _mm256_cmpeq_epi32(_mm256_and_si256(bits, one), one)));

		while (m) {
			unsigned k = (unsigned)__builtin_ctz(m);
			m &= m - 1;
			if (match_at(ac, found, hits, *all, p, i + k, len) &&
			    !found) {
				*stop = 1;
				return i;
			}
			*all = hits && hits->complete;
		}
	}
	return i;
}
#endif

/* kw_scan(), or with no `found` kw_any(): 1 at the first match then. */
static int scan(const struct kw_automaton *ac,
                unsigned char *found,
                struct kw_hits *hits,
                const char *s,
                size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t word = 0;
	size_t i = 0;
	int all = hits != NULL; /* every occurrence, not only the first */

	if (ac->nr_few) {
		if (kw_few_scan(ac, found, hits, p, len))
			return 1;
		goto short_ones;
	}
#ifdef KW_AVX2
	if (ac->hashed && ac->isa == KW_ISA_AVX512) {
		int stop = 0;

		i = scan_avx512(ac, found, hits, &all, p, len, &stop);
		if (stop)
			return 1;
	} else if (ac->isa >= KW_ISA_AVX2) {
		int stop = 0;

		i = scan_avx2(ac, found, hits, &all, p, len, &stop);
		if (stop)
			return 1;
	}
#endif
	for (; i + 4 <= len; i++) {
		memcpy(&word, p + i, 4);
		word |= ac->fold;
		if (!has_bit(ac, ac->starts, word & ac->tri_mask))
			continue;
		if (match_at(ac, found, hits, all, p, i, len) && !found)
			return 1;
		all = hits && hits->complete;
	}
	/* the last three bytes: three-byte keywords only fit at the first */
	for (; i + 3 <= len; i++)
		if (match_at(ac, found, hits, all, p, i, len) && !found)
			return 1;
short_ones:
	if (scan_pairs(ac, found, hits, s, len))
		return 1;
	return ac->has_one && scan_ones(ac, found, s, len);
}

void kw_scan(const struct kw_automaton *ac,
             unsigned char *found,
             struct kw_hits *hits,
             const char *s,
             size_t len)
{
	if (hits) {
		hits->nr = 0;
		hits->complete = len < UINT32_MAX;
	}
	if (!ac->nr_keywords)
		return;
	scan(ac, found, hits, s, len);
	if (hits && hits->complete)
		chain_hits(ac, hits);
}

int kw_any(const struct kw_automaton *ac, const char *s, size_t len)
{
	return ac->nr_keywords && scan(ac, NULL, NULL, s, len);
}
