/*
 * rules_int.h: how the engine modules see the loaded rule set. Each module
 * owns the part it loads (a loader per rule file kind) and reads it later.
 * cJSON objects never outlive loading.
 */
#ifndef PYORGO_RULES_INT_H
#define PYORGO_RULES_INT_H

#include <cJSON.h>

#include "pyorgo/rules.h"

/* One rule file being loaded. */
struct rules_file {
	const char *name; /* as shown in errors: "rules/languages.json" */
	const char *text;
	size_t len;
	cJSON *doc;
};

/*
 * Fails loading with "name:line:col: message", where line and column are
 * those of the JSON value at `pointer` (RFC 6901, e.g. "/languages/3/name";
 * "" is the whole document). Returns PYO_ERULES.
 */
int rules_error(const struct rules_file *f,
                const char *pointer,
                const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));

/* Typed getters that fail with a located error. `pointer` is the object's. */
int rules_get_string(const char **out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *pointer,
                     const char *key,
                     int required);
int rules_get_number(double *out,
                     const struct rules_file *f,
                     const cJSON *obj,
                     const char *pointer,
                     const char *key,
                     int required);
/* An array of strings; `*out` is a NULL-terminated malloc'ed array of
 * malloc'ed strings (free with rules_strv_free), empty when absent. */
int rules_get_strv(char ***out,
                   size_t *nr,
                   const struct rules_file *f,
                   const cJSON *obj,
                   const char *pointer,
                   const char *key,
                   int required);
void rules_strv_free(char **v);

struct pyo_langdb;       /* classify: languages, heuristics, paths */
struct pyo_detect_rules; /* detect: ml, frameworks, concurrency, service */
struct pyo_guidance;     /* recommend: guidance.json */

struct pyo_rules {
	char *version;
	struct pyo_langdb *langdb;
	struct pyo_detect_rules *detect;
	struct pyo_guidance *guidance;
};

/*
 * Loaders, one per kind of rule file, called by rules.c for each file it
 * finds. A loader adds to the part it owns (creating it on first call).
 */
int pyo_langdb_load(struct pyo_langdb **db, const struct rules_file *f);
int pyo_langdb_finish(struct pyo_langdb *db); /* after all files */
void pyo_langdb_free(struct pyo_langdb *db);
int pyo_langdb_list(FILE *out, const struct pyo_langdb *db);
int pyo_langdb_explain(FILE *out, const struct pyo_langdb *db, const char *id);
int pyo_langdb_test(FILE *out,
                    const struct pyo_langdb *db,
                    int verbose,
                    size_t *passed,
                    size_t *failed);

int pyo_detect_rules_load(struct pyo_detect_rules **dr,
                          const struct rules_file *f);
int pyo_detect_rules_finish(struct pyo_detect_rules *dr);
void pyo_detect_rules_free(struct pyo_detect_rules *dr);
int pyo_detect_rules_list(FILE *out, const struct pyo_detect_rules *dr);
int pyo_detect_rules_explain(FILE *out,
                             const struct pyo_detect_rules *dr,
                             const char *id);
int pyo_detect_rules_test(FILE *out,
                          const struct pyo_detect_rules *dr,
                          int verbose,
                          size_t *passed,
                          size_t *failed);

int pyo_guidance_load(struct pyo_guidance **g, const struct rules_file *f);
int pyo_guidance_finish(struct pyo_guidance *g);
void pyo_guidance_free(struct pyo_guidance *g);
int pyo_guidance_list(FILE *out, const struct pyo_guidance *g);
int pyo_guidance_explain(FILE *out,
                         const struct pyo_guidance *g,
                         const char *id);
int pyo_guidance_test(FILE *out,
                      const struct pyo_guidance *g,
                      int verbose,
                      size_t *passed,
                      size_t *failed);

#endif
