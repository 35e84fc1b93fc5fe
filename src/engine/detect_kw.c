/*
 * detect_kw.c: the detectors' keyword prefilter (a kwset.h set), built
 * once the rules are loaded. A rule's keywords are its "keyword" field
 * or, without one, the literals its regex requires (relit.h): a file
 * that holds none of them is never searched by that rule.
 */
#include <stdlib.h>
#include <string.h>

#include "detect_rules.h"
#include "relit.h"
#include "strutil.h"
#include "banned.h"

/* Shorter derived literals pass too often to be worth a prefilter. */
#define DERIVED_MIN_LEN 3

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

/*
 * The literals of the rule's regex, when they say more than its written
 * keywords: each holds one of them ("http.ListenAndServe" for "http."),
 * so a file or a place without a written keyword has none of them either,
 * and the regex runs next to fewer places: on the bench repository the
 * written "http." sent 300,000 places to two Go rules that matched at 3%
 * of them. Leaves `lits` empty when the written keywords stay.
 */
static int refine_written(struct pyo_relit *lits, const struct drule *r)
{
	int error;

	if (r->scope > DS_RAW || !r->regex)
		return 0;
	if ((error = pyo_relit_extract(lits, r->regex, 0, PYO_RELIT_NO_SPACE)) <
	    0)
		return error;
	if (lits->nr && !lits->nocase && lits->nr <= KW_MAX_PER_RULE &&
	    pyo_relit_min_len(lits) >= DERIVED_MIN_LEN &&
	    each_holds_written(lits, r->keyword))
		return 0;
	pyo_relit_release(lits);
	lits->nr = 0;
	return 0;
}

/* The written keywords ("a|b|c"), or the literals that refine them;
 * windowed when few and long enough. */
static int add_written(struct kw_automaton *ac, struct drule *r)
{
	const char *kw = r->keyword;
	struct pyo_relit lits = { 0 };
	size_t n = 0, i;
	int error;

	if ((error = refine_written(&lits, r)) < 0)
		return error;
	if (lits.nr) {
		r->kw_ids = calloc(lits.nr, sizeof(*r->kw_ids));
		r->windowed = 1;
		for (i = 0; r->kw_ids && i < lits.nr; i++) {
			int id = kw_add(ac, lits.lit[i], lits.len[i], 1);

			if (id < 0) {
				error = id;
				break;
			}
			r->kw_ids[r->nr_kw++] = id;
		}
		r->refined_kw = 1;
		pyo_relit_release(&lits);
		return error < 0 ? error : r->kw_ids ? 0 : pyo_error_oom();
	}
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

/*
 * The literals of a rule without keywords. Its regex then runs over the
 * whole file, as before, but only in files that hold one of them. Whites
 * are left out of the literals: the code and strings views replace what
 * they mask by spaces, so a space there may not be in the file.
 */
static int add_derived(struct kw_automaton *ac, struct drule *r)
{
	struct pyo_relit lits;
	size_t i;
	int error;

	if (r->scope > DS_RAW || !r->regex)
		return 0;
	if ((error = pyo_relit_extract(&lits, r->regex, 0,
	                               PYO_RELIT_NO_SPACE)) < 0)
		return error;
	if (!lits.nr || lits.nocase ||
	    pyo_relit_min_len(&lits) < DERIVED_MIN_LEN)
		goto done;
	if (!(r->kw_ids = calloc(lits.nr, sizeof(*r->kw_ids)))) {
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < lits.nr; i++) {
		int id = kw_add(ac, lits.lit[i], lits.len[i], 0);

		if (id < 0) {
			/* too many keywords in all: this rule goes without */
			error = id == PYO_ERULES ? 0 : id;
			free(r->kw_ids);
			r->kw_ids = NULL;
			r->nr_kw = 0;
			goto done;
		}
		r->kw_ids[r->nr_kw++] = id;
	}
	r->derived_kw = 1;
done:
	pyo_relit_release(&lits);
	return error;
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

		if ((error = r->keyword ? add_written(&dr->keywords, r)
		                        : add_derived(&dr->keywords, r)) < 0)
			return error;
	}
	for (i = 0; i < DL_SLOTS; i++)
		if ((error = build_slot(dr, (unsigned)i)) < 0)
			return error;
	return 0;
}
