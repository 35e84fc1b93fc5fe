/*
 * classify_match.c: the match state of the classifier (one per thread,
 * with PCRE2's limits) and the matching of rules/paths.json: path rules,
 * with the per-folder memo of the folder rules, and content rules.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "strutil.h"
#include "banned.h"

/*
 * Match data and context of the calling thread, made once and freed when
 * the thread ends: the classifier runs for every path of every scan, and
 * two allocations per call were a tenth of its time.
 */
static pthread_key_t match_key;
static pthread_once_t match_once = PTHREAD_ONCE_INIT;
static int match_key_ok;

static void free_thread_match(void *p)
{
	pyo_match_release(p);
	free(p);
}

static void make_match_key(void)
{
	match_key_ok = !pthread_key_create(&match_key, free_thread_match);
}

struct pyo_match *classify_thread_match(void)
{
	struct pyo_match *m;

	if (pthread_once(&match_once, make_match_key) || !match_key_ok)
		return NULL;
	m = pthread_getspecific(match_key);
	if (m)
		return m;
	m = calloc(1, sizeof(*m));
	if (!m || pyo_match_init(m) < 0) {
		free(m);
		return NULL;
	}
	if (pthread_setspecific(match_key, m)) {
		free_thread_match(m);
		return NULL;
	}
	return m;
}

int pyo_match_init(struct pyo_match *m)
{
	memset(m, 0, sizeof(*m));
	m->md = pcre2_match_data_create(4, NULL);
	m->mc = pcre2_match_context_create(NULL);
	if (!m->md || !m->mc) {
		pyo_match_release(m);
		return pyo_error_oom();
	}
	pcre2_set_match_limit(m->mc, 1000000);
	pcre2_set_depth_limit(m->mc, 10000);
	return 0;
}

void pyo_match_release(struct pyo_match *m)
{
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	free(m->dir);
	memset(m, 0, sizeof(*m));
}

int pyo_re_match(const pcre2_code *re,
                 const char *data,
                 size_t len,
                 struct pyo_match *md)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)data, len, 0, 0, md->md, md->mc);

	/* limits (catastrophic patterns) count as "no match" */
	return rc >= 0;
}

int pyo_regex_match(const struct pyo_regex *re,
                    const char *data,
                    size_t len,
                    struct pyo_match *md)
{
	if (re->lits && !kw_any(re->lits, data, len))
		return 0;
	return pyo_re_match(re->code, data, len, md);
}

/* The first folder rule of `s` matching the folder part of `path`
 * (`dlen` bytes, with its '/'), remembered for the files that follow. */
static const struct pyo_path_rule *dir_match(const struct pyo_langdb *db,
                                             const struct pyo_path_set *s,
                                             enum pyo_path_category c,
                                             const char *path,
                                             size_t dlen,
                                             struct pyo_match *md)
{
	const struct pyo_path_rule *hit = NULL;
	size_t i;

	if (md->dir_db != db || md->dir_gen != db->generation ||
	    md->dir_len != dlen || memcmp(md->dir, path, dlen)) {
		if (dlen + 1 > md->dir_alloc) {
			char *p = realloc(md->dir, dlen + 64);

			if (!p)
				goto uncached;
			md->dir = p;
			md->dir_alloc = dlen + 64;
		}
		memcpy(md->dir, path, dlen);
		md->dir_len = dlen;
		md->dir_db = db;
		md->dir_gen = db->generation;
		md->dir_known = 0;
	}
	if (md->dir_known & (1u << c))
		return md->dir_rule[c];
uncached:
	if (pyo_regex_match(&s->any_dir, path, dlen, md))
		for (i = 0; i < s->nr && !hit; i++)
			if (s->rules[i]->dir_only &&
			    pyo_re_match(s->rules[i]->re_path, path, dlen, md))
				hit = s->rules[i];
	if (md->dir && md->dir_db == db && md->dir_len == dlen) {
		md->dir_rule[c] = hit;
		md->dir_known |= 1u << c;
	}
	return hit;
}

const struct pyo_path_rule *pyo_langdb_path_match(const struct pyo_langdb *db,
                                                  enum pyo_path_category c,
                                                  const char *path,
                                                  struct pyo_match *md)
{
	const struct pyo_path_set *s = &db->sets[c];
	const struct pyo_path_rule *hit = NULL;
	const char *slash = strrchr(path, '/');
	size_t len = strlen(path),
	       dlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t i;

	if (!s->any.code)
		return NULL;
	if (s->any_dir.code && dlen)
		hit = dir_match(db, s, c, path, dlen, md);
	if (!s->any_file.code || !pyo_regex_match(&s->any_file, path, len, md))
		return hit;
	/* the first rule in file order wins, as with one union */
	for (i = 0; i < s->nr; i++) {
		const struct pyo_path_rule *r = s->rules[i];

		if (hit && r->order >= hit->order)
			break;
		if (!r->dir_only && pyo_re_match(r->re_path, path, len, md))
			return r;
	}
	return hit;
}

int classify_has_content_rule(const struct pyo_langdb *db,
                              const char *path,
                              struct pyo_match *md)
{
	if (db->content_all)
		return 1;
	return db->content_any.code &&
	       pyo_regex_match(&db->content_any, path, strlen(path), md);
}

static double avg_line_length(const char *data, size_t len)
{
	size_t lines = 0;
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		lines++;
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines ? (double)len / (double)lines : 0;
}

const struct pyo_path_rule *
classify_content_generated(const struct pyo_langdb *db,
                           const char *path,
                           const char *data,
                           size_t len,
                           struct pyo_match *md)
{
	size_t i, plen = strlen(path);

	for (i = 0; i < db->content_rules.nr; i++) {
		const struct pyo_path_rule *r = db->content_rules.items[i];
		size_t n = len < r->content_bytes ? len : r->content_bytes;

		if (r->re_path && !pyo_re_match(r->re_path, path, plen, md))
			continue;
		if (r->re_content.code &&
		    !pyo_regex_match(&r->re_content, data, n, md))
			continue;
		if (r->min_avg_line > 0 &&
		    !(avg_line_length(data, len) > r->min_avg_line))
			continue;
		return r;
	}
	return NULL;
}
