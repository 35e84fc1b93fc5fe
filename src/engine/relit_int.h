/*
 * relit_int.h: the sets of strings relit.c computes for each piece of a
 * pattern, and their operations (relit_set.c).
 */
#ifndef PYORGO_RELIT_INT_H
#define PYORGO_RELIT_INT_H

#include <stddef.h>

#define LIT_MAX 48   /* bytes of one exact string */
#define CLASS_MAX 16 /* a class of more characters is not exact */

struct lit {
	unsigned char n;
	char s[LIT_MAX];
};

struct lset {
	struct lit *v;
	size_t nr;
	int ok; /* 0: unknown (too many, too long, or not finite) */
};

struct info {
	struct lset exact, req;
	/* a repetition (x+, x{2,5}) of an exact x: the item starts with one
	 * of these strings and ends with one */
	struct lset rep;
	/* strings one of which every match of the piece starts with */
	struct lset pre;
};

struct ctx {
	const char *p, *end;
	unsigned flags;
	int nocase;
	int fail; /* syntax not understood: no literals at all */
	int oom;
};

void relit_set_free(struct lset *s);
void relit_info_free(struct info *in);
/* Adds p[0..n) unless present; past RELIT_MAX_SET the set is unknown. */
void relit_set_add(struct ctx *c, struct lset *s, const char *p, size_t n);
/* The set {""}: an empty run, or a zero-width item. */
void relit_set_empty_string(struct ctx *c, struct lset *s);
void relit_set_copy(struct ctx *c, struct lset *out, const struct lset *in);
/* out = a x b; 0 (out untouched) when the product would not fit. */
int relit_set_cross(struct ctx *c,
                    struct lset *out,
                    const struct lset *a,
                    const struct lset *b);
/* a = a | b (unknown when either is). */
void relit_set_union(struct ctx *c, struct lset *a, const struct lset *b);
/* How selective a req set is: its shortest string (0: requires nothing). */
size_t relit_score(const struct lset *s);
/* Keeps in *best the better of *best and `cand` (copied). */
void relit_take_better(struct ctx *c,
                       struct lset *best,
                       const struct lset *cand);
/* Drops the strings that contain another of the set: they add nothing. */
void relit_minimize(struct lset *s);
/* Drops the strings that start with another of the set. */
void relit_minimize_prefixes(struct lset *s);
/* The set in lower case (a case-insensitive search finds it). */
void relit_lower_all(struct ctx *c, struct lset *s);

#endif
