/*
 * detect_kw.c: the Aho-Corasick automaton over every rule keyword, built in
 * pyo_detect_rules_finish() and run once per file by the detector.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect_rules.h"
#include "banned.h"

/* Adds `kw[0..n)` to the trie; returns its keyword id. */
static int
ac_insert(struct kw_automaton *ac, size_t *alloc, const char *kw, size_t n)
{
	int32_t s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)kw[i];

		if (ac->next[(size_t)s * 256 + c] <= 0) {
			if (ac->nr_states == *alloc) {
				size_t na = *alloc * 2;
				int32_t *nx = realloc(ac->next,
				                      na * 256 * sizeof(*nx));
				int32_t *ow, *dc;

				if (!nx)
					return pyo_error_oom();
				ac->next = nx;
				memset(nx + *alloc * 256, 0,
				       (na - *alloc) * 256 * sizeof(*nx));
				ow = realloc(ac->own, na * sizeof(*ow));
				if (!ow)
					return pyo_error_oom();
				ac->own = ow;
				dc = realloc(ac->dict, na * sizeof(*dc));
				if (!dc)
					return pyo_error_oom();
				ac->dict = dc;
				*alloc = na;
			}
			ac->own[ac->nr_states] = -1;
			ac->dict[ac->nr_states] = -1;
			ac->next[(size_t)s * 256 + c] =
			        (int32_t)ac->nr_states++;
		}
		s = ac->next[(size_t)s * 256 + c];
	}
	if (ac->own[s] < 0)
		ac->own[s] = (int32_t)ac->nr_keywords++;
	return ac->own[s];
}

/* Fail links by breadth-first search, folded into a full goto table. */
static int ac_build(struct kw_automaton *ac)
{
	int32_t *fail = calloc(ac->nr_states, sizeof(*fail));
	int32_t *queue = calloc(ac->nr_states, sizeof(*queue));
	size_t head = 0, tail = 0, c;

	if (!fail || !queue) {
		free(fail);
		free(queue);
		return pyo_error_oom();
	}
	for (c = 0; c < 256; c++) {
		int32_t t = ac->next[c];

		if (t > 0) {
			fail[t] = 0;
			queue[tail++] = t;
		} else {
			ac->next[c] = 0;
		}
	}
	while (head < tail) {
		int32_t s = queue[head++];
		int32_t f = fail[s];

		ac->dict[s] = ac->own[f] >= 0 ? f : ac->dict[f];
		for (c = 0; c < 256; c++) {
			int32_t t = ac->next[(size_t)s * 256 + c];

			if (t > 0) {
				fail[t] = ac->next[(size_t)f * 256 + c];
				queue[tail++] = t;
			} else {
				ac->next[(size_t)s * 256 + c] =
				        ac->next[(size_t)f * 256 + c];
			}
		}
	}
	free(fail);
	free(queue);
	if (ac->nr_states > KW_STATE_MASK)
		return pyo_error_setc(PYO_ERULES, "too many rule keywords");
	/* byte classes: a byte that no keyword has behaves like any other
	 * such byte in every state */
	memset(ac->cls, 0, sizeof(ac->cls));
	ac->nr_classes = 1;
	for (c = 0; c < 256; c++) {
		size_t st;

		for (st = 0; st < ac->nr_states; st++)
			if (ac->next[st * 256 + c] != ac->next[st * 256])
				break;
		if (st < ac->nr_states)
			ac->cls[c] = (unsigned char)ac->nr_classes++;
	}
	/* class 0 must be a byte of no keyword; if every byte is in one,
	 * keep the full alphabet */
	if (ac->nr_classes > 255) {
		for (c = 0; c < 256; c++)
			ac->cls[c] = (unsigned char)c;
		ac->nr_classes = 256;
	}
	ac->next16 =
	        malloc(ac->nr_states * ac->nr_classes * sizeof(*ac->next16));
	if (!ac->next16)
		return pyo_error_oom();
	for (c = 0; c < 256; c++) {
		size_t st;

		for (st = 0; st < ac->nr_states; st++) {
			int32_t t = ac->next[st * 256 + c];
			int out = ac->own[t] >= 0 || ac->dict[t] >= 0;

			ac->next16[st * ac->nr_classes + ac->cls[c]] =
			        (uint16_t)(t | (out ? KW_OUT_FLAG : 0));
		}
	}
	free(ac->next);
	ac->next = NULL;
	return 0;
}

void detect_kw_scan(const struct kw_automaton *ac,
                    unsigned char *found,
                    const char *s,
                    size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	const uint16_t *next = ac->next16;
	const unsigned char *cls = ac->cls;
	size_t n = ac->nr_classes;
	uint32_t st = 0;

	if (!ac->nr_keywords)
		return;
	for (; p < e; p++) {
		st = next[(st & KW_STATE_MASK) * n + cls[*p]];
		if (st & KW_OUT_FLAG) {
			int32_t d = (int32_t)(st & KW_STATE_MASK);

			if (ac->own[d] < 0)
				d = ac->dict[d];
			for (; d >= 0; d = ac->dict[d])
				found[ac->own[d]] = 1;
		}
	}
}

int detect_build_keywords(struct pyo_detect_rules *dr)
{
	size_t alloc = 64, i;
	struct kw_automaton *ac = &dr->ac;

	ac->next = calloc(alloc * 256, sizeof(*ac->next));
	ac->own = malloc(alloc * sizeof(*ac->own));
	ac->dict = malloc(alloc * sizeof(*ac->dict));
	if (!ac->next || !ac->own || !ac->dict)
		return pyo_error_oom();
	ac->own[0] = -1;
	ac->dict[0] = -1;
	ac->nr_states = 1;
	for (i = 0; i < dr->nr; i++) {
		struct drule *r = dr->rules[i];
		const char *kw = r->keyword;
		size_t n = 0;

		if (!kw)
			continue;
		for (const char *p = kw; *p; p++)
			n += *p == '|';
		r->kw_ids = calloc(n + 1, sizeof(*r->kw_ids));
		if (!r->kw_ids)
			return pyo_error_oom();
		while (*kw) {
			const char *e = strchr(kw, '|');
			size_t len = e ? (size_t)(e - kw) : strlen(kw);

			if (len) {
				int id = ac_insert(ac, &alloc, kw, len);

				if (id < 0)
					return id;
				r->kw_ids[r->nr_kw++] = id;
			}
			if (!e)
				break;
			kw = e + 1;
		}
	}
	return ac_build(ac);
}
