/*
 * detect_kw.c: the detectors' keyword prefilter (a kwset.h set), built
 * once the rules are loaded. A rule's keywords are the literals its
 * regex starts with or requires (relit.h), or its "keyword" field when
 * those say no more: a file that holds none of them is never searched
 * by that rule, and a file that does only next to them.
 */
#include <stdlib.h>
#include <string.h>

#include "detect_rules.h"
#include "relit.h"
#include "strutil.h"
#include "banned.h"

/* Shorter derived literals pass too often to be worth a prefilter. */
#define DERIVED_MIN_LEN 3

/* The literals a match holds are searched for instead of those it starts
 * with when their shortest is this much longer: "migrations.Migration"
 * rather than "class" (57,000 places on the bench repository, none a
 * migration). */
#define PREFIX_SLACK 4

/* Each of `lits` holds one of the written keywords ("a|b|c"). */
static int each_holds_written(const struct pyo_relit *lits, const char *kw)
{
	size_t i;

	for (i = 0; i < lits->nr; i++) {
		const char *k = kw;
		int held = 0;

		while (!held) {
			const char *e = strchr(k, '|');
			size_t n = e ? (size_t)(e - k) : strlen(k);

			held = n &&
			       pyo_memmem(lits->lit[i], lits->len[i], k, n);
			if (!e)
				break;
			k = e + 1;
		}
		if (!held)
			return 0;
	}
	return 1;
}

/* A set of literals a prefilter can use for the rule's keywords. */
static int usable(const struct pyo_relit *lits, const struct drule *r)
{
	return lits->nr && !lits->nocase && lits->nr <= KW_MAX_PER_RULE &&
	       pyo_relit_min_len(lits) >= DERIVED_MIN_LEN &&
	       (!r->keyword || each_holds_written(lits, r->keyword));
}

/*
 * The literals the rule's regex is searched by, in place of or without
 * written keywords (relit.h); leaves `lits` empty when there are none
 * (or, with written keywords, none that say more than they do).
 * - Every match starts with one of them (PYO_RELIT_PREFIX): the regex is
 *   tried only where one starts, anchored there (r->anchored). A match
 *   then never starts before its keyword's line either. Unless the
 *   literals every match holds are much longer (PREFIX_SLACK).
 * - Every match holds one of them: each holds a written keyword
 *   ("http.ListenAndServe" for "http."), so the regex runs next to fewer
 *   places than the written ones give (on the bench repository "http."
 *   gave 300,000 places to two Go rules that matched at 3% of them). A
 *   rule without written keywords runs over the whole of a file that
 *   holds one.
 * Whites are left out of the literals: the code and strings views
 * replace what they mask by spaces, so a space there may not be in the
 * file.
 */
static int rule_literals(struct pyo_relit *lits, struct drule *r)
{
	struct pyo_relit starts;
	int error;

	memset(lits, 0, sizeof(*lits));
	if (r->scope > DS_RAW || !r->regex)
		return 0;
	if ((error = pyo_relit_extract(&starts, r->regex, 0,
	                               PYO_RELIT_NO_SPACE | PYO_RELIT_PREFIX)) <
	    0)
		return error;
	if ((error = pyo_relit_extract(lits, r->regex, 0, PYO_RELIT_NO_SPACE)) <
	    0) {
		pyo_relit_release(&starts);
		return error;
	}
	if (usable(&starts, r) &&
	    !(usable(lits, r) &&
	      pyo_relit_min_len(lits) >=
	              pyo_relit_min_len(&starts) + PREFIX_SLACK)) {
		pyo_relit_release(lits);
		*lits = starts;
		r->anchored = 1;
		return 0;
	}
	pyo_relit_release(&starts);
	if (usable(lits, r) || (!r->keyword && lits->nr && !lits->nocase &&
	                        pyo_relit_min_len(lits) >= DERIVED_MIN_LEN))
		return 0;
	pyo_relit_release(lits);
	lits->nr = 0;
	return 0;
}

/* The literals of the rule's regex as its keywords (rule_literals()). */
static int add_literals(struct kw_automaton *ac,
                        struct drule *r,
                        const struct pyo_relit *lits)
{
	size_t i;

	if (!(r->kw_ids = calloc(lits->nr, sizeof(*r->kw_ids))))
		return pyo_error_oom();
	/* windowed: written ones refined, or every match starts with one */
	r->windowed = r->keyword || r->anchored;
	for (i = 0; i < lits->nr; i++) {
		int id = kw_add(ac, lits->lit[i], lits->len[i], r->windowed);

		if (id < 0) {
			free(r->kw_ids);
			r->kw_ids = NULL;
			r->nr_kw = 0;
			r->windowed = r->anchored = 0;
			return id;
		}
		r->kw_ids[r->nr_kw++] = id;
	}
	if (r->keyword)
		r->refined_kw = 1;
	else
		r->derived_kw = 1;
	return 0;
}

/* The written keywords ("a|b|c"); windowed when few and long enough. */
static int add_written(struct kw_automaton *ac, struct drule *r)
{
	const char *kw = r->keyword;
	size_t n = 0;

	for (const char *p = kw; *p; p++)
		n += *p == '|';
	r->kw_ids = calloc(n + 1, sizeof(*r->kw_ids));
	if (!r->kw_ids)
		return pyo_error_oom();
	r->windowed = n + 1 <= KW_MAX_PER_RULE;
	while (*kw) {
		const char *e = strchr(kw, '|');
		size_t len = e ? (size_t)(e - kw) : strlen(kw);

		if (len) {
			int id = kw_add(ac, kw, len, r->windowed);

			if (id < 0)
				return id;
			r->kw_ids[r->nr_kw++] = id;
			r->windowed &= len >= 2;
		}
		if (!e)
			break;
		kw = e + 1;
	}
	return 0;
}

/* A rule's keywords: its regex's literals, or its written ones. */
static int add_keywords(struct kw_automaton *ac, struct drule *r)
{
	struct pyo_relit lits;
	int error;

	if ((error = rule_literals(&lits, r)) < 0)
		return error;
	if (lits.nr) {
		error = add_literals(ac, r, &lits);
		pyo_relit_release(&lits);
		/* too many keywords in all: a rule without written ones
		 * goes without a prefilter */
		if (error == PYO_ERULES && !r->keyword)
			return 0;
		return error;
	}
	return r->keyword ? add_written(ac, r) : 0;
}

/* The prefilter of one file language (the keywords of its rules), and
 * the list of its regex rules. */
static int build_slot(struct pyo_detect_rules *dr, unsigned slot)
{
	struct kw_automaton *ac = &dr->by_lang[slot];
	const struct kw_automaton *all = &dr->keywords;
	size_t i, k;
	int error;

	if (!(dr->slot_rules[slot] = calloc(dr->nr + 1, sizeof(int))))
		return pyo_error_oom();
	for (i = 0; i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];

		if (!(r->langs & (slot < DL_SLOTS - 1 ? 1u << slot : DL_OTHER)))
			continue;
		dr->slot_used[slot] = 1;
		if (r->scope <= DS_RAW)
			dr->slot_rules[slot][dr->nr_slot_rules[slot]++] =
			        (int)i;
		for (k = 0; k < r->nr_kw; k++) {
			int id = r->kw_ids[k];

			if ((error = kw_add_as(ac, all->text[id], all->len[id],
			                       all->track[id], (uint16_t)id)) <
			    0)
				return error;
		}
	}
	return kw_build(ac);
}

int detect_build_keywords(struct pyo_detect_rules *dr)
{
	size_t i;
	int error;

	for (i = 0; i < dr->nr; i++) {
		struct drule *r = dr->rules[i];

		if ((error = add_keywords(&dr->keywords, r)) < 0)
			return error;
	}
	for (i = 0; i < DL_SLOTS; i++)
		if ((error = build_slot(dr, (unsigned)i)) < 0)
			return error;
	return 0;
}
