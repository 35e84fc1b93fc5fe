/*
 * relit_set.c: small sets of short strings, as relit.c multiplies,
 * unites and compares them (relit_int.h), and what becomes of the
 * result: a set of literals, and a prefilter (kwset.h) made of them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "relit.h"
#include "relit_int.h"
#include "kwset.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "banned.h"

void relit_set_free(struct lset *s)
{
	free(s->v);
	s->v = NULL;
	s->nr = 0;
	s->ok = 0;
}

void relit_info_free(struct info *in)
{
	relit_set_free(&in->exact);
	relit_set_free(&in->req);
	relit_set_free(&in->rep);
	relit_set_free(&in->pre);
}

static int relit_set_has(const struct lset *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (s->v[i].n == n && !memcmp(s->v[i].s, p, n))
			return 1;
	return 0;
}

/* Adds p[0..n) unless present; past RELIT_MAX_SET the set is unknown. */
void relit_set_add(struct ctx *c, struct lset *s, const char *p, size_t n)
{
	if (!s->ok || relit_set_has(s, p, n))
		return;
	if (s->nr == RELIT_MAX_SET || n > LIT_MAX) {
		relit_set_free(s);
		return;
	}
	if (!s->v && !(s->v = malloc(RELIT_MAX_SET * sizeof(*s->v)))) {
		c->oom = 1;
		relit_set_free(s);
		return;
	}
	s->v[s->nr].n = (unsigned char)n;
	memcpy(s->v[s->nr].s, p, n);
	s->nr++;
}

/* The set {""}: an empty run, or a zero-width item. */
void relit_set_empty_string(struct ctx *c, struct lset *s)
{
	s->ok = 1;
	relit_set_add(c, s, "", 0);
}

void relit_set_copy(struct ctx *c, struct lset *out, const struct lset *in)
{
	size_t i;

	relit_set_free(out);
	if (!in->ok)
		return;
	out->ok = 1;
	for (i = 0; i < in->nr; i++)
		relit_set_add(c, out, in->v[i].s, in->v[i].n);
}

/* out = a x b; 0 (out untouched) when the product would not fit. */
int relit_set_cross(struct ctx *c,
                    struct lset *out,
                    const struct lset *a,
                    const struct lset *b)
{
	struct lset r = { NULL, 0, 1 };
	size_t i, j;

	if (!a->ok || !b->ok || a->nr * b->nr > RELIT_MAX_SET)
		return 0;
	for (i = 0; i < a->nr; i++)
		for (j = 0; j < b->nr; j++)
			if (a->v[i].n + b->v[j].n > LIT_MAX)
				return 0;
	for (i = 0; i < a->nr && r.ok; i++)
		for (j = 0; j < b->nr && r.ok; j++) {
			char buf[2 * LIT_MAX];

			memcpy(buf, a->v[i].s, a->v[i].n);
			memcpy(buf + a->v[i].n, b->v[j].s, b->v[j].n);
			relit_set_add(c, &r, buf,
			              (size_t)a->v[i].n + b->v[j].n);
		}
	if (!r.ok)
		return 0;
	relit_set_free(out);
	*out = r;
	return 1;
}

/* a = a | b (unknown when either is). */
void relit_set_union(struct ctx *c, struct lset *a, const struct lset *b)
{
	size_t i;

	if (!b->ok) {
		relit_set_free(a);
		return;
	}
	for (i = 0; i < b->nr && a->ok; i++)
		relit_set_add(c, a, b->v[i].s, b->v[i].n);
}

/* How selective a req set is: its shortest string (0: requires nothing). */
size_t relit_score(const struct lset *s)
{
	size_t i, m = (size_t)-1;

	if (!s->ok || !s->nr)
		return 0;
	for (i = 0; i < s->nr; i++)
		if (s->v[i].n < m)
			m = s->v[i].n;
	return m;
}

/* Keeps in *best the better of *best and `cand` (copied). */
void relit_take_better(struct ctx *c,
                       struct lset *best,
                       const struct lset *cand)
{
	size_t a = relit_score(best), b = relit_score(cand);

	if (b > a || (b && b == a && cand->nr < best->nr))
		relit_set_copy(c, best, cand);
}

/* Drops the strings that hold another of the set (with `prefix`, that
 * start with one): they add nothing. */
static void minimize(struct lset *s, int prefix)
{
	size_t i, j, k = 0;

	for (i = 0; i < s->nr; i++) {
		int redundant = 0;

		for (j = 0; j < s->nr && !redundant; j++)
			redundant = j != i && s->v[j].n <= s->v[i].n &&
			            (s->v[j].n < s->v[i].n || j < i) &&
			            (prefix ? !memcmp(s->v[i].s, s->v[j].s,
			                              s->v[j].n)
			                    : pyo_memmem(s->v[i].s, s->v[i].n,
			                                 s->v[j].s,
			                                 s->v[j].n) != NULL);
		if (!redundant)
			s->v[k++] = s->v[i];
	}
	s->nr = k;
}

void relit_minimize(struct lset *s)
{
	minimize(s, 0);
}

void relit_minimize_prefixes(struct lset *s)
{
	minimize(s, 1);
}

void relit_lower_all(struct ctx *c, struct lset *s)
{
	struct lset r = { NULL, 0, 1 };
	size_t i, j;

	for (i = 0; i < s->nr; i++) {
		char buf[LIT_MAX];

		for (j = 0; j < s->v[i].n; j++)
			buf[j] = (char)tolower((unsigned char)s->v[i].s[j]);
		relit_set_add(c, &r, buf, s->v[i].n);
	}
	relit_set_free(s);
	*s = r;
}

int pyo_relit_holds(const struct pyo_relit *r, const char *s, size_t n)
{
	size_t i, k, j;

	for (i = 0; i < r->nr; i++)
		for (k = 0; k + r->len[i] <= n; k++) {
			for (j = 0; j < r->len[i]; j++) {
				unsigned char c = (unsigned char)s[k + j];

				if (r->nocase && c >= 'A' && c <= 'Z')
					c = (unsigned char)(c + 32);
				if (c != (unsigned char)r->lit[i][j])
					break;
			}
			if (j == r->len[i])
				return 1;
		}
	return 0;
}

size_t pyo_relit_min_len(const struct pyo_relit *r)
{
	size_t i, m = 0;

	for (i = 0; r && i < r->nr; i++)
		if (!i || r->len[i] < m)
			m = r->len[i];
	return m;
}

void pyo_relit_release(struct pyo_relit *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nr; i++)
		free(r->lit[i]);
	free(r->lit);
	free(r->len);
	memset(r, 0, sizeof(*r));
}

int pyo_relit_kwset(struct kw_automaton **out,
                    const char *const *patterns,
                    size_t n,
                    uint32_t options)
{
	struct kw_automaton *ac = NULL;
	struct pyo_relit *r = calloc(n ? n : 1, sizeof(*r));
	size_t i, k;
	int error = 0, nocase = 0;

	*out = NULL;
	if (!r)
		return pyo_error_oom();
	for (i = 0; i < n; i++) {
		if ((error = pyo_relit_extract(&r[i], patterns[i], options,
		                               0)) < 0 ||
		    !r[i].nr)
			goto done;
		nocase |= r[i].nocase;
	}
	if (!n || !(ac = calloc(1, sizeof(*ac)))) {
		error = n ? pyo_error_oom() : 0;
		goto done;
	}
	if (nocase)
		kw_ignore_case(ac);
	for (i = 0; i < n; i++)
		for (k = 0; k < r[i].nr; k++)
			if ((error = kw_add(ac, r[i].lit[k], r[i].len[k], 0)) <
			    0)
				goto done;
	if ((error = kw_build(ac)) < 0)
		goto done;
	*out = ac;
	ac = NULL;
	error = 0;
done:
	if (ac) {
		kw_release(ac);
		free(ac);
	}
	for (i = 0; i < n; i++)
		pyo_relit_release(&r[i]);
	free(r);
	/* more literals than a set holds: no prefilter, not a broken rule */
	return error == PYO_ERULES ? 0 : error;
}
