/*
 * kwset_int.h: what kwset.c shares with the search for few keywords
 * (kwset_few.c).
 */
#ifndef PYORGO_KWSET_INT_H
#define PYORGO_KWSET_INT_H

#include "kwset.h"

/* How common a byte is in source code (kwset.c). */
extern const unsigned char kw_byte_weight[256];

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
