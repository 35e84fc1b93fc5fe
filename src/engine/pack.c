/*
 * pack.c: the pack reader's objects, its packs (version 2 index, version
 * 2 or 3 pack, mapped read-only and checked before use) and the search of
 * an object id in their indexes. Reading an entry is in pack_read.c.
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
#include "pack_int.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

/* ---- objects ------------------------------------------------------------ */

struct pyo_obj *pack_obj_new(git_object_t type, size_t len)
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

unsigned char *pack_obj_buf(struct pyo_obj *o)
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

void pack_trim(struct pyo_reader *r)
{
	size_t i;

	for (i = 0; i < r->nr_packs; i++)
		(void)madvise((void *)(uintptr_t)r->packs[i].data,
		              r->packs[i].data_len, MADV_DONTNEED);
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

	/* room for ".pack" in place of ".idx" too */
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) + 1 >=
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

/* The packs of object folder `objects` (its pack/ folder). */
static void open_pack_dir(struct pyo_reader *r, const char *objects)
{
	char dir[4096];
	DIR *d;
	struct dirent *de;

	if (snprintf(dir, sizeof(dir), "%s/pack", objects) >=
	            (int)sizeof(dir) ||
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

/*
 * The repository's packs, then those of the object folders its
 * objects/info/alternates names (`clone --shared` or `--reference`, as CI
 * caches do): one level, relative paths from the objects folder.
 */
static void open_packs(struct pyo_reader *r, git_repository *repo)
{
	char objects[4096], path[4096], line[4096];
	FILE *f;

	if (snprintf(objects, sizeof(objects), "%sobjects",
	             git_repository_path(repo)) >= (int)sizeof(objects))
		return;
	open_pack_dir(r, objects);
	if (snprintf(path, sizeof(path), "%s/info/alternates", objects) >=
	            (int)sizeof(path) ||
	    !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (line[0] == '/')
			open_pack_dir(r, line);
		else if (snprintf(path, sizeof(path), "%s/%s", objects, line) <
		         (int)sizeof(path))
			open_pack_dir(r, path);
	}
	fclose(f);
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

int pack_find(struct pyo_reader *r,
              const git_oid *id,
              size_t *pack,
              uint64_t *off)
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
