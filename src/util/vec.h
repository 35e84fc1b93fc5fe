/* vec.h: a growable array of pointers, and typed-array growth helpers. */
#ifndef PYORGO_VEC_H
#define PYORGO_VEC_H

#include <stddef.h>

struct pyo_vec {
	void **items;
	size_t nr, alloc;
};

int pyo_vec_push(struct pyo_vec *v, void *item);
/* Frees the array (not the items); `v` is empty and reusable. */
void pyo_vec_release(struct pyo_vec *v);
/* Frees each item with `free_fn`, then the array. */
void pyo_vec_clear(struct pyo_vec *v, void (*free_fn)(void *));

#define pyo_vec_foreach(v, i, item) \
	for ((i) = 0; (i) < (v)->nr && (((item) = (v)->items[(i)]), 1); (i)++)

/*
 * Makes room for one more element in a typed array `*items` of `*alloc`
 * elements of `size` bytes, holding `nr`. Returns 0 or PYO_ERROR.
 */
int pyo_array_grow(void **items, size_t *alloc, size_t nr, size_t size);

#define PYO_ARRAY_GROW(arr, nr, alloc)                                    \
	((nr) < (alloc) ? 0                                               \
	                : pyo_array_grow((void **)&(arr), &(alloc), (nr), \
	                                 sizeof(*(arr))))

/*
 * pyo_array_grow() without zeroing the new room: for arrays whose every
 * element is written whole when added. A large array's new pages then
 * fault in as they are used, not all at once (half of them never were).
 */
int pyo_array_grow_unzeroed(void **items,
                            size_t *alloc,
                            size_t nr,
                            size_t size);

#define PYO_ARRAY_GROW_UNZEROED(arr, nr, alloc)                              \
	((nr) < (alloc) ? 0                                                  \
	                : pyo_array_grow_unzeroed((void **)&(arr), &(alloc), \
	                                          (nr), sizeof(*(arr))))

/* qsort() that accepts an empty or NULL array (qsort's own is UB). */
void pyo_qsort(void *base,
               size_t nr,
               size_t size,
               int (*cmp)(const void *, const void *));

#endif
