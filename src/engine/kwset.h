/*
 * kwset.h: a set of literals found in one pass over a text. The
 * detectors' keyword prefilter (every hit of every keyword, so that a
 * rule's regex runs only next to its keywords) and the literal
 * prefilters of the path, content and heuristic regexes (does any of
 * the regex's required literals occur: relit.h) are both one.
 *
 * A bitmap of hashes of one three-byte piece of each keyword, its anchor
 * (in the first-level cache), is tested at every byte, with no
 * dependency from one byte to the next; only where a bit is set are the
 * keywords anchored on those bytes compared (those in the slot of the
 * three bytes' hash), four bytes at once first. With AVX-512 VBMI and
 * GFNI, three smaller tables take the bitmap's place (kwset.c
 * scan_avx512): 64 places a step, no gather.
 * The anchor is the keyword's rarest three bytes by the usual byte
 * frequencies of source code: "ent.Open" is looked for at ".Op", not at
 * every "ent" of "content" and "client". (A second map of four-byte
 * starts passed fewer bytes, but its gather cost more than the
 * candidates it saved.) Two-byte and one-byte keywords are looked for
 * apart. With AVX2 and no AVX-512 filter, a set of few keywords (KW_FEW)
 * is searched without the bitmap: where the two rarest bytes of one of
 * them are (kwset_few.c).
 */
#ifndef PYORGO_KWSET_H
#define PYORGO_KWSET_H

#include <stddef.h>
#include <stdint.h>

/* At most this many keywords of three bytes or more: searched for by
 * two of their bytes at a time each, not through the bitmap, when the
 * vector code is AVX2 (kwset_few.c). */
#define KW_FEW 3
#define KW_HT 3 /* tables of the AVX-512 filter */

/* The vector code of a scan: the widest the CPU runs, unless the
 * environment's PYORGO_SIMD ("avx2", "none") asks for less. */
enum { KW_ISA_SCALAR, KW_ISA_AVX2, KW_ISA_AVX512 };

/* What a candidate place is compared with: a keyword of three bytes or
 * more, packed (kwset_build.c), in the slot of its anchor's hash. */
struct kw_entry {
	uint32_t head, mask; /* first (up to) 4 bytes, for a quick test */
	uint16_t id;         /* in the arrays below */
	uint16_t as;
	uint8_t anchor, track;
	uint32_t len;
};

struct kw_automaton {
	char **text; /* by keyword id */
	size_t *len;
	uint8_t *anchor;      /* where in a keyword its map entry starts */
	unsigned char *track; /* by id: record this keyword's hits */
	uint16_t *as;         /* by id: the id found[] and hits report */
	size_t nr_keywords, alloc;
	uint64_t *starts;  /* hashes of the 3-byte starts of keywords */
	unsigned shift;    /* a hash is (word * K) >> shift */
	uint32_t tri_mask; /* a loaded word's first three bytes */
	uint32_t fold;     /* 0x20202020 when case is ignored, else 0 */
	uint16_t *pairs;   /* ids of two-byte keywords, looked for apart */
	size_t nr_pairs;
	/* by the hash of an anchor's three bytes (>> slot_shift): the first
	 * entry << 8 | how many */
	uint32_t *slots;
	unsigned slot_shift;
	struct kw_entry *entries; /* grouped by slot */
	int16_t one[256];         /* one-byte keywords: the id, or -1 */
	int has_one;
	/* a set of few keywords (kwset_few.c): their ids and the offsets
	 * of the two rarest bytes of each */
	uint16_t few[KW_FEW];
	uint8_t few_at[KW_FEW][2];
	size_t nr_few;
	/* the AVX-512 filter (kwset_build.c): per table, the GF(2) affine
	 * maps of an anchor's three bytes to a 7-bit index and a 3-bit
	 * select, and the table's 1,024 bits; set when it can be used */
	uint64_t hmat[KW_HT][2][3];
	uint8_t htab[KW_HT][128];
	int hashed;
	int isa; /* KW_ISA_*: the vector code the scan runs */
};

/*
 * Where the keywords occur in one text: every occurrence of a tracked
 * keyword of two bytes or more, in text order, chained per keyword
 * (first[id], then next).
 */
struct kw_hit {
	uint32_t off;  /* byte offset in the text */
	uint32_t next; /* next hit of the same keyword, or KW_NONE */
	uint16_t id;
};

#define KW_NONE UINT32_MAX
#define KW_MAX_HITS (1u << 18) /* past this, hits are given up */

struct kw_hits {
	struct kw_hit *items;
	size_t nr, alloc;
	uint32_t *first; /* by keyword id: first hit, or KW_NONE */
	int complete;    /* every occurrence was recorded */
};

/*
 * The id of keyword `kw[0..n)` (n > 0), added when new; `track` asks
 * for its hits in kw_scan(). Case is ignored when the set was given
 * kw_ignore_case() first: the keywords must then be in lower case, and
 * a text matches where its bytes equal them with bit 0x20 set (a
 * superset of ASCII case folding, as a prefilter may be).
 */
int kw_add(struct kw_automaton *ac, const char *kw, size_t n, int track);
/*
 * The same, with `as` reported in found[] and hits instead of the set's
 * own id: several sets (one per file language) then share one id space.
 */
int kw_add_as(struct kw_automaton *ac,
              const char *kw,
              size_t n,
              int track,
              uint16_t as);
void kw_ignore_case(struct kw_automaton *ac);

/* Builds the tables once every keyword was added. */
int kw_build(struct kw_automaton *ac);

/*
 * Sets found[k] = 1 for every keyword k occurring in `s` and, when `hits`
 * is not NULL, records the occurrences of tracked keywords there
 * (hits->first has room for every keyword id).
 */
void kw_scan(const struct kw_automaton *ac,
             unsigned char *found,
             struct kw_hits *hits,
             const char *s,
             size_t len);

/* 1 when any keyword occurs in `s` (0 for an empty set). */
int kw_any(const struct kw_automaton *ac, const char *s, size_t len);

void kw_release(struct kw_automaton *ac);

#endif
