/*
 * kwset_int.h: what the scan (kwset.c), the tables (kwset_build.c) and
 * the search for few keywords (kwset_few.c) share.
 */
#ifndef PYORGO_KWSET_INT_H
#define PYORGO_KWSET_INT_H

#include <stdint.h>

#include "kwset.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#	include <immintrin.h>
#	define KW_AVX2 1
#endif

#define HASH_K 2654435761u

/* The slot of the three bytes in w (a loaded word, folded, masked). */
static inline unsigned kw_slot_hash(const struct kw_automaton *ac, uint32_t w)
{
	return (w * HASH_K) >> ac->slot_shift;
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
