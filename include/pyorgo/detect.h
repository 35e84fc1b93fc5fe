/*
 * detect.h: the detectors. After classify has named a file's language and
 * scope, detect runs the rules of rules/{ml,frameworks,concurrency,
 * service}.json that apply to that language on the file's text (comments and
 * string literals masked per language), extracts Python and Go imports and
 * maps them (and manifest dependencies) to package rules, and appends one
 * finding per match with its file:line:column. After every file,
 * pyo_detect_summarize() turns findings into the signals of docs/signals.md.
 */
#ifndef PYORGO_DETECT_H
#define PYORGO_DETECT_H

#include <stddef.h>

#include "pyorgo/common.h"
#include "pyorgo/report.h"
#include "pyorgo/rules.h"

struct pyo_line_index;

/* Per worker thread: PCRE2 match data, match context, JIT stack, buffers. */
/*
 * Findings of one rule kept per file: the first few locate it; the
 * signals count files, so more would only cost time and memory.
 */
#define PYO_FINDINGS_PER_FILE 3

struct pyo_detector;

/*
 * Creates a detector over the (finished, shared read-only) rule set.
 * Caller owns `*out`; release with pyo_detector_free().
 */
int pyo_detector_new(struct pyo_detector **out, const struct pyo_rules *rules);
void pyo_detector_free(struct pyo_detector *d);

typedef int (*pyo_light_cb)(void *payload,
                            const char *rule_id,
                            enum pyo_scope scope,
                            const char *signal,
                            const char *detail);
typedef const char *(*pyo_intern_cb)(void *payload, const char *s);

/*
 * Lets the caller have findings made light where it would make them so
 * anyway (pyo_scan: a rule's findings past its quota only count in the
 * summaries). For a finding with no detail, `is_light` is asked once per
 * rule and file (detail NULL); for one with a detail (an import, a
 * package), once per finding. A light finding has no snippet and borrows
 * its strings (PYO_FINDING_BORROWED): the rule's, the path given to
 * pyo_detect_file(), and `intern`'s copies of the language and detail.
 */
void pyo_detector_set_light(struct pyo_detector *d,
                            pyo_light_cb is_light,
                            pyo_intern_cb intern,
                            void *payload);

/*
 * Puts the strings of the findings it makes whole into `arena` (marked
 * PYO_FINDING_IN_REPORT) instead of a block each: the caller moves the
 * arena into the report that lists them (pyo_scan). NULL: a block each.
 */
struct pyo_arena;
void pyo_detector_set_arena(struct pyo_detector *d, struct pyo_arena *arena);

/*
 * The most findings one rule added in the last pyo_detect_file() call
 * (at most 255): a caller that keeps a few per rule and file need not
 * look when none had more.
 */
unsigned pyo_detector_most_per_rule(const struct pyo_detector *d);

/*
 * Runs the rules that apply to `lang` (Linguist name: "Python", "Go",
 * "Dockerfile", "YAML", ...; for notebooks the extracted code cells with
 * lang "Python") on one file and appends findings to `out` (strings
 * copied). Never fails on bad content: a match-limit hit, a huge line or
 * binary bytes give a warning through `warn` (may be NULL) naming the file
 * and the rule, and the scan goes on. Returns 0, or PYO_ERROR on out of
 * memory.
 */
int pyo_detect_file(struct pyo_detector *d,
                    struct pyo_findings *out,
                    const char *path,
                    const char *lang,
                    enum pyo_scope scope,
                    const char *data,
                    size_t len,
                    pyo_warn_cb warn,
                    void *warn_payload);

/*
 * pyo_detect_file() on a text whose line starts are known already
 * (pyo_count_lines_index() of the same `data`): not looked for again.
 */
int pyo_detect_file_lines(struct pyo_detector *d,
                          struct pyo_findings *out,
                          const char *path,
                          const char *lang,
                          enum pyo_scope scope,
                          const char *data,
                          size_t len,
                          const struct pyo_line_index *lines,
                          pyo_warn_cb warn,
                          void *warn_payload);

/*
 * Maps manifest dependencies to package rules (torch in requirements.txt ->
 * ml.torch, where = manifest, line of the requirement; scope from the
 * manifest's path). Returns 0 or PYO_ERROR on out of memory.
 */
int pyo_detect_deps(struct pyo_findings *out,
                    const struct pyo_rules *rules,
                    const struct pyo_deps *deps);

/*
 * Drops the findings of rules whose "dep:NAME" facts (the rule files'
 * "requires") the repository's dependencies `deps` do not hold. Run after
 * all files and pyo_detect_deps(); "import:" facts are checked per file.
 */
void pyo_detect_requires(struct pyo_findings *fs,
                         const struct pyo_rules *rules,
                         const struct pyo_deps *deps);

/*
 * After all files: fills r->categories (per-category counts by scope) and
 * adds the detected signals of docs/signals.md to r->signals, each with the
 * indices of its findings in r->findings (call after pyo_findings_sort).
 */
int pyo_detect_summarize(struct pyo_report *r);

/*
 * The scope a path suggests for dependencies found in a manifest at that
 * path (tests/requirements.txt -> test). Exposed for tests.
 */
enum pyo_scope pyo_detect_path_scope(const char *path);

#endif
