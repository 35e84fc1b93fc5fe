/*
 * pack.c: reads objects from pack files (version 2 index, version 2 or 3
 * pack) without libgit2, for the history walk's many small reads. Every
 * length and offset read from a file is checked against the mapping; on
 * anything unexpected the object is read through libgit2 instead.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pyorgo/common.h"
#include "pack.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define CACHE_SLOTS 4096             /* recent objects, by pack offset */
#define CACHE_MAX_OBJ (256 * 1024)   /* larger ones are not kept */
#define CACHE_BUDGET (64u << 20)     /* bytes kept at most */
#define MAX_OBJECT ((size_t)1 << 30) /* larger: read through libgit2 */
#define MAX_CHAIN 10000              /* a longer delta chain is broken */

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
};

/* ---- objects ------------------------------------------------------------ */

static struct pyo_obj *obj_new(git_object_t type, size_t len)
{
	struct pyo_obj *o;

	if (len > MAX_OBJECT || !(o = malloc(sizeof(*o) + len + 1)))
		return NULL;
	o->refs = 1;
	o->type = type;
	o->len = len;
	o->data = (unsigned char *)(o + 1);
	((unsigned char *)(o + 1))[len] = '\0';
	return o;
}

static unsigned char *obj_buf(struct pyo_obj *o)
{
	return (unsigned char *)(o + 1);
}

struct pyo_obj *pyo_obj_dup(struct pyo_obj *o)
{
	if (o)
		o->refs++;
	return o;
}

void pyo_obj_free(struct pyo_obj *o)
{
	if (o && !--o->refs)
		free(o);
}

/* ---- opening the packs ------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static const unsigned char *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return p;
}

static void unmap(const unsigned char *p, size_t len)
{
	if (p)
		munmap((void *)(uintptr_t)p, len);
}

/* Checks the index (version 2) and the pack header; 0 when usable. */
static int check_pack(struct pack *p)
{
	const unsigned char *i = p->idx;
	size_t need;
	uint32_t k, prev = 0;

	if (p->idx_len < 8 + 1024 + 40 || memcmp(i, "\377tOc", 4) ||
	    be32(i + 4) != 2)
		return -1;
	p->fanout = i + 8;
	for (k = 0; k < 256; k++) {
		uint32_t n = be32(p->fanout + 4 * k);

		if (n < prev)
			return -1;
		prev = n;
	}
	p->nr = prev;
	need = 8 + 1024 + (size_t)p->nr * (20 + 4 + 4) + 40;
	if (p->idx_len < need || (p->idx_len - need) % 8)
		return -1;
	p->ids = p->fanout + 1024;
	p->off32 = p->ids + (size_t)p->nr * 24; /* past ids and CRCs */
	p->off64 = p->off32 + (size_t)p->nr * 4;
	p->nr_off64 = (p->idx_len - need) / 8;
	if (p->data_len < 12 + 20 || memcmp(p->data, "PACK", 4) ||
	    (be32(p->data + 4) != 2 && be32(p->data + 4) != 3) ||
	    be32(p->data + 8) != p->nr)
		return -1;
	return 0;
}

static void add_pack(struct pyo_reader *r, const char *dir, const char *name)
{
	char path[4096];
	struct pack p = { 0 };
	size_t n = strlen(name);

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return;
	p.idx = map_file(path, &p.idx_len);
	memcpy(path + strlen(dir) + 1 + n - 4, ".pack", 6);
	p.data = map_file(path, &p.data_len);
	if (!p.idx || !p.data || check_pack(&p) < 0 ||
	    PYO_ARRAY_GROW(r->packs, r->nr_packs, r->alloc_packs) < 0) {
		unmap(p.idx, p.idx_len);
		unmap(p.data, p.data_len);
		return;
	}
	r->packs[r->nr_packs++] = p;
}

static void open_packs(struct pyo_reader *r, git_repository *repo)
{
	char dir[4096];
	DIR *d;
	struct dirent *de;

	if (snprintf(dir, sizeof(dir), "%sobjects/pack",
	             git_repository_path(repo)) >= (int)sizeof(dir) ||
	    !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 9 && pyo_str_startswith(de->d_name, "pack-") &&
		    !strcmp(de->d_name + n - 4, ".idx"))
			add_pack(r, dir, de->d_name);
	}
	closedir(d);
}

int pyo_reader_new(struct pyo_reader **out,
                   git_repository *repo,
                   git_odb *odb,
                   size_t cache_bytes)
{
	struct pyo_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return pyo_error_oom();
	r->odb = odb;
	r->budget = cache_bytes;
	if (inflateInit(&r->z) != Z_OK) {
		free(r);
		return pyo_error_oom();
	}
	r->z_ready = 1;
	if (repo)
		open_packs(r, repo);
	*out = r;
	return 0;
}

void pyo_reader_free(struct pyo_reader *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		pyo_obj_free(r->cache[i].obj);
	for (i = 0; i < r->nr_packs; i++) {
		unmap(r->packs[i].idx, r->packs[i].idx_len);
		unmap(r->packs[i].data, r->packs[i].data_len);
	}
	free(r->packs);
	if (r->z_ready)
		inflateEnd(&r->z);
	free(r->scratch);
	free(r);
}

void pyo_reader_counts(const struct pyo_reader *r,
                       size_t *from_packs,
                       size_t *from_odb)
{
	*from_packs = r->from_packs;
	*from_odb = r->from_odb;
}

/* ---- finding an object ------------------------------------------------ */

static int cmp_at(const struct pack *p, uint32_t i, const unsigned char *id)
{
	return memcmp(p->ids + (size_t)i * 20, id, 20);
}

static uint64_t offset_at(const struct pack *p, uint32_t i)
{
	uint32_t o = be32(p->off32 + (size_t)i * 4);

	if (!(o & 0x80000000u))
		return o;
	o &= 0x7fffffffu;
	return o < p->nr_off64 ? be64(p->off64 + (size_t)o * 8) : 0;
}

/*
 * The offset of `id` in pack `p`; 0 when absent or unreadable. Ids are
 * uniform, so the search starts where the id should be and gallops out
 * to bracket it: a few neighbouring probes where a binary search over
 * the fan-out bucket would touch a new cache line at each step.
 */
static uint64_t find_in(const struct pack *p, const unsigned char *id)
{
	uint32_t lo = id[0] ? be32(p->fanout + 4 * (id[0] - 1)) : 0;
	uint32_t hi = be32(p->fanout + 4 * id[0]);
	uint32_t at, step;
	int c;

	if (lo >= hi)
		return 0;
	at = lo + (uint32_t)(((uint64_t)(hi - lo) * be32(id + 1)) >> 32);
	if (!(c = cmp_at(p, at, id)))
		return offset_at(p, at);
	if (c < 0) { /* further on */
		for (step = 1; at + step < hi; step *= 2) {
			if (!(c = cmp_at(p, at + step, id)))
				return offset_at(p, at + step);
			if (c > 0) {
				hi = at + step;
				break;
			}
		}
		lo = at + step / 2 + 1;
	} else { /* before */
		for (step = 1; at - lo >= step; step *= 2) {
			if (!(c = cmp_at(p, at - step, id)))
				return offset_at(p, at - step);
			if (c < 0) {
				lo = at - step + 1;
				break;
			}
		}
		hi = at - step / 2;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (!(c = cmp_at(p, mid, id)))
			return offset_at(p, mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
find(struct pyo_reader *r, const git_oid *id, size_t *pack, uint64_t *off)
{
	size_t k;

	for (k = 0; k < r->nr_packs; k++) {
		size_t i = (r->last + k) % r->nr_packs;
		uint64_t o = find_in(&r->packs[i], id->id);

		/* an object sits past the 12-byte header, before the trailer */
		if (o >= 12 && o < r->packs[i].data_len - 20) {
			r->last = i;
			*pack = i;
			*off = o;
			return 1;
		}
	}
	return 0;
}

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
	if (bad || src != base->len || !(o = obj_new(base->type, dst)))
		return NULL;
	out = obj_buf(o);
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
	o = obj_new(git_odb_object_type(g), git_odb_object_size(g));
	if (o)
		memcpy(obj_buf(o), git_odb_object_data(g), o->len);
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
			if (!(o = obj_new((git_object_t)e.type, e.size)))
				goto fail;
			if (inflate_to(r, &e, obj_buf(o)) < 0)
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
			if (!find(r, &base, &pk, &off)) {
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
	if (!find(r, id, &pk, &off))
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

	if (!find(r, id, &pk, &off) || parse_entry(&r->packs[pk], off, &e) < 0)
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
			if (!find(r, &base, &pk, &off))
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
