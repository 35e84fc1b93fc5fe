/*
 * kwset_build.c: a keyword set's tables (kwset.h): each keyword's anchor
 * (the three bytes it is looked for at), the bitmap of their hashes, the
 * AVX-512 filter's tables, and the slots of keywords by anchor hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kwset_int.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

/* How much an anchor's commonness in source code weighs against the
 * rarity of its bytes (a class per doubling): 2 to 6 gave the same scan
 * of the bench repository's Python files, 0.87 ns a byte against 0.95
 * without (kw_common_tri). */
#define TRI_WEIGHT 3

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
/* How common the three bytes at k are in source code: their class in
 * kw_common_tri, 0 when they are not among the most common. */
static unsigned common_class(const unsigned char *k)
{
	uint32_t t =
	        (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16;
	size_t lo = 0, hi = kw_nr_common_tri;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t m = kw_common_tri[mid] & 0xffffff;

		if (m == t)
			return kw_common_tri[mid] >> 24;
		if (m < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static uint8_t pick_anchor(const struct kw_automaton *ac, size_t i)
{
	const unsigned char *k = (const unsigned char *)ac->text[i];
	unsigned best = ~0u, w;
	size_t o, at = 0;

	for (o = 0; o + 3 <= ac->len[i] && o < 256; o++) {
		/* a folded keyword is in lower case: count both cases */
		w = kw_byte_weight[k[o]] + kw_byte_weight[k[o + 1]] +
		    kw_byte_weight[k[o + 2]] + 12 * shared_by(ac, i, k + o) +
		    TRI_WEIGHT * common_class(k + o);
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

static void set_bit(const struct kw_automaton *ac, uint64_t *map, uint32_t w)
{
	unsigned h = kw_start_hash(ac, w);

	map[h >> 6] |= 1ull << (h & 63);
}

/* Keyword `i`'s anchor as the scan loads it (three or more bytes:
 * shorter keywords are looked for apart): the first three bytes of a
 * word, whatever the byte order. */
static uint32_t anchor_word(const struct kw_automaton *ac, size_t i)
{
	uint32_t w = 0;

	memcpy(&w, ac->text[i] + ac->anchor[i], 3);
	return w & ac->tri_mask;
}

static unsigned log2_of(size_t n)
{
	unsigned b = 0;

	while (n > 1) {
		n /= 2;
		b++;
	}
	return b;
}

/* Sizes the maps: 256 bits a keyword, 4,096 to 65,536 in all (a map
 * of 16,384 bits for the detectors' 214 keywords passed 30% more bytes
 * by hash collisions); 16 slots a keyword, 256 to 16,384. */
static int alloc_tables(struct kw_automaton *ac)
{
	size_t bits = 4096, slots = 256;

	while (bits < 65536 && bits < ac->nr_keywords * 256)
		bits *= 2;
	while (slots < 16384 && slots < ac->nr_keywords * 16)
		slots *= 2;
	ac->shift = 32 - log2_of(bits);
	ac->slot_shift = 32 - log2_of(slots);
	ac->starts = calloc(bits / 64, sizeof(*ac->starts));
	ac->slots = calloc(slots, sizeof(*ac->slots));
	ac->anchor = calloc(ac->nr_keywords + 1, sizeof(*ac->anchor));
	if (!ac->starts || !ac->slots || !ac->anchor)
		return pyo_error_oom();
	return 0;
}

/* The keywords of three bytes or more packed, grouped by slot. */
static int fill_slots(struct kw_automaton *ac)
{
	size_t i, nr = 0, nr_slots = (size_t)1 << (32 - ac->slot_shift);
	uint32_t *count = calloc(nr_slots, sizeof(*count));

	if (!count)
		return pyo_error_oom();
	for (i = 0; i < ac->nr_keywords; i++)
		if (ac->len[i] >= 3)
			count[kw_slot_hash(ac, anchor_word(ac, i))]++, nr++;
	ac->entries = calloc(nr + 1, sizeof(*ac->entries));
	if (!ac->entries) {
		free(count);
		return pyo_error_oom();
	}
	for (i = 0, nr = 0; i < nr_slots; i++) {
		if (count[i] > 255) {
			free(count);
			return pyo_error_setc(PYO_ERULES,
			                      "too many rule keywords");
		}
		ac->slots[i] = (uint32_t)nr << 8;
		nr += count[i];
	}
	for (i = 0; i < ac->nr_keywords; i++) {
		uint32_t *slot;
		struct kw_entry *e;
		size_t n = ac->len[i] < 4 ? ac->len[i] : 4;

		if (ac->len[i] < 3)
			continue;
		slot = &ac->slots[kw_slot_hash(ac, anchor_word(ac, i))];
		e = &ac->entries[(*slot >> 8) + (*slot & 0xff)];
		(*slot)++;
		memcpy(&e->head, ac->text[i], n);
		memset(&e->mask, 0xff, n);
		e->id = (uint16_t)i;
		e->as = ac->as[i];
		e->anchor = ac->anchor[i];
		e->track = ac->track[i];
		e->len = (uint32_t)ac->len[i];
	}
	free(count);
	return 0;
}

/* Byte x through the GF(2) affine map m as gf2p8affineqb computes it:
 * output bit i is the parity of x and byte 7 - i of m. */
static unsigned affine(uint64_t m, unsigned x)
{
	unsigned i, out = 0;

	for (i = 0; i < 8; i++)
		out |= (unsigned)__builtin_parity(
		               (unsigned)(m >> (8 * (7 - i))) & 0xffu & x)
		       << i;
	return out;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The AVX-512 filter's tables (kwset.c): each maps an anchor's three
 * bytes by three random affine maps to a 7-bit index and by three more
 * to a 3-bit select (only output bits 0-2: bytes 7-5 of the matrix),
 * and sets that bit of 1,024. A place passes when its bit is set in
 * every table: three tables pass as few places of the bench
 * repository's code as the 65,536-bit map (1.4%), with no gather.
 */
static void build_hashed(struct kw_automaton *ac)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t t, w, j, i;

	for (t = 0; t < KW_HT; t++)
		for (w = 0; w < 2; w++)
			for (j = 0; j < 3; j++)
				ac->hmat[t][w][j] =
				        xorshift(&seed) &
				        (w ? 0xffffff0000000000ull : ~0ull);
	for (i = 0; i < ac->nr_keywords; i++) {
		const unsigned char *k;

		if (ac->len[i] < 3)
			continue;
		k = (const unsigned char *)ac->text[i] + ac->anchor[i];
		for (t = 0; t < KW_HT; t++) {
			unsigned x = 0, s = 0;

			for (j = 0; j < 3; j++) {
				x ^= affine(ac->hmat[t][0][j], k[j]);
				s ^= affine(ac->hmat[t][1][j], k[j]);
			}
			ac->htab[t][x & 127] |= (uint8_t)(1u << (s & 7));
		}
		ac->hashed = 1;
	}
}

/* The widest vector code this CPU runs, or less when PYORGO_SIMD says
 * so ("avx2", "none"): to compare the paths, or to rule one out. */
static int pick_isa(void)
{
	const char *want = getenv("PYORGO_SIMD");
	int isa = KW_ISA_SCALAR;

#ifdef KW_AVX2
	if (__builtin_cpu_supports("avx2"))
		isa = KW_ISA_AVX2;
	if (isa && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("gfni"))
		isa = KW_ISA_AVX512;
#endif
	if (want && !strcmp(want, "none"))
		isa = KW_ISA_SCALAR;
	else if (want && !strcmp(want, "avx2") && isa > KW_ISA_AVX2)
		isa = KW_ISA_AVX2;
	return isa;
}

int kw_build(struct kw_automaton *ac)
{
	size_t i;
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
		if (ac->len[i] == 1) {
			ac->one[(unsigned char)ac->text[i][0]] = (int16_t)i;
			ac->has_one = 1;
			continue;
		}
		if (ac->len[i] == 2) {
			ac->nr_pairs++;
			continue;
		}
		set_bit(ac, ac->starts, anchor_word(ac, i));
	}
	if ((error = fill_slots(ac)) < 0)
		return error;
	ac->pairs = calloc(ac->nr_pairs + 1, sizeof(*ac->pairs));
	ac->nr_pairs = 0;
	for (i = 0; ac->pairs && i < ac->nr_keywords; i++)
		if (ac->len[i] == 2)
			ac->pairs[ac->nr_pairs++] = (uint16_t)i;
	if (!ac->pairs)
		return pyo_error_oom();
	ac->isa = pick_isa();
	kw_few_build(ac);
	build_hashed(ac);
	return 0;
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
	free(ac->starts);
	free(ac->anchor);
	free(ac->pairs);
	free(ac->slots);
	free(ac->entries);
	memset(ac, 0, sizeof(*ac));
}
