/*
 * arena.h: memory handed out from large blocks and freed all at once: for
 * many small strings that live and die together (a scan's findings).
 */
#ifndef PYORGO_ARENA_H
#define PYORGO_ARENA_H

#include <stddef.h>

struct pyo_arena_block;

struct pyo_arena {
	struct pyo_arena_block *blocks; /* the newest first */
	char *at;                       /* free room in the newest */
	size_t left;
};

/* `n` bytes (no alignment: for strings), or NULL on OOM. */
void *pyo_arena_alloc(struct pyo_arena *a, size_t n);
/* Moves every block of `from` to `to`; `from` is empty after. */
void pyo_arena_move(struct pyo_arena *to, struct pyo_arena *from);
/* Frees every block; `a` is empty and reusable. */
void pyo_arena_release(struct pyo_arena *a);

#endif
