/*
 * rules.h: the rule set, loaded once from the rules/ folder (compiled in, or a
 * directory given with --rules) and shared read-only by every scan and
 * thread. Every later stage reads its part: languages and paths (classify),
 * detector rules (detect), the article's guidance (recommend).
 */
#ifndef PYORGO_RULES_H
#define PYORGO_RULES_H

#include <stdio.h>

#include "pyorgo/common.h"

struct pyo_rules;

/* Loads the rules compiled into the binary. Free with pyo_rules_free(). */
int pyo_rules_load_default(struct pyo_rules **out);
/*
 * Loads every *.json in `dir` instead of the defaults. A broken file fails
 * with PYO_ERULES and a message such as
 * "rules/languages.json:12:5: expected a string".
 */
int pyo_rules_load_dir(struct pyo_rules **out, const char *dir);
void pyo_rules_free(struct pyo_rules *rules);

/* "<version of languages.json>+<...>": one string naming the rule set. */
const char *pyo_rules_version(const struct pyo_rules *rules);

/* One line per rule: id, category, description. */
int pyo_rules_list(FILE *out, const struct pyo_rules *rules);
/* Prints one rule in full; PYO_ENOTFOUND when no rule has that id. */
int pyo_rules_explain(FILE *out, const struct pyo_rules *rules, const char *id);
/*
 * Runs every rule's examples (match and nomatch). Prints failures to `out`,
 * and a closing "N passed, N failed" line. Returns 0 when all pass,
 * PYO_ERULES otherwise.
 */
int pyo_rules_test(FILE *out, const struct pyo_rules *rules, int verbose);

#endif
