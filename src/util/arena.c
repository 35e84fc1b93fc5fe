/* arena.c: see arena.h. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "banned.h"

#define ARENA_BLOCK (64 * 1024)

struct pyo_arena_block {
	struct pyo_arena_block *next;
	char data[];
};

void *pyo_arena_alloc(struct pyo_arena *a, size_t n)
{
	struct pyo_arena_block *b;
	size_t size;
	char *p;

	if (n <= a->left) {
		p = a->at;
		a->at += n;
		a->left -= n;
		return p;
	}
	/* a request larger than a block gets a block of its own, behind
	 * the newest: the newest keeps its room */
	size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
	if (!(b = malloc(sizeof(*b) + size)))
		return NULL;
	if (size == n && a->blocks) {
		b->next = a->blocks->next;
		a->blocks->next = b;
		return b->data;
	}
	b->next = a->blocks;
	a->blocks = b;
	a->at = b->data + n;
	a->left = size - n;
	return b->data;
}

void pyo_arena_move(struct pyo_arena *to, struct pyo_arena *from)
{
	struct pyo_arena_block *last = from->blocks;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* `to` keeps allocating in its own newest block */
	if (to->blocks) {
		last->next = to->blocks->next;
		to->blocks->next = from->blocks;
	} else {
		last->next = NULL;
		*to = *from;
	}
	memset(from, 0, sizeof(*from));
}

void pyo_arena_release(struct pyo_arena *a)
{
	while (a->blocks) {
		struct pyo_arena_block *b = a->blocks;

		a->blocks = b->next;
		free(b);
	}
	memset(a, 0, sizeof(*a));
}
