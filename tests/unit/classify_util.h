/*
 * classify_util.h: loads only the shipped language rule files
 * (languages.json, heuristics.json, paths.json) for the classify tests, so
 * they do not depend on the other rule files.
 */
#ifndef CLASSIFY_UTIL_H
#define CLASSIFY_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "pyorgo/classify.h"

static inline char *cu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* Loads one rule file text into `*db`; returns the loader's result. */
static inline int
cu_load_text(struct pyo_langdb **db, const char *name, const char *text)
{
	struct rules_file f = { name, text, strlen(text), NULL };
	int error;

	f.doc = cJSON_Parse(text);
	if (!f.doc)
		return -100;
	error = pyo_langdb_load(db, &f);
	cJSON_Delete(f.doc);
	return error;
}

static inline struct pyo_rules *cu_load_shipped(void)
{
	static const char *const files[] = { "heuristics.json",
		                             "languages.json", "paths.json" };
	struct pyo_rules *r = calloc(1, sizeof(*r));
	const char *src = getenv("SRC_DIR");
	size_t i, len;

	if (!r || !src)
		return NULL;
	for (i = 0; i < 3; i++) {
		char path[4096], *text;
		int error;

		snprintf(path, sizeof(path), "%s/rules/%s", src, files[i]);
		if (!(text = cu_read(path, &len)))
			return NULL;
		error = cu_load_text(&r->langdb, path, text);
		free(text);
		if (error < 0) {
			fprintf(stderr, "%s\n", pyo_error_last());
			return NULL;
		}
	}
	if (pyo_langdb_finish(r->langdb) < 0) {
		fprintf(stderr, "%s\n", pyo_error_last());
		return NULL;
	}
	return r;
}

static inline void cu_free(struct pyo_rules *r)
{
	if (!r)
		return;
	pyo_langdb_free(r->langdb);
	free(r);
}

#endif
