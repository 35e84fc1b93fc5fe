/*
 * pack_int.h: the pack reader's state, shared by pack.c (opening the
 * packs, finding an object) and pack_read.c (reading entries, delta
 * chains, the cache of recent results).
 */
#ifndef PYORGO_PACK_INT_H
#define PYORGO_PACK_INT_H

#include <stdint.h>
#include <zlib.h>

#include "pack.h"

#define CACHE_SLOTS 4096             /* recent objects, by pack offset */
#define CACHE_MAX_OBJ (256 * 1024)   /* larger ones are not kept */
#define MAX_OBJECT ((size_t)1 << 30) /* larger: read through libgit2 */
#define MAX_CHAIN 10000              /* a longer delta chain is broken */
#define TRIM_EVERY 512               /* sizes read between two pack_trim() */

enum { OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7 };

struct pack {
	const unsigned char *idx, *data;
	size_t idx_len, data_len;
	uint32_t nr;
	const unsigned char *fanout, *ids, *off32, *off64;
	size_t nr_off64;
};

struct slot {
	uint32_t pack;
	uint64_t off;
	struct pyo_obj *obj;
};

struct pyo_reader {
	git_odb *odb;
	struct pack *packs;
	size_t nr_packs, alloc_packs, last;
	struct slot cache[CACHE_SLOTS];
	size_t cached_bytes, budget;
	z_stream z;
	int z_ready;
	unsigned char *scratch; /* an inflated delta */
	size_t scratch_alloc;
	size_t from_packs, from_odb, damaged;
	size_t sized; /* pyo_reader_size() calls since the last trim */
};

/* A new object of `len` bytes (NUL after them), one reference; NULL when
 * too large or out of memory. */
struct pyo_obj *pack_obj_new(git_object_t type, size_t len);
unsigned char *pack_obj_buf(struct pyo_obj *o);
/*
 * Drops this process's view of the packs' pages (they stay in the page
 * cache). A reader that only reads sizes runs next to libgit2 reading
 * the same packs through its own mappings: the pages touched in both
 * would count twice in the resident set.
 */
void pack_trim(struct pyo_reader *r);
/* 1 with the pack and offset of `id`, 0 when in no pack of the reader. */
int pack_find(struct pyo_reader *r,
              const git_oid *id,
              size_t *pack,
              uint64_t *off);

#endif
