#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "strmap.h"
#include "banned.h"

uint64_t pyo_hash(const void *data, size_t len)
{
	/* FNV-1a: short keys (paths, names), no adversarial collisions matter
	 */
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct pyo_strmap_entry *
find(const struct pyo_strmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct pyo_strmap_entry *e = &m->slots[i];

		if (!e->key || (e->hash == h && e->keylen == len &&
		                !memcmp(e->key, key, len)))
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

static int rehash(struct pyo_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct pyo_strmap old = *m;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return pyo_error_oom();
	}
	m->cap = cap;
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].keylen,
			      old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

void *pyo_strmap_get(const struct pyo_strmap *m, const char *key, size_t len)
{
	struct pyo_strmap_entry *e;

	if (!m->cap)
		return NULL;
	e = find(m, key, len, pyo_hash(key, len));
	return e->key ? e->value : NULL;
}

struct pyo_strmap_entry *
pyo_strmap_slot(struct pyo_strmap *m, const char *key, size_t len)
{
	struct pyo_strmap_entry *e;
	uint64_t h = pyo_hash(key, len);

	if ((m->nr + 1) * 4 > m->cap * 3 && rehash(m) < 0)
		return NULL;
	e = find(m, key, len, h);
	if (e->key)
		return e;
	e->key = malloc(len + 1);
	if (!e->key) {
		pyo_error_oom();
		return NULL;
	}
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->keylen = len;
	e->hash = h;
	e->value = NULL;
	m->nr++;
	return e;
}

int pyo_strmap_put(struct pyo_strmap *m,
                   const char *key,
                   size_t len,
                   void *value)
{
	struct pyo_strmap_entry *e = pyo_strmap_slot(m, key, len);

	if (!e)
		return PYO_ERROR;
	e->value = value;
	return 0;
}

void pyo_strmap_clear(struct pyo_strmap *m, void (*free_fn)(void *))
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		if (free_fn)
			free_fn(m->slots[i].value);
	}
	free(m->slots);
	m->slots = NULL;
	m->nr = m->cap = 0;
}
