/*
 * merge.c: reading batch records back. It parses pyorgo's own JSON Lines,
 * so it is the one engine file besides rule loading that uses cJSON.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/merge.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double num_at(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(it) ? it->valuedouble : 0;
}

static void repo_release(struct pyo_org_repo *r)
{
	free(r->path);
	free(r->commit);
	free(r->choice);
	free(r->top_reason);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

static struct pyo_org_lang *org_lang(struct pyo_org *org, const char *name)
{
	size_t i;

	for (i = 0; i < org->nr_langs; i++)
		if (!strcmp(org->langs[i].name, name))
			return &org->langs[i];
	if (PYO_ARRAY_GROW(org->langs, org->nr_langs, org->alloc_langs) < 0)
		return NULL;
	memset(&org->langs[org->nr_langs], 0, sizeof(*org->langs));
	org->langs[org->nr_langs].name = pyo_strdup(name);
	if (!org->langs[org->nr_langs].name)
		return NULL;
	return &org->langs[org->nr_langs++];
}

static int
add_langs(struct pyo_org *org, struct pyo_org_repo *r, const cJSON *langs)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, langs)
	{
		const char *name = str_at(l, "name");
		const cJSON *in =
		        cJSON_GetObjectItemCaseSensitive(l, "in_share");
		struct pyo_org_lang *ol;

		if (!name || !cJSON_IsTrue(in))
			continue;
		if (!(ol = org_lang(org, name)))
			return PYO_ERROR;
		ol->bytes += (uint64_t)num_at(l, "bytes");
		ol->files += (uint64_t)num_at(l, "files");
		ol->repos++;
		org->share_bytes += (uint64_t)num_at(l, "bytes");
		if (!strcmp(name, "Python"))
			r->python_share = num_at(l, "share");
		else if (!strcmp(name, "Go"))
			r->go_share = num_at(l, "share");
	}
	return 0;
}

static const char *first_reason(const cJSON *verdict)
{
	static const char *const lists[] = { "hard_constraints", "reasons" };
	size_t k;

	for (k = 0; k < 2; k++) {
		const cJSON *arr =
		        cJSON_GetObjectItemCaseSensitive(verdict, lists[k]);
		const cJSON *first = cJSON_IsArray(arr) ? arr->child : NULL;
		const char *id = first ? str_at(first, "factor") : NULL;

		if (id)
			return id;
	}
	return NULL;
}

static int fill(struct pyo_org *org, struct pyo_org_repo *r, const cJSON *doc)
{
	const cJSON *repo = cJSON_GetObjectItemCaseSensitive(doc, "repository");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(doc, "error");
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(doc, "revision");
	const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(doc, "verdict");
	const char *s;

	if (!(r->path = pyo_strdup(repo ? str_at(repo, "path") : NULL)))
		return pyo_error_setc(PYO_EINVALID, "no repository.path");
	if (cJSON_IsObject(err)) {
		s = str_at(err, "message");
		r->error = pyo_strdup(s ? s : "failed");
		return r->error ? 0 : PYO_ERROR;
	}
	if (rev && (s = str_at(rev, "commit")) && !(r->commit = pyo_strdup(s)))
		return PYO_ERROR;
	if (cJSON_IsObject(verdict)) {
		if ((s = str_at(verdict, "choice")) &&
		    !(r->choice = pyo_strdup(s)))
			return PYO_ERROR;
		r->confidence = num_at(verdict, "confidence");
		if ((s = first_reason(verdict)) &&
		    !(r->top_reason = pyo_strdup(s)))
			return PYO_ERROR;
	}
	return add_langs(org, r,
	                 cJSON_GetObjectItemCaseSensitive(doc, "languages"));
}

int pyo_org_add(struct pyo_org *org,
                const char *line,
                size_t len,
                const char *where)
{
	struct pyo_org_repo r = { 0 };
	const char *end = NULL;
	cJSON *doc;
	int error;

	doc = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return pyo_error_setc(PYO_EINVALID,
		                      "%s: not a pyorgo JSON record", where);
	}
	if ((error = fill(org, &r, doc)) < 0) {
		cJSON_Delete(doc);
		repo_release(&r);
		return pyo_error_setc(error, "%s: %s", where, pyo_error_last());
	}
	cJSON_Delete(doc);
	if (PYO_ARRAY_GROW(org->repos, org->nr_repos, org->alloc_repos) < 0) {
		repo_release(&r);
		return PYO_ERROR;
	}
	r.seq = org->nr_repos;
	org->repos[org->nr_repos++] = r;
	return 0;
}

static int cmp_repo(const void *a, const void *b)
{
	const struct pyo_org_repo *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_lang(const void *pa, const void *pb)
{
	const struct pyo_org_lang *a = pa, *b = pb;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->name, b->name);
}

void pyo_org_finish(struct pyo_org *org)
{
	size_t i, n = 0;

	/* a later record for the same path replaces the earlier one */
	if (org->nr_repos > 1)
		pyo_qsort(org->repos, org->nr_repos, sizeof(*org->repos),
		          cmp_repo);
	for (i = 0; i < org->nr_repos; i++) {
		if (n && !strcmp(org->repos[n - 1].path, org->repos[i].path)) {
			repo_release(&org->repos[n - 1]);
			org->duplicates++;
			n--;
		}
		org->repos[n++] = org->repos[i];
	}
	org->nr_repos = n;
	org->failed = org->python = org->go = org->either = 0;
	for (i = 0; i < n; i++) {
		const char *c = org->repos[i].choice;

		if (org->repos[i].error)
			org->failed++;
		else if (c && !strcmp(c, "python"))
			org->python++;
		else if (c && !strcmp(c, "go"))
			org->go++;
		else
			org->either++;
	}
	if (org->nr_langs > 1)
		pyo_qsort(org->langs, org->nr_langs, sizeof(*org->langs),
		          cmp_lang);
}

void pyo_org_clear(struct pyo_org *org)
{
	size_t i;

	if (!org)
		return;
	for (i = 0; i < org->nr_repos; i++)
		repo_release(&org->repos[i]);
	for (i = 0; i < org->nr_langs; i++)
		free(org->langs[i].name);
	free(org->repos);
	free(org->langs);
	memset(org, 0, sizeof(*org));
}
