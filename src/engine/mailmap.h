/*
 * mailmap.h: a git-compatible .mailmap (see gitmailmap(5)), used by the
 * history stage to merge an author's identities. Unlike libgit2 1.5.1,
 * emails and names are matched case-insensitively and a line of the form
 * "Proper Name <proper@e> Commit Name" keeps its "Proper <proper@e>" part,
 * exactly as git 2.39 does. Read-only once parsed: threads may share it.
 */
#ifndef PYORGO_MAILMAP_H
#define PYORGO_MAILMAP_H

#include <stddef.h>

struct pyo_mailmap;

/*
 * Parses the text of a .mailmap (stops at a NUL byte, as git does).
 * Unparsable lines are ignored, as git ignores them. Caller frees `*out`
 * with pyo_mailmap_free(). Returns 0 or PYO_ERROR (out of memory).
 */
int pyo_mailmap_parse(struct pyo_mailmap **out, const char *data, size_t len);
void pyo_mailmap_free(struct pyo_mailmap *mm);

/* Number of distinct commit emails the mailmap has entries for. */
size_t pyo_mailmap_count(const struct pyo_mailmap *mm);

/*
 * Maps a commit's `name` and `email` (never NULL; may be empty). `*name`
 * and `*email` are set to the result: borrowed from `mm` or the inputs.
 * Returns 1 when an entry applied, 0 otherwise. `mm` may be NULL.
 */
int pyo_mailmap_resolve(const struct pyo_mailmap *mm,
                        const char **out_name,
                        const char **out_email,
                        const char *name,
                        const char *email);

#endif
