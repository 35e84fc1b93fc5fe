/*
 * history_stats.c: per-worker totals of the history walk (authors, their
 * languages by quarter) and the measures computed from them once the walk
 * ends: per-language totals and quarters, active-team windows, bus factor,
 * the Python/Go trend. Memory grows with authors x languages x quarters,
 * never with the number of commits. Definitions: docs/history.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "history_int.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define DAY 86400

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ---- quarters ---------------------------------------------------------- */

int64_t history_quarter(int64_t t)
{
	/* days to civil date (H. Hinnant), years 0..9999 */
	int64_t z, era, doe, yoe, y, doy, mp, m;

	if (t < -62167219200LL)
		t = -62167219200LL; /* 0000-01-01 */
	if (t > 253402300799LL)
		t = 253402300799LL; /* 9999-12-31 */
	z = (t >= 0 ? t / DAY : (t - (DAY - 1)) / DAY) + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	return y * 4 + (m - 1) / 3;
}

void history_quarter_format(char *buf, size_t size, int64_t q)
{
	snprintf(buf, size, "%04d-Q%d", (int)(q / 4), (int)(q % 4) + 1);
}

void pyo_history_quarter_label(char *buf, size_t size, int64_t t)
{
	history_quarter_format(buf, size, history_quarter(t));
}

/* ---- bots -------------------------------------------------------------- */

/* NEEDSWORK: could move to rules/ as data. */
static const char *const bot_names[] = {
	"dependabot",
	"dependabot-preview",
	"renovate",
	"renovate-bot",
	"renovatebot",
	"github-actions",
	"greenkeeper",
	"snyk-bot",
	"pre-commit-ci",
	"pyup-bot",
	"imgbot",
	"mergify",
	"allcontributors",
	"semantic-release-bot",
	"codecov",
	"deepsource-autofix",
	"whitesource-bolt-for-github",
	"k8s-ci-robot",
	"gitlab-bot",
	"bors",
	"copybara-service",
};

static int ends_with_bot(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n >= 5 && !pyo_strcasecmp(s + n - 5, "[bot]");
}

int history_is_bot(const char *name, const char *email)
{
	char local[128];
	const char *at;
	size_t i, n;

	if (ends_with_bot(name) ||
	    pyo_memmem(email, strlen(email), "[bot]@", 6))
		return 1;
	at = strchr(email, '@');
	n = at ? (size_t)(at - email) : strlen(email);
	if (n >= sizeof(local))
		n = sizeof(local) - 1;
	memcpy(local, email, n);
	local[n] = '\0';
	/* GitHub noreply form: 12345+dependabot[bot]@users.noreply... */
	for (i = 0; i < sizeof(bot_names) / sizeof(bot_names[0]); i++)
		if (!pyo_strcasecmp(name, bot_names[i]) ||
		    !pyo_strcasecmp(local, bot_names[i]))
			return 1;
	return 0;
}

/* ---- per-worker totals ------------------------------------------------- */

static void author_free(void *p)
{
	struct hauthor *au = p;
	size_t i;

	if (!au)
		return;
	for (i = 0; i < au->nr; i++)
		free(au->langs[i].qs);
	free(au->langs);
	free(au->key);
	free(au->name);
	free(au->email);
	free(au);
}

void hagg_release(struct hagg *a)
{
	pyo_strmap_clear(&a->authors, author_free);
	memset(a, 0, sizeof(*a));
}

static struct hal *author_lang(struct hauthor *au,
                               const struct pyo_language *lang)
{
	size_t i;

	for (i = 0; i < au->nr; i++)
		if (au->langs[i].lang == lang)
			return &au->langs[i];
	if (PYO_ARRAY_GROW(au->langs, au->nr, au->alloc) < 0)
		return NULL;
	memset(&au->langs[au->nr], 0, sizeof(au->langs[0]));
	au->langs[au->nr].lang = lang;
	au->langs[au->nr].last_time = INT64_MIN;
	return &au->langs[au->nr++];
}

static int
hal_add_quarter(struct hal *l, int64_t q, uint64_t commits, uint64_t touches)
{
	size_t lo = 0, hi = l->nr;

	/* commits come newest first: the first slot is the usual hit */
	if (l->nr && l->qs[0].q == q) {
		l->qs[0].commits += commits;
		l->qs[0].touches += touches;
		return 0;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->qs[mid].q < q)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->nr && l->qs[lo].q == q) {
		l->qs[lo].commits += commits;
		l->qs[lo].touches += touches;
		return 0;
	}
	if (PYO_ARRAY_GROW(l->qs, l->nr, l->alloc) < 0)
		return PYO_ERROR;
	memmove(&l->qs[lo + 1], &l->qs[lo], (l->nr - lo) * sizeof(l->qs[0]));
	l->qs[lo].q = q;
	l->qs[lo].commits = commits;
	l->qs[lo].touches = touches;
	l->nr++;
	return 0;
}

/* The identity shown for an author: from the newest commit; ties go to
 * the smaller name then email, so any split over workers agrees. */
static int newer_identity(const struct hauthor *au,
                          int64_t time,
                          const char *name,
                          const char *email)
{
	int c;

	if (!au->name || time > au->name_time)
		return 1;
	if (time < au->name_time)
		return 0;
	c = strcmp(name, au->name);
	return c < 0 || (c == 0 && strcmp(email, au->email) < 0);
}

static int set_identity(struct hauthor *au,
                        int64_t time,
                        const char *name,
                        const char *email)
{
	char *n = pyo_strdup(name), *e = pyo_strdup(email);

	if (!n || !e) {
		free(n);
		free(e);
		return PYO_ERROR;
	}
	free(au->name);
	free(au->email);
	au->name = n;
	au->email = e;
	au->name_time = time;
	return 0;
}

static char *author_key(const char *name, const char *email, size_t *len)
{
	const char *src = *email ? email : name;
	const char *prefix = *email ? "" : "name:";
	size_t pl = strlen(prefix), n = strlen(src), i;
	char *key = malloc(pl + n + 1);

	if (!key) {
		pyo_error_oom();
		return NULL;
	}
	memcpy(key, prefix, pl);
	for (i = 0; i < n; i++)
		key[pl + i] = lower(src[i]);
	key[pl + n] = '\0';
	*len = pl + n;
	return key;
}

static struct hauthor *
author_get(struct hagg *a, const char *name, const char *email)
{
	struct pyo_strmap_entry *slot;
	struct hauthor *au;
	size_t len;
	char *key = author_key(name, email, &len);

	if (!key)
		return NULL;
	slot = pyo_strmap_slot(&a->authors, key, len);
	if (!slot || slot->value) {
		free(key);
		return slot ? slot->value : NULL;
	}
	if (!(au = calloc(1, sizeof(*au)))) {
		free(key);
		pyo_error_oom();
		return NULL;
	}
	au->key = key;
	au->first_time = INT64_MAX;
	au->last_time = INT64_MIN;
	slot->value = au;
	return au;
}

int hagg_commit(struct hagg *a,
                const char *name,
                const char *email,
                int64_t time,
                const struct lang_touch *t,
                size_t nr)
{
	struct hauthor *au = author_get(a, name, email);
	int64_t q = history_quarter(time);
	size_t i;

	if (!au)
		return PYO_ERROR;
	if (newer_identity(au, time, name, email) &&
	    set_identity(au, time, name, email) < 0)
		return PYO_ERROR;
	if (history_is_bot(name, email))
		au->is_bot = 1;
	au->commits++;
	if (time < au->first_time)
		au->first_time = time;
	if (time > au->last_time)
		au->last_time = time;
	for (i = 0; i < nr; i++) {
		struct hal *l = author_lang(au, t[i].lang);

		if (!l || hal_add_quarter(l, q, 1, t[i].touches) < 0)
			return PYO_ERROR;
		l->commits++;
		l->touches += t[i].touches;
		if (time > l->last_time)
			l->last_time = time;
	}
	a->attributed++;
	if (!a->has_time || time < a->first_time)
		a->first_time = time;
	if (!a->has_time || time > a->last_time)
		a->last_time = time;
	a->has_time = 1;
	return 0;
}

static int author_merge(struct hauthor *dst, const struct hauthor *src)
{
	size_t i, j;

	if (newer_identity(dst, src->name_time, src->name, src->email) &&
	    set_identity(dst, src->name_time, src->name, src->email) < 0)
		return PYO_ERROR;
	dst->is_bot |= src->is_bot;
	dst->commits += src->commits;
	if (src->first_time < dst->first_time)
		dst->first_time = src->first_time;
	if (src->last_time > dst->last_time)
		dst->last_time = src->last_time;
	for (i = 0; i < src->nr; i++) {
		const struct hal *sl = &src->langs[i];
		struct hal *dl = author_lang(dst, sl->lang);

		if (!dl)
			return PYO_ERROR;
		dl->commits += sl->commits;
		dl->touches += sl->touches;
		if (sl->last_time > dl->last_time)
			dl->last_time = sl->last_time;
		for (j = 0; j < sl->nr; j++)
			if (hal_add_quarter(dl, sl->qs[j].q, sl->qs[j].commits,
			                    sl->qs[j].touches) < 0)
				return PYO_ERROR;
	}
	return 0;
}

int hagg_merge(struct hagg *dst, struct hagg *src)
{
	struct pyo_strmap_entry *e, *slot;
	size_t i;

	pyo_strmap_foreach(&src->authors, i, e)
	{
		struct hauthor *au = e->value;

		if (!(slot = pyo_strmap_slot(&dst->authors, e->key, e->keylen)))
			return PYO_ERROR;
		if (!slot->value) {
			slot->value = au; /* moved */
			e->value = NULL;
		} else if (author_merge(slot->value, au) < 0) {
			return PYO_ERROR;
		}
	}
	dst->attributed += src->attributed;
	dst->unattributed += src->unattributed;
	dst->missing_objects += src->missing_objects;
	dst->changed_paths += src->changed_paths;
	if (src->has_time) {
		if (!dst->has_time || src->first_time < dst->first_time)
			dst->first_time = src->first_time;
		if (!dst->has_time || src->last_time > dst->last_time)
			dst->last_time = src->last_time;
		dst->has_time = 1;
	}
	hagg_release(src);
	return 0;
}
