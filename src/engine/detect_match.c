/*
 * detect_match.c: regex rules over one file. A rule with keywords runs
 * only next to them (the prefilter's hits, detect_kw.c), with an offset
 * limit so that a match starts no later than its keyword; without the
 * hits, over the whole file. One finding per line, at most MAX_PER_RULE.
 */
#include <stdint.h>
#include <string.h>

#include "detect_int.h"
#include "strutil.h"

#include "banned.h"

static int is_limit_error(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* Any of the '|'-separated literals of `kw` occurs in `s`. */
static int has_keyword(const char *s, size_t len, const char *kw)
{
	while (*kw) {
		const char *e = strchr(kw, '|');
		size_t n = e ? (size_t)(e - kw) : strlen(kw);

		if (n && pyo_memmem(s, len, kw, n))
			return 1;
		if (!e)
			break;
		kw = e + 1;
	}
	return 0;
}

/*
 * Takes the match in the match data: a finding on its line unless the
 * last one was there. Sets *next to where to look next: past the line,
 * one finding per line is enough.
 */
static int take_match(struct ctx *c,
                      const struct drule *r,
                      const char *subj,
                      size_t len,
                      size_t *last_line,
                      size_t *count,
                      size_t *next)
{
	struct pyo_detector *d = c->d;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md), at = ov[0], off;
	size_t li;

	/* \K can put the start after the end: take the end then. */
	if (at > ov[1])
		at = ov[1];
	while (at < ov[1] && (subj[at] == ' ' || subj[at] == '\t' ||
	                      subj[at] == '\n' || subj[at] == '\r'))
		at++;
	if (at >= len && len)
		at = len - 1;
	li = detect_line_of(d, at);
	if (li != *last_line) {
		int error =
		        detect_add_finding(c, r, at, NULL, PYO_WHERE_PATTERN);

		if (error < 0)
			return error;
		*last_line = li;
		(*count)++;
	}
	off = li + 1 < d->nr_lines ? d->lines[li + 1] : len + 1;
	if (off <= ov[0])
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	*next = off;
	return 0;
}

enum { NO_MATCH, MATCHED, STOPPED };

/* MATCHED, NO_MATCH, or STOPPED (at a limit, warned). */
static int match_at(struct ctx *c,
                    const struct drule *r,
                    const char *subj,
                    size_t len,
                    size_t off)
{
	int rc = drule_match(r, subj, len, off, c->d->md, c->d->mc);
	char msg[128];

	if (rc >= 0)
		return MATCHED;
	if (rc == PCRE2_ERROR_NOMATCH)
		return NO_MATCH;
	pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof(msg));
	detect_warnf(c, "%s: rule '%s' stopped: %s%s", c->path, r->id, msg,
	             is_limit_error(rc)
	                     ? " (rest of file skipped for this rule)"
	                     : "");
	return STOPPED;
}

/*
 * The rule's regex next to its keywords only: for each hit, in file
 * order, a match that starts between the line before the hit and the
 * hit itself (the match offset limit). A match holds one of its rule's
 * keywords (the prefilter rests on that), so only a match that starts
 * more than a line before its keyword is not looked for. When every
 * match starts with a keyword (r->anchored), a match is tried at the
 * hit only (start and limit there: PCRE2_ANCHORED would leave the JIT
 * code); the leftmost match starts at the first hit where one does.
 */
static int
run_windows(struct ctx *c, const struct drule *r, const char *subj, size_t len)
{
	struct pyo_detector *d = c->d;
	uint32_t cur[KW_MAX_PER_RULE];
	size_t k, off = 0, last_line = (size_t)-1, count = 0;
	int error = 0;

	for (k = 0; k < r->nr_kw; k++)
		cur[k] = d->hits.first[r->kw_ids[k]];
	while (count < MAX_PER_RULE) {
		size_t at = (size_t)-1, kb = 0, li, from;

		for (k = 0; k < r->nr_kw; k++)
			if (cur[k] != KW_NONE &&
			    d->hits.items[cur[k]].off < at) {
				at = d->hits.items[cur[k]].off;
				kb = k;
			}
		if (at == (size_t)-1)
			break;
		cur[kb] = d->hits.items[cur[kb]].next;
		if (at < off)
			continue;
		if (r->anchored) {
			from = at;
		} else {
			li = detect_line_of(d, at);
			from = d->lines[li ? li - 1 : 0];
			if (from < off)
				from = off;
		}
		pcre2_set_offset_limit(d->mc, at);
		switch (match_at(c, r, subj, len, from)) {
		case NO_MATCH:
			off = at + 1;
			continue;
		case MATCHED:
			error = take_match(c, r, subj, len, &last_line, &count,
			                   &off);
			break;
		default:
			error = 1; /* stopped: the rest of the file is skipped
			            */
		}
		if (error)
			break;
	}
	pcre2_set_offset_limit(d->mc, PCRE2_UNSET);
	return error < 0 ? error : 0;
}

/* Runs one regex rule over `subj`; one finding per line, at most N. */
int detect_run_regex(struct ctx *c,
                     const struct drule *r,
                     const char *subj,
                     size_t len)
{
	size_t off = 0, last_line = (size_t)-1, count = 0;

	if (r->nr_kw) {
		size_t k;
		int any = 0;

		for (k = 0; k < r->nr_kw && !any; k++)
			any = c->d->found[r->kw_ids[k]];
		if (!any)
			return 0;
		if (r->windowed && c->d->hits.complete)
			return run_windows(c, r, subj, len);
	} else if (r->keyword && !has_keyword(subj, len, r->keyword)) {
		return 0;
	}
	while (off <= len && count < MAX_PER_RULE) {
		int error;

		if (match_at(c, r, subj, len, off) != MATCHED)
			break;
		if ((error = take_match(c, r, subj, len, &last_line, &count,
		                        &off)) < 0)
			return error;
	}
	return 0;
}
