/*
 * kwset.c: a set of literals found in one pass (kwset.h). It replaced an
 * Aho-Corasick automaton whose table (1,080 states) left the first-level
 * cache: each byte then waited for the previous byte's table load.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#	include <immintrin.h>
#	define KW_AVX2 1
#endif

#include "kwset_int.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define HASH_K 2654435761u

/*
 * How common a byte is in source code: log2 of its share per 65,536 in
 * 93 MB of Python, Go and C files. An anchor's three bytes are the
 * keyword's three with the lowest sum.
 */
const unsigned char kw_byte_weight[256] = {
	0,  0,  0,  0,  0,  0,  0,  0,  0, 10, 11, 0, 0, 0,  0,  0,  0,  0,  0,
	0,  0,  0,  0,  0,  0,  0,  0,  0, 0,  0,  0, 0, 13, 7,  9,  6,  2,  4,
	2,  8,  11, 11, 9,  5,  10, 7,  9, 7,  7,  8, 7, 7,  6,  6,  6,  6,  6,
	6,  9,  3,  5,  9,  6,  3,  4,  7, 6,  7,  9, 7, 6,  8,  6,  8,  4,  5,
	7,  6,  7,  6,  8,  6,  8,  8,  7, 6,  6,  6, 4, 3,  7,  9,  5,  9,  1,
	10, 6,  11, 9,  11, 10, 12, 10, 9, 9,  11, 6, 8, 10, 10, 12, 11, 10, 6,
	12, 11, 12, 11, 8,  9,  9,  9,  4, 9,  5,  9, 3, 0,
};

/* How many short keywords of the set other than `i` hold `tri` (three
 * bytes): a short keyword is a word the scanned code uses often. */
static unsigned
shared_by(const struct kw_automaton *ac, size_t i, const unsigned char *tri)
{
	unsigned n = 0;
	size_t j;

	for (j = 0; j < ac->nr_keywords; j++)
		n += j != i && ac->len[j] <= 6 &&
		     pyo_memmem(ac->text[j], ac->len[j], (const char *)tri, 3);
	return n;
}

/*
 * The offset of keyword `i`'s anchor (it has three bytes or more): its
 * three rarest bytes, and not three that other keywords hold: keywords
 * that share bytes share a common word ("asyncio.timeout" and "async",
 * "fasthttp." and "http."), and an anchor in it stops the scan at every
 * occurrence of that word (186,000 places for "asy" on the bench
 * repository, where "meo" stops at none but the keyword).
 */
static uint8_t pick_anchor(const struct kw_automaton *ac, size_t i)
{
	const unsigned char *k = (const unsigned char *)ac->text[i];
	unsigned best = ~0u, w;
	size_t o, at = 0;

	for (o = 0; o + 3 <= ac->len[i] && o < 256; o++) {
		/* a folded keyword is in lower case: count both cases */
		w = kw_byte_weight[k[o]] + kw_byte_weight[k[o + 1]] +
		    kw_byte_weight[k[o + 2]] + 12 * shared_by(ac, i, k + o);
		if (ac->fold)
			w += kw_byte_weight[k[o] & ~0x20u] +
			     kw_byte_weight[k[o + 1] & ~0x20u] +
			     kw_byte_weight[k[o + 2] & ~0x20u];
		if (w < best) {
			best = w;
			at = o;
		}
	}
	return (uint8_t)at;
}

static unsigned bucket_of(const struct kw_automaton *ac, unsigned bigram)
{
	return (bigram * HASH_K >> 16) & (unsigned)(ac->nr_buckets - 1);
}

void kw_ignore_case(struct kw_automaton *ac)
{
	memset(&ac->fold, 0x20, sizeof(ac->fold));
}

/* Room for one more keyword. */
static int grow(struct kw_automaton *ac)
{
	size_t na = ac->alloc ? ac->alloc * 2 : 16;
	char **tx;
	size_t *l;
	unsigned char *tr;
	uint16_t *as;

	if (ac->nr_keywords < ac->alloc)
		return 0;
	if (!(tx = realloc(ac->text, na * sizeof(*tx))))
		return -1;
	ac->text = tx;
	if (!(l = realloc(ac->len, na * sizeof(*l))))
		return -1;
	ac->len = l;
	if (!(tr = realloc(ac->track, na)))
		return -1;
	ac->track = tr;
	if (!(as = realloc(ac->as, na * sizeof(*as))))
		return -1;
	ac->as = as;
	ac->alloc = na;
	return 0;
}

int kw_add(struct kw_automaton *ac, const char *kw, size_t n, int track)
{
	return kw_add_as(ac, kw, n, track, (uint16_t)ac->nr_keywords);
}

int kw_add_as(struct kw_automaton *ac,
              const char *kw,
              size_t n,
              int track,
              uint16_t as)
{
	size_t i;
	char *t;

	if (!(t = pyo_strndup(kw, n)))
		return PYO_ERROR;
	for (i = 0; i < n; i++)
		t[i] = (char)((unsigned char)t[i] | (ac->fold & 0xff));
	for (i = 0; i < ac->nr_keywords; i++)
		if (ac->len[i] == n && !memcmp(ac->text[i], t, n)) {
			ac->track[i] |= !!track;
			free(t);
			return (int)i;
		}
	if (ac->nr_keywords >= 65535 || grow(ac) < 0) {
		free(t);
		return ac->nr_keywords >= 65535
		               ? pyo_error_setc(PYO_ERULES,
		                                "too many rule keywords")
		               : pyo_error_oom();
	}
	ac->text[ac->nr_keywords] = t;
	ac->len[ac->nr_keywords] = n;
	ac->track[ac->nr_keywords] = !!track;
	ac->as[ac->nr_keywords] = as;
	return (int)ac->nr_keywords++;
}

/* The bucket of `bigram`, or the free slot where it would go. */
static size_t slot_of(const struct kw_automaton *ac, unsigned bigram)
{
	size_t b = bucket_of(ac, bigram), k;

	for (k = 0; k < ac->nr_buckets; k++, b = (b + 1) & (ac->nr_buckets - 1))
		if (!ac->buckets[b].used || ac->buckets[b].bigram == bigram)
			return b;
	return ac->nr_buckets;
}

static const struct kw_bucket *get_bucket(const struct kw_automaton *ac,
                                          unsigned bigram)
{
	size_t b = slot_of(ac, bigram);

	return b < ac->nr_buckets && ac->buckets[b].used ? &ac->buckets[b]
	                                                 : NULL;
}

/* The first two bytes of p, folded as the keywords were. */
static unsigned bigram_of(const struct kw_automaton *ac, const unsigned char *p)
{
	unsigned f = ac->fold & 0xff;

	return (unsigned)(p[0] | f) << 8 | (p[1] | f);
}

static unsigned start_hash(const struct kw_automaton *ac, uint32_t w)
{
	return (w * HASH_K) >> ac->shift;
}

static void set_bit(const struct kw_automaton *ac, uint64_t *map, uint32_t w)
{
	unsigned h = start_hash(ac, w);

	map[h >> 6] |= 1ull << (h & 63);
}

static int
has_bit(const struct kw_automaton *ac, const uint64_t *map, uint32_t w)
{
	unsigned h = start_hash(ac, w);

	return map[h >> 6] >> (h & 63) & 1;
}

/* Keyword `i`'s anchor in the map. */
static void add_start(struct kw_automaton *ac, size_t i)
{
	uint32_t w = 0;

	/* the scan loads four bytes in the machine's order: so does this */
	memcpy(&w, ac->text[i] + ac->anchor[i], 3);
	set_bit(ac, ac->starts, w & ac->tri_mask);
}

/* The bytes whose two first select keyword `i`'s bucket (three or more
 * bytes: shorter keywords are looked for apart). */
static const unsigned char *bucket_key(const struct kw_automaton *ac, size_t i)
{
	return (const unsigned char *)ac->text[i] + ac->anchor[i];
}

/* Sizes the maps: 256 bits a keyword, 4,096 to 65,536 in all (a map
 * of 16,384 bits for the detectors' 214 keywords passed 30% more bytes
 * by hash collisions). */
static int alloc_tables(struct kw_automaton *ac)
{
	size_t bits = 4096, nb = 16;

	while (bits < 65536 && bits < ac->nr_keywords * 256)
		bits *= 2;
	while (nb < 4 * ac->nr_keywords && nb < 65536)
		nb *= 2;
	ac->shift = 32;
	for (size_t b = bits; b > 1; b /= 2)
		ac->shift--;
	ac->starts = calloc(bits / 64, sizeof(*ac->starts));
	ac->buckets = calloc(nb, sizeof(*ac->buckets));
	ac->nr_buckets = nb;
	ac->anchor = calloc(ac->nr_keywords + 1, sizeof(*ac->anchor));
	if (!ac->starts || !ac->buckets || !ac->anchor)
		return pyo_error_oom();
	return 0;
}

/* Groups the keyword ids by the first two bytes of their anchors. */
int kw_build(struct kw_automaton *ac)
{
	size_t i, pos = 0;
	int error;

	if ((error = alloc_tables(ac)) < 0)
		return error;
	for (i = 0; i < ac->nr_keywords; i++)
		if (ac->len[i] >= 3)
			ac->anchor[i] = pick_anchor(ac, i);
	memset(ac->one, 0xff, sizeof(ac->one));
	/* the first three bytes of a loaded word, whatever the byte order */
	memcpy(&ac->tri_mask, "\xff\xff\xff\x00", 4);
	for (i = 0; i < ac->nr_keywords; i++) {
		size_t b;

		if (ac->len[i] == 1) {
			ac->one[(unsigned char)ac->text[i][0]] = (int16_t)i;
			ac->has_one = 1;
			continue;
		}
		if (ac->len[i] == 2) {
			ac->nr_pairs++;
			continue;
		}
		b = slot_of(ac, bigram_of(ac, bucket_key(ac, i)));
		if (b == ac->nr_buckets)
			return pyo_error_setc(PYO_ERULES,
			                      "too many rule keywords");
		ac->buckets[b].used = 1;
		ac->buckets[b].bigram =
		        (uint16_t)bigram_of(ac, bucket_key(ac, i));
		ac->buckets[b].count++;
		add_start(ac, i);
	}
	for (i = 0; i < ac->nr_buckets; i++) {
		ac->buckets[i].first = (uint32_t)pos;
		pos += ac->buckets[i].count;
		ac->buckets[i].count = 0;
	}
	ac->pairs = calloc(ac->nr_pairs + 1, sizeof(*ac->pairs));
	ac->nr_pairs = 0;
	for (i = 0; ac->pairs && i < ac->nr_keywords; i++)
		if (ac->len[i] == 2)
			ac->pairs[ac->nr_pairs++] = (uint16_t)i;
	ac->ids = calloc(pos ? pos : 1, sizeof(*ac->ids));
	ac->head = calloc(ac->nr_keywords + 1, sizeof(*ac->head));
	ac->mask = calloc(ac->nr_keywords + 1, sizeof(*ac->mask));
	if (!ac->ids || !ac->head || !ac->mask || !ac->pairs)
		return pyo_error_oom();
	for (i = 0; i < ac->nr_keywords; i++) {
		size_t n = ac->len[i] < 4 ? ac->len[i] : 4;

		memcpy(&ac->head[i], ac->text[i], n);
		memset(&ac->mask[i], 0xff, n);
	}
	for (i = 0; i < ac->nr_keywords; i++) {
		struct kw_bucket *b;

		if (ac->len[i] < 3)
			continue;
		b = &ac->buckets[slot_of(ac, bigram_of(ac, bucket_key(ac, i)))];
		ac->ids[b->first + b->count++] = (uint16_t)i;
	}
	kw_few_build(ac);
	return 0;
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
 * Compares the keywords anchored on the bytes at `i` (each starts its
 * anchor's offset before). Returns 1 when one matched; with no `found`,
 * at the first.
 */
static int match_at(const struct kw_automaton *ac,
                    unsigned char *found,
                    struct kw_hits *hits,
                    int all,
                    const unsigned char *p,
                    size_t i,
                    size_t len)
{
	const struct kw_bucket *b = get_bucket(ac, bigram_of(ac, p + i));
	size_t k;
	int any = 0;

	for (k = 0; b && k < b->count; k++) {
		uint16_t id = ac->ids[b->first + k];
		size_t at = i - ac->anchor[id];
		uint32_t word;

		if ((found && found[ac->as[id]] && !(all && ac->track[id])) ||
		    i < ac->anchor[id] || ac->len[id] > len - at)
			continue;
		/* four bytes at once settle most candidates; the rest after */
		if (at + 4 <= len) {
			memcpy(&word, p + at, 4);
			if (((word | ac->fold) & ac->mask[id]) !=
			            ac->head[id] ||
			    (ac->len[id] > 4 &&
			     !kw_same_from(ac, p + at, id, 4)))
				continue;
		} else if (!kw_same_from(ac, p + at, id, 0)) {
			continue;
		}
		if (!found)
			return 1;
		any = 1;
		found[ac->as[id]] = 1;
		if (all && ac->track[id])
			kw_add_hit(hits, at, ac->as[id]);
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

			for (i = 0; i + 2 <= len; i++)
				if (kw_same_from(ac,
				                 (const unsigned char *)s + i,
				                 id, 0)) {
					if (!found)
						return 1;
					found[ac->as[id]] = 1;
					break;
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
	if (__builtin_cpu_supports("avx2")) {
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

void kw_release(struct kw_automaton *ac)
{
	size_t i;

	if (!ac)
		return;
	for (i = 0; i < ac->nr_keywords; i++)
		free(ac->text[i]);
	free(ac->text);
	free(ac->len);
	free(ac->track);
	free(ac->as);
	free(ac->head);
	free(ac->mask);
	free(ac->starts);
	free(ac->anchor);
	free(ac->pairs);
	free(ac->buckets);
	free(ac->ids);
	memset(ac, 0, sizeof(*ac));
}
