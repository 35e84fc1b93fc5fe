/*
 * pack_read.c: reading a pack entry: the entry header, inflating, delta
 * chains (offset and reference deltas) resolved down to a whole object or
 * a cached result and applied back up, and the size of an entry without
 * inflating it. Every length and offset read from the pack is checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pyorgo/common.h"
#include "pack_int.h"
#include "vec.h"
#include "banned.h"

/* ---- the cache of recent results ---------------------------------------- */

static struct slot *slot_of(struct pyo_reader *r, size_t pack, uint64_t off)
{
	uint64_t h = (off ^ (uint64_t)pack << 40) * 0x9e3779b97f4a7c15ull;

	return &r->cache[h >> 52]; /* 12 bits: CACHE_SLOTS */
}

static struct pyo_obj *
cache_get(struct pyo_reader *r, size_t pack, uint64_t off)
{
	struct slot *s = slot_of(r, pack, off);

	return s->obj && s->pack == pack && s->off == off ? pyo_obj_dup(s->obj)
	                                                  : NULL;
}

static void
cache_put(struct pyo_reader *r, size_t pack, uint64_t off, struct pyo_obj *o)
{
	struct slot *s = slot_of(r, pack, off);

	if (o->len > CACHE_MAX_OBJ)
		return;
	if (s->obj) {
		r->cached_bytes -= s->obj->len;
		pyo_obj_free(s->obj);
		s->obj = NULL;
	}
	if (r->cached_bytes + o->len > r->budget)
		return;
	s->pack = (uint32_t)pack;
	s->off = off;
	s->obj = pyo_obj_dup(o);
	r->cached_bytes += o->len;
}

/* ---- reading an entry ------------------------------------------------- */

struct entry {
	int type;                     /* 1-4, or a delta */
	size_t size;                  /* inflated size */
	const unsigned char *z;       /* compressed data */
	size_t z_len;                 /* at most this many bytes */
	uint64_t base_off;            /* OFS_DELTA: the base's offset */
	const unsigned char *base_id; /* REF_DELTA */
};

static int parse_entry(const struct pack *p, uint64_t off, struct entry *e)
{
	const unsigned char *s = p->data + off;
	const unsigned char *end = p->data + p->data_len - 20;
	unsigned shift = 4;
	unsigned char c;

	if (s >= end)
		return -1;
	c = *s++;
	e->type = (c >> 4) & 7;
	e->size = c & 15;
	while (c & 0x80) {
		if (s >= end || shift > 60)
			return -1;
		c = *s++;
		e->size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->type == OBJ_OFS_DELTA) {
		uint64_t b;

		if (s >= end)
			return -1;
		c = *s++;
		b = c & 0x7f;
		while (c & 0x80) {
			if (s >= end || b >> 55)
				return -1;
			c = *s++;
			b = ((b + 1) << 7) | (c & 0x7f);
		}
		if (!b || b > off)
			return -1;
		e->base_off = off - b;
	} else if (e->type == OBJ_REF_DELTA) {
		if (end - s < 20)
			return -1;
		e->base_id = s;
		s += 20;
	} else if (e->type < 1 || e->type > 4) {
		return -1;
	}
	if (e->size > MAX_OBJECT)
		return -1;
	e->z = s;
	e->z_len = (size_t)(end - s);
	return 0;
}

/* Inflates exactly e->size bytes of the entry into `out`. */
static int
inflate_to(struct pyo_reader *r, const struct entry *e, unsigned char *out)
{
	int rc;

	if (inflateReset(&r->z) != Z_OK)
		return -1;
	r->z.next_in = (unsigned char *)(uintptr_t)e->z;
	r->z.avail_in = e->z_len > UINT32_MAX ? UINT32_MAX : (uInt)e->z_len;
	r->z.next_out = out;
	r->z.avail_out = (uInt)e->size;
	if (!e->size) {
		/* an empty object: a stream with no output */
		unsigned char one;

		r->z.next_out = &one;
		r->z.avail_out = 1;
	}
	rc = inflate(&r->z, Z_FINISH);
	return rc == Z_STREAM_END && r->z.total_out == e->size ? 0 : -1;
}

static size_t
delta_varint(const unsigned char **p, const unsigned char *end, int *bad)
{
	size_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		if (*p >= end || shift > 60) {
			*bad = 1;
			return 0;
		}
		c = *(*p)++;
		v |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

/* Applies delta `d` to `base`: a new object, NULL when malformed. */
static struct pyo_obj *
apply_delta(const struct pyo_obj *base, const unsigned char *d, size_t len)
{
	const unsigned char *end = d + len;
	struct pyo_obj *o;
	unsigned char *out;
	size_t src, dst, at = 0;
	int bad = 0;

	src = delta_varint(&d, end, &bad);
	dst = delta_varint(&d, end, &bad);
	if (bad || src != base->len || !(o = pack_obj_new(base->type, dst)))
		return NULL;
	out = pack_obj_buf(o);
	while (d < end) {
		unsigned char op = *d++;

		if (op & 0x80) {
			size_t off = 0, n = 0;
			unsigned k;

			for (k = 0; k < 4; k++)
				if (op & (1u << k)) {
					if (d >= end)
						goto bad;
					off |= (size_t)*d++ << (8 * k);
				}
			for (k = 0; k < 3; k++)
				if (op & (0x10u << k)) {
					if (d >= end)
						goto bad;
					n |= (size_t)*d++ << (8 * k);
				}
			if (!n)
				n = 0x10000;
			if (off > base->len || n > base->len - off ||
			    n > dst - at)
				goto bad;
			memcpy(out + at, base->data + off, n);
			at += n;
		} else if (op) {
			if (op > (size_t)(end - d) || op > dst - at)
				goto bad;
			memcpy(out + at, d, op);
			d += op;
			at += op;
		} else {
			goto bad;
		}
	}
	if (at == dst)
		return o;
bad:
	pyo_obj_free(o);
	return NULL;
}

/* Reads `id` through libgit2; GIT_ENOTFOUND when missing. */
static int
read_odb(struct pyo_obj **out, struct pyo_reader *r, const git_oid *id)
{
	git_odb_object *g;
	struct pyo_obj *o;

	if (!r->odb || git_odb_read(&g, r->odb, id) < 0)
		return GIT_ENOTFOUND;
	o = pack_obj_new(git_odb_object_type(g), git_odb_object_size(g));
	if (o)
		memcpy(pack_obj_buf(o), git_odb_object_data(g), o->len);
	git_odb_object_free(g);
	if (!o)
		return pyo_error_oom();
	r->from_odb++;
	*out = o;
	return 0;
}

struct link {
	size_t pack;
	uint64_t off;
	struct entry e;
};

/*
 * The object at `off` of pack `pk`: follows the delta chain down to a
 * whole object or a cached result, then applies the deltas back up,
 * keeping each result (the next read often shares the chain). NULL on
 * anything malformed: the caller reads through libgit2.
 */
static struct pyo_obj *read_at(struct pyo_reader *r, size_t pk, uint64_t off)
{
	struct link *chain = NULL;
	size_t nr = 0, alloc = 0;
	struct pyo_obj *o = NULL;

	for (;;) {
		struct entry e;

		if ((o = cache_get(r, pk, off)))
			break;
		if (nr >= MAX_CHAIN || parse_entry(&r->packs[pk], off, &e) < 0)
			goto fail;
		if (e.type <= 4) {
			if (!(o = pack_obj_new((git_object_t)e.type, e.size)))
				goto fail;
			if (inflate_to(r, &e, pack_obj_buf(o)) < 0)
				goto fail;
			cache_put(r, pk, off, o);
			break;
		}
		if (PYO_ARRAY_GROW(chain, nr, alloc) < 0)
			goto fail;
		chain[nr].pack = pk;
		chain[nr].off = off;
		chain[nr++].e = e;
		if (e.type == OBJ_OFS_DELTA) {
			off = e.base_off;
			continue;
		}
		{
			git_oid base;

			git_oid_fromraw(&base, e.base_id);
			if (!pack_find(r, &base, &pk, &off)) {
				if (read_odb(&o, r, &base) < 0)
					goto fail;
				break;
			}
		}
	}
	while (nr--) {
		struct link *l = &chain[nr];
		struct pyo_obj *next;

		if (l->e.size > r->scratch_alloc) {
			unsigned char *s = realloc(r->scratch, l->e.size);

			if (!s)
				goto fail;
			r->scratch = s;
			r->scratch_alloc = l->e.size;
		}
		if (inflate_to(r, &l->e, r->scratch) < 0 ||
		    !(next = apply_delta(o, r->scratch, l->e.size)))
			goto fail;
		pyo_obj_free(o);
		o = next;
		cache_put(r, l->pack, l->off, o);
	}
	free(chain);
	return o;
fail:
	pyo_obj_free(o);
	free(chain);
	return NULL;
}

int pyo_reader_read(struct pyo_obj **out,
                    struct pyo_reader *r,
                    const git_oid *id)
{
	size_t pk;
	uint64_t off;

	*out = NULL;
	if (!pack_find(r, id, &pk, &off))
		return read_odb(out, r, id);
	if (!(*out = read_at(r, pk, off))) {
		/* damaged: libgit2 1.5 reading the same entry can crash, so
		 * the object counts as missing */
		r->damaged++;
		return GIT_ENOTFOUND;
	}
	r->from_packs++;
	return 0;
}

/* The result size of a delta entry: the second varint of its data. */
static int
delta_result_size(struct pyo_reader *r, const struct entry *e, size_t *size)
{
	unsigned char head[32];
	const unsigned char *p = head;
	int bad = 0, rc;

	if (inflateReset(&r->z) != Z_OK)
		return -1;
	r->z.next_in = (unsigned char *)(uintptr_t)e->z;
	r->z.avail_in = e->z_len > 65536 ? 65536 : (uInt)e->z_len;
	r->z.next_out = head;
	r->z.avail_out = sizeof(head);
	rc = inflate(&r->z, Z_SYNC_FLUSH);
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		return -1;
	(void)delta_varint(&p, head + r->z.total_out, &bad);
	*size = delta_varint(&p, head + r->z.total_out, &bad);
	return bad ? -1 : 0;
}

int pyo_reader_size(struct pyo_reader *r,
                    const git_oid *id,
                    size_t *size,
                    git_object_t *type)
{
	struct entry e;
	size_t pk, n;
	uint64_t off;

	if (++r->sized >= TRIM_EVERY) {
		pack_trim(r);
		r->sized = 0;
	}
	if (!pack_find(r, id, &pk, &off) ||
	    parse_entry(&r->packs[pk], off, &e) < 0)
		return GIT_ENOTFOUND;
	if (e.type <= 4) {
		*size = e.size;
		if (type)
			*type = (git_object_t)e.type;
		return 0;
	}
	if (delta_result_size(r, &e, size) < 0)
		return GIT_ENOTFOUND;
	if (!type)
		return 0;
	/* the type is the chain's base's */
	for (n = 0; n < MAX_CHAIN && e.type > 4; n++) {
		if (e.type == OBJ_OFS_DELTA) {
			off = e.base_off;
		} else {
			git_oid base;

			git_oid_fromraw(&base, e.base_id);
			if (!pack_find(r, &base, &pk, &off))
				return GIT_ENOTFOUND;
		}
		if (parse_entry(&r->packs[pk], off, &e) < 0)
			return GIT_ENOTFOUND;
	}
	if (e.type > 4)
		return GIT_ENOTFOUND;
	*type = (git_object_t)e.type;
	return 0;
}
