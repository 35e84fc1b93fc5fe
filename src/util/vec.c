#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "vec.h"
#include "banned.h"

int pyo_array_grow_unzeroed(void **items, size_t *alloc, size_t nr, size_t size)
{
	size_t n;
	void *p;

	if (nr < *alloc)
		return 0;
	n = *alloc ? *alloc * 2 : 8;
	if (n > SIZE_MAX / size)
		return pyo_error_oom();
	p = realloc(*items, n * size);
	if (!p)
		return pyo_error_oom();
	*items = p;
	*alloc = n;
	return 0;
}

int pyo_array_grow(void **items, size_t *alloc, size_t nr, size_t size)
{
	size_t old = *alloc;

	if (nr < *alloc)
		return 0;
	if (pyo_array_grow_unzeroed(items, alloc, nr, size) < 0)
		return PYO_ERROR;
	memset((char *)*items + old * size, 0, (*alloc - old) * size);
	return 0;
}

int pyo_vec_push(struct pyo_vec *v, void *item)
{
	if (PYO_ARRAY_GROW(v->items, v->nr, v->alloc) < 0)
		return PYO_ERROR;
	v->items[v->nr++] = item;
	return 0;
}

void pyo_vec_release(struct pyo_vec *v)
{
	if (!v)
		return;
	free(v->items);
	v->items = NULL;
	v->nr = v->alloc = 0;
}

void pyo_vec_clear(struct pyo_vec *v, void (*free_fn)(void *))
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nr; i++)
		free_fn(v->items[i]);
	pyo_vec_release(v);
}

void pyo_qsort(void *base,
               size_t nr,
               size_t size,
               int (*cmp)(const void *, const void *))
{
	if (base && nr > 1)
		qsort(base, nr, size, cmp);
}
