/*
 * merge.h: the organisation picture. Combines the JSON Lines of one or
 * more batch runs (for example the shards of a Kubernetes Indexed Job) into
 * one summary: verdicts, languages, failures, repository by repository.
 */
#ifndef PYORGO_MERGE_H
#define PYORGO_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "pyorgo/common.h"

struct pyo_org_repo {
	char *path;
	char *commit;
	char *choice; /* "python", "go", "either"; NULL for a failed scan */
	double confidence;
	char *top_reason; /* factor id of the first hard or weighed reason */
	double python_share, go_share;
	char *error; /* NULL unless the scan failed */
	size_t seq;  /* order read, so a later record wins */
};

struct pyo_org_lang {
	char *name;
	uint64_t bytes, files;
	size_t repos; /* repositories that have it in their share */
};

struct pyo_org {
	struct pyo_org_repo *repos; /* sorted by path after finish */
	size_t nr_repos, alloc_repos;
	struct pyo_org_lang *langs; /* by bytes after finish */
	size_t nr_langs, alloc_langs;
	size_t failed, python, go, either;
	size_t duplicates; /* same path seen twice: the last record wins */
	uint64_t share_bytes;
};

/* Adds one JSON Lines record; `where` ("file:line") names it in errors. */
int pyo_org_add(struct pyo_org *org,
                const char *line,
                size_t len,
                const char *where);
/* Sorts; call once after the last record. */
void pyo_org_finish(struct pyo_org *org);
void pyo_org_clear(struct pyo_org *org);

#endif
