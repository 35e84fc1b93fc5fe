/*
 * relit.h: the literals a regular expression requires. Every match of
 * the pattern contains at least one of them, so a text that holds none
 * cannot match and the regex need not run. Used to put a literal
 * prefilter in front of the rule regexes that have none written down
 * (path rules, content rules, heuristics, detector rules without a
 * "keyword").
 *
 * The extraction reads the PCRE2 syntax the rules use and gives up
 * (no literals: always run the regex) on anything it does not know:
 * recursion, conditionals, backtracking verbs, extended mode, ...
 */
#ifndef PYORGO_RELIT_H
#define PYORGO_RELIT_H

#include <stddef.h>
#include <stdint.h>

#define RELIT_MAX_SET 256 /* more literals than this: no prefilter */

enum pyo_relit_flags {
	/* whitespace never is part of a literal: for text whose masked
	 * parts became spaces (detectors' code and strings views) */
	PYO_RELIT_NO_SPACE = 1 << 0,
	/* the literals every match starts with (not only contains): a
	 * search may then try the pattern only where one of them starts */
	PYO_RELIT_PREFIX = 1 << 1,
};

struct pyo_relit {
	char **lit;  /* nr literals, NUL-terminated, none inside another */
	size_t *len; /* their lengths */
	size_t nr;   /* 0: no literal is required, or not understood */
	int nocase;  /* the pattern ignores case somewhere: the literals
	              * are in lower case and must be searched without case */
};

/*
 * Fills `out` with the literals that `pattern` (PCRE2 syntax, compile
 * `options` such as PCRE2_CASELESS) requires. Returns 0, with out->nr
 * == 0 when no set is known, or PYO_ERROR when out of memory.
 */
int pyo_relit_extract(struct pyo_relit *out,
                      const char *pattern,
                      uint32_t options,
                      unsigned flags);

/*
 * 1 when s[0..n) holds one of the literals (without case if r->nocase),
 * by a plain search: the reference the tests check the prefilters and
 * the promise against.
 */
int pyo_relit_holds(const struct pyo_relit *r, const char *s, size_t n);

/* The shortest literal's length: how selective the set is (0 if none). */
size_t pyo_relit_min_len(const struct pyo_relit *r);

void pyo_relit_release(struct pyo_relit *r);

struct kw_automaton;

/*
 * A prefilter for the alternation of `patterns` (n of them): a set
 * (kwset.h) of the literals they require, in *out, or NULL when one
 * requires none. Release with kw_release() and free().
 */
int pyo_relit_kwset(struct kw_automaton **out,
                    const char *const *patterns,
                    size_t n,
                    uint32_t options);

#endif
