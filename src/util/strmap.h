/* strmap.h: a hash map from strings (copied) to pointers (borrowed). */
#ifndef PYORGO_STRMAP_H
#define PYORGO_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct pyo_strmap_entry {
	char *key; /* owned; NULL marks a free slot */
	size_t keylen;
	uint64_t hash;
	void *value;
};

struct pyo_strmap {
	struct pyo_strmap_entry *slots;
	size_t nr, cap;
};

uint64_t pyo_hash(const void *data, size_t len);
/* Value for `key`, or NULL. */
void *pyo_strmap_get(const struct pyo_strmap *m, const char *key, size_t len);
/* Slot for `key`, inserted with value NULL when new; NULL on OOM. */
struct pyo_strmap_entry *
pyo_strmap_slot(struct pyo_strmap *m, const char *key, size_t len);
int pyo_strmap_put(struct pyo_strmap *m,
                   const char *key,
                   size_t len,
                   void *value);
/* Frees keys and slots, and values with `free_fn` when not NULL. */
void pyo_strmap_clear(struct pyo_strmap *m, void (*free_fn)(void *));

#define pyo_strmap_foreach(m, i, e)          \
	for ((i) = 0; (i) < (m)->cap; (i)++) \
		if (((e) = &(m)->slots[(i)])->key)

#endif
