/*
 * detect_keys.c: the compact keys of a report's findings (detect_keys.h).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect_keys.h"
#include "banned.h"

/* The id of `name` in `ids`/`names` (added when new); -1 on OOM. */
static int key_id(struct pyo_strmap *ids,
                  const char ***names,
                  size_t *nr,
                  const char *name)
{
	struct pyo_strmap_entry *e = pyo_strmap_slot(ids, name, strlen(name));
	const char **n;

	if (!e)
		return -1;
	if (e->value)
		return (int)((uintptr_t)e->value - 1);
	if (!(n = realloc(*names, (*nr + 1) * sizeof(*n))))
		return -1;
	*names = n;
	n[*nr] = name;
	e->value = (void *)(uintptr_t)(++*nr);
	return (int)(*nr - 1);
}

void fkeys_clear(struct fkeys *k)
{
	free(k->run_of);
	free(k->sig);
	free(k->cat);
	free(k->scope);
	free(k->where);
	free(k->sig_name);
	free(k->cat_name);
	pyo_strmap_clear(&k->sig_ids, NULL);
	pyo_strmap_clear(&k->cat_ids, NULL);
}

/*
 * The last ids seen by string address: the findings past the cap share
 * their rule's strings (scan_analyze.c), so most lookups stop here.
 */
struct ptr_cache {
	const char *key[64];
	int id[64];
};

static int cached_id(struct ptr_cache *pc,
                     struct pyo_strmap *ids,
                     const char ***names,
                     size_t *nr,
                     const char *name)
{
	size_t h = ((uintptr_t)name >> 4) & 63;
	int id;

	if (pc->key[h] == name)
		return pc->id[h];
	if ((id = key_id(ids, names, nr, name)) < 0)
		return id;
	pc->key[h] = name;
	pc->id[h] = id;
	return id;
}

/*
 * The keys of findings [from, to) into the arrays of `k`, with the ids of
 * `ids` (k itself, or a helper's own). A run that goes on from before
 * `from` is marked SIZE_MAX: fkeys_build() finishes it.
 */
static int fkeys_range(struct fkeys *k,
                       struct fkeys *ids,
                       const struct pyo_findings *fs,
                       size_t from,
                       size_t to)
{
	struct ptr_cache sigs = { { 0 }, { 0 } }, cats = { { 0 }, { 0 } };
	size_t i;

	for (i = from; i < to; i++) {
		const struct pyo_finding *f = &fs->items[i];
		const struct pyo_finding *p = i ? &fs->items[i - 1] : NULL;

		k->scope[i] = (unsigned char)f->scope;
		k->where[i] = (unsigned char)f->where;
		k->run_of[i] =
		        p && f->path && p->path &&
		                        (f->path == p->path ||
		                         !strcmp(f->path, p->path))
		                ? (i == from ? SIZE_MAX : k->run_of[i - 1])
		                : i;
		k->sig[i] = k->cat[i] = -1;
		if (!f->path)
			continue;
		if (f->signal &&
		    (k->sig[i] = cached_id(&sigs, &ids->sig_ids, &ids->sig_name,
		                           &ids->nr_sig, f->signal)) < 0)
			return pyo_error_oom();
		if (f->category &&
		    (k->cat[i] = cached_id(&cats, &ids->cat_ids, &ids->cat_name,
		                           &ids->nr_cat, f->category)) < 0)
			return pyo_error_oom();
	}
	return 0;
}

struct fkeys_half {
	struct fkeys *k, ids; /* the shared arrays; the half's own ids */
	const struct pyo_findings *fs;
	size_t from, to;
	int error;
};

static void *fkeys_half(void *arg)
{
	struct fkeys_half *h = arg;

	h->error = fkeys_range(h->k, &h->ids, h->fs, h->from, h->to);
	return NULL;
}

/* Maps the ids the second half gave to `k`'s (added when new). */
static int fkeys_join(struct fkeys *k, struct fkeys_half *h)
{
	int *sig = calloc(h->ids.nr_sig + 1, sizeof(*sig));
	int *cat = calloc(h->ids.nr_cat + 1, sizeof(*cat));
	size_t i;
	int error = 0;

	for (i = 0; sig && i < h->ids.nr_sig && !error; i++)
		error = (sig[i] = key_id(&k->sig_ids, &k->sig_name, &k->nr_sig,
		                         h->ids.sig_name[i])) < 0;
	for (i = 0; cat && i < h->ids.nr_cat && !error; i++)
		error = (cat[i] = key_id(&k->cat_ids, &k->cat_name, &k->nr_cat,
		                         h->ids.cat_name[i])) < 0;
	if (!sig || !cat || error) {
		free(sig);
		free(cat);
		return pyo_error_oom();
	}
	for (i = h->from; i < h->to; i++) {
		if (k->sig[i] >= 0)
			k->sig[i] = sig[k->sig[i]];
		if (k->cat[i] >= 0)
			k->cat[i] = cat[k->cat[i]];
	}
	/* the file run that goes on across the halves */
	for (i = h->from; i < h->to && k->run_of[i] == SIZE_MAX; i++)
		k->run_of[i] = k->run_of[h->from - 1];
	free(sig);
	free(cat);
	return 0;
}

/* The keys of all findings: two halves on two threads when many (half
 * of the summaries' 8 ms on the bench repository's 277,000). */
int fkeys_build(struct fkeys *k, const struct pyo_findings *fs)
{
	size_t n = fs->nr ? fs->nr : 1;
	struct fkeys_half h = { k, { 0 }, fs, fs->nr / 2, fs->nr, 0 };
	pthread_t t;
	int helped, error;

	k->run_of = malloc(n * sizeof(*k->run_of));
	k->sig = malloc(n * sizeof(*k->sig));
	k->cat = malloc(n * sizeof(*k->cat));
	k->scope = malloc(n);
	k->where = malloc(n);
	if (!k->run_of || !k->sig || !k->cat || !k->scope || !k->where)
		return pyo_error_oom();
	if (fs->nr < 65536)
		return fkeys_range(k, k, fs, 0, fs->nr);
	helped = !pthread_create(&t, NULL, fkeys_half, &h);
	error = fkeys_range(k, k, fs, 0, h.from);
	if (helped)
		pthread_join(t, NULL);
	else
		fkeys_half(&h);
	if (!error)
		error = h.error < 0 ? h.error : fkeys_join(k, &h);
	fkeys_clear(&h.ids);
	return error;
}

int fkeys_sig_id(const struct fkeys *k, const char *name)
{
	void *v = pyo_strmap_get(&k->sig_ids, name, strlen(name));

	return v ? (int)((uintptr_t)v - 1) : -1;
}

int fkeys_first_in_run(const struct fkeys *k, const int *ids, size_t i)
{
	size_t j;

	for (j = k->run_of[i]; j < i; j++)
		if (ids[j] == ids[i])
			return 0;
	return 1;
}
