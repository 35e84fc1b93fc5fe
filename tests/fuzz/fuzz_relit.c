/*
 * fuzz_relit: the literal reader (relit.c) on arbitrary patterns. For
 * every input PCRE2 compiles, the reader must not crash, and its promise
 * must hold on the texts at hand: the input itself, and the input with
 * each literal found spliced in, whenever the regex matches them, hold
 * one of the literals (without case when the pattern ignores it); the
 * prefilter built from them (kwset) must say so too. The literals a match
 * starts with (PYO_RELIT_PREFIX) must start the match (no \K: it moves
 * the reported start).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#	define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "kwset.h"
#include "relit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One of `r`'s literals starts s[0..n) (folded as r->nocase says). */
static int starts_with_one(const struct pyo_relit *r, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < r->nr; i++) {
		for (k = 0; k < r->len[i] && k < n; k++) {
			char c = s[k];

			if (r->nocase && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (c != r->lit[i][k])
				break;
		}
		if (k == r->len[i])
			return 1;
	}
	return 0;
}

static void check(pcre2_code *re,
                  pcre2_match_data *md,
                  const struct pyo_relit *r,
                  int prefix,
                  const struct kw_automaton *ac,
                  const char *s,
                  size_t n)
{
	PCRE2_SIZE at;

	if (pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 0)
		return;
	if (r->nr && !pyo_relit_holds(r, s, n))
		abort();
	at = pcre2_get_ovector_pointer(md)[0];
	if (prefix && r->nr && at <= n && !starts_with_one(r, s + at, n - at))
		abort();
	if (ac && !kw_any(ac, s, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pat = malloc(size + 1);
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE off;
	int err;
	unsigned flags;

	if (!pat)
		return 0;
	memcpy(pat, data, size);
	pat[size] = '\0';
	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	                   PCRE2_MULTILINE, &err, &off, NULL);
	if (!re) {
		free(pat);
		return 0;
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (flags = 0; md && flags < 3; flags++) {
		struct pyo_relit r;
		struct kw_automaton *ac = NULL;
		const char *const one[] = { pat };
		/* 0: contained; 1: without spaces; 2: starts, without spaces */
		int prefix = flags == 2 && !strstr(pat, "\\K");
		size_t i;

		if (pyo_relit_extract(
		            &r, pat, 0,
		            flags ? PYO_RELIT_NO_SPACE |
		                            (flags == 2 ? PYO_RELIT_PREFIX : 0)
		                  : 0) < 0)
			break;
		if (!flags && pyo_relit_kwset(&ac, one, 1, 0) < 0)
			ac = NULL;
		check(re, md, &r, prefix, ac, pat, size);
		for (i = 0; i < r.nr && i < 8; i++) {
			size_t n = size + r.len[i];
			char *s = malloc(n + 1);

			if (!s)
				break;
			memcpy(s, r.lit[i], r.len[i]);
			memcpy(s + r.len[i], pat, size);
			check(re, md, &r, prefix, ac, s, n);
			free(s);
		}
		if (ac) {
			kw_release(ac);
			free(ac);
		}
		pyo_relit_release(&r);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	free(pat);
	return 0;
}
