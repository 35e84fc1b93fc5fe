/*
 * kwset_int.h: what the scan (kwset.c), the tables (kwset_build.c) and
 * the search for few keywords (kwset_few.c) share.
 */
#ifndef PYORGO_KWSET_INT_H
#define PYORGO_KWSET_INT_H

#include <stdint.h>

#include "kwset.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#	define KW_AVX2 1
#endif

#define HASH_K 2654435761u

static inline unsigned kw_bucket_of(const struct kw_automaton *ac,
                                    unsigned bigram)
{
	return (bigram * HASH_K >> 16) & (unsigned)(ac->nr_buckets - 1);
}

/* The bucket of `bigram`, or the free slot where it would go. */
static inline size_t kw_slot_of(const struct kw_automaton *ac, unsigned bigram)
{
	size_t b = kw_bucket_of(ac, bigram), k;

	for (k = 0; k < ac->nr_buckets; k++, b = (b + 1) & (ac->nr_buckets - 1))
		if (!ac->buckets[b].used || ac->buckets[b].bigram == bigram)
			return b;
	return ac->nr_buckets;
}

/* The first two bytes of p, folded as the keywords were. */
static inline unsigned kw_bigram_of(const struct kw_automaton *ac,
                                    const unsigned char *p)
{
	unsigned f = ac->fold & 0xff;

	return (unsigned)(p[0] | f) << 8 | (p[1] | f);
}

static inline unsigned kw_start_hash(const struct kw_automaton *ac, uint32_t w)
{
	return (w * HASH_K) >> ac->shift;
}

/* How common a byte is in source code (kwset_build.c). */
extern const unsigned char kw_byte_weight[256];
/* The most common three-byte sequences of source code, with a frequency
 * class in the top byte (kwset_common.c). */
extern const uint32_t kw_common_tri[];
extern const size_t kw_nr_common_tri;

/* Records a hit; past KW_MAX_HITS the list is given up (not complete). */
void kw_add_hit(struct kw_hits *hits, size_t off, uint16_t id);

/* Keyword `id` at p from its byte `from` on (room checked), case folded
 * if the set folds. */
int kw_same_from(const struct kw_automaton *ac,
                 const unsigned char *p,
                 size_t id,
                 size_t from);

/* Chooses the search of few keywords when the set is one (kw_build). */
void kw_few_build(struct kw_automaton *ac);

/* kw_scan() of a few-keyword set (keywords of three bytes or more; the
 * shorter ones are looked for apart): 1 when a match ends the scan (no
 * `found`: kw_any()). */
int kw_few_scan(const struct kw_automaton *ac,
                unsigned char *found,
                struct kw_hits *hits,
                const unsigned char *p,
                size_t len);

#endif
