/*
 * config.h: .pyorgo.json at the repository's root (or --config FILE). It
 * declares the new service's needs (the same keys as the flags, which win
 * over it) and the policy `pyorgo check` enforces. See docs/config.md.
 */
#ifndef PYORGO_CONFIG_H
#define PYORGO_CONFIG_H

#include <stddef.h>

#include "pyorgo/needs.h"

/* What makes `pyorgo check` fail (a set of flags; 0 = never). */
enum pyo_fail_on {
	PYO_FAIL_NEVER = 0,
	PYO_FAIL_CONTRADICTION = 1 << 0, /* code contradicts the declared
	                                    language */
	PYO_FAIL_FLIP = 1 << 1,          /* the change flips the verdict */
	PYO_FAIL_HARD = 1 << 2,          /* a hard constraint appears */
};

/* The language declared for files under `prefix` ("" = everywhere). */
struct pyo_policy_path {
	char *prefix;
	char *language; /* "python" or "go" */
};

struct pyo_config {
	char *name;             /* the file, as shown in messages */
	struct pyo_needs needs; /* sources PYO_NEED_CONFIG; strings owned */

	char *language;                /* policy.language, or NULL */
	struct pyo_policy_path *paths; /* policy.paths, longest prefix first */
	size_t nr_paths;
	unsigned fail_on; /* enum pyo_fail_on flags */
	int has_fail_on;  /* policy.fail_on was given */
	char **allow;     /* rule ids and path globs */
	size_t nr_allow;

	char **warnings; /* unknown keys: "FILE:LINE:COL: unknown key 'x'" */
	size_t nr_warnings;
};

/*
 * Parses `data` (`len` bytes) read from `name`. Strings are owned by the
 * config. Invalid JSON or values: PYO_EINVALID with a message such as
 * ".pyorgo.json:3:17: target_rps: expected a number > 0". Unknown keys
 * are warnings (c->warnings), not errors. Free with pyo_config_free().
 */
int pyo_config_parse(struct pyo_config **out,
                     const char *name,
                     const char *data,
                     size_t len);
void pyo_config_free(struct pyo_config *c);

/* Fills unset fields of `needs` from the config (flags win over the
 * file); borrowed strings point into `c`. */
void pyo_config_apply(struct pyo_needs *needs, const struct pyo_config *c);

/* The declared language for `path` (longest matching prefix, else
 * policy.language), or NULL. Borrowed. */
const char *pyo_config_language_for(const struct pyo_config *c,
                                    const char *path);
/* 1 when `rule_id` or `path` is allowed by policy.allow (ids compare
 * exactly, paths as globs). Either may be NULL. */
int pyo_config_allows(const struct pyo_config *c,
                      const char *rule_id,
                      const char *path);
/* "contradiction", "flip", "hard-constraint", "never": one flag, or -1. */
int pyo_fail_on_parse(const char *s);

#endif
