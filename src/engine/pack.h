/*
 * pack.h: raw objects read straight from the repository's pack files.
 *
 * A history walk reads hundreds of thousands of small tree objects, and
 * in libgit2 1.5.1 each git_odb_read takes a global lock, allocates the
 * object and every delta result, and searches each pack. This reader maps
 * the .idx and .pack files itself, resolves delta chains with its own
 * cache of recent results, and returns reference-counted buffers. An
 * object that is in no pack it knows (loose, a pack it does not read)
 * comes from libgit2 instead, so the result is the same. The packs of
 * the object folders in objects/info/alternates are read too.
 * An entry it finds but cannot read (a damaged pack) is reported missing
 * rather than handed to libgit2, which crashes on some damaged packs.
 *
 * A reader belongs to one thread.
 */
#ifndef PYORGO_PACK_H
#define PYORGO_PACK_H

#include <git2.h>
#include <stddef.h>

struct pyo_obj {
	unsigned refs;
	git_object_t type;
	size_t len;
	const unsigned char *data; /* len bytes, then a NUL */
};

struct pyo_reader;

/*
 * A reader over `repo`'s packs; `odb` answers what they do not hold.
 * Recent results up to `cache_bytes` in all are kept: delta bases for the
 * next reads.
 */
int pyo_reader_new(struct pyo_reader **out,
                   git_repository *repo,
                   git_odb *odb,
                   size_t cache_bytes);
void pyo_reader_free(struct pyo_reader *r);

/* Reads object `id`: GIT_ENOTFOUND when it is missing. */
int pyo_reader_read(struct pyo_obj **out,
                    struct pyo_reader *r,
                    const git_oid *id);

/*
 * The size and type of object `id` from its pack entry, without inflating
 * it (a delta: the start of the delta, which gives the result's size).
 * GIT_ENOTFOUND when it is not in a pack this reader knows or the entry
 * cannot be read: the caller asks libgit2. `type` may be NULL (a delta's
 * type costs a walk down its chain).
 */
int pyo_reader_size(struct pyo_reader *r,
                    const git_oid *id,
                    size_t *size,
                    git_object_t *type);

/* One more reference; pyo_obj_free() drops one. */
struct pyo_obj *pyo_obj_dup(struct pyo_obj *o);
void pyo_obj_free(struct pyo_obj *o);

/* Reads through packs so far / through libgit2 (for tests and benches). */
void pyo_reader_counts(const struct pyo_reader *r,
                       size_t *from_packs,
                       size_t *from_odb);

#endif
