/*
 * detect_rules.h: the detector rules once loaded (detect_load.c, with the
 * keyword automaton of kwset.c), shared read-only by every detector
 * (detect.c, detect_deps.c), the examples runner (detect_test.c) and the
 * summary (detect_signals.c).
 */
#ifndef PYORGO_DETECT_RULES_H
#define PYORGO_DETECT_RULES_H

#include <pcre2.h>

#include "pyorgo/detect.h"
#include "kwset.h"
#include "lex.h"
#include "strmap.h"

/* Rule languages, as a bit set. */
enum drule_lang {
	DL_PYTHON = 1 << 0,
	DL_GO = 1 << 1,
	DL_PROTO = 1 << 2,
	DL_DOCKER = 1 << 3,
	DL_YAML = 1 << 4,
	DL_SHELL = 1 << 5,
	DL_TOML = 1 << 6,
	DL_JSON = 1 << 7,
	DL_CONFIG = 1 << 8, /* nginx, ini, cfg, Procfile, Makefile */
	DL_OTHER = 1 << 30, /* the languages above see only "any" rules */
	DL_ANY = 0x7fffffff,
};

#define DL_SLOTS 10 /* the nine languages above and the others */

/* The slot of a file language's bit (detect_lang_bits()). */
static inline unsigned detect_lang_slot(unsigned bit)
{
	unsigned s = (unsigned)__builtin_ctz(bit);

	return s < DL_SLOTS - 1 ? s : DL_SLOTS - 1;
}

enum drule_scope {
	DS_CODE,    /* comments removed, string contents blanked */
	DS_STRINGS, /* comments removed */
	DS_RAW,     /* the file as is */
	DS_IMPORT,  /* extracted import names (and manifest packages) */
	DS_PACKAGE, /* manifest dependency names only */
};

struct drule {
	char *id;
	char *description;
	char *category; /* "ml", "framework", "concurrency", "service" */
	char *signal;
	char *favours;   /* "python", "go", "none" */
	char *binding;   /* ML only: native, remote-sdk, framework, tooling */
	char *lang_name; /* as written: "python", "go", "any", ... */
	char *file;      /* rule file name, for messages */
	unsigned langs;  /* enum drule_lang bits */
	enum drule_scope scope;
	double weight;
	char *regex;
	char *keyword;
	char **packages; /* NULL-terminated; PEP 503 names, Go module paths */
	char **imports;  /* NULL-terminated import roots / module paths */
	/* facts that must all hold for a pattern finding to count, NULL-
	 * terminated: "import:X" (the same file imports X), "dep:X" (the
	 * repository declares X; checked after all files, detect_deps.c) */
	char **requires;
	char **ex_match, **ex_nomatch;
	pcre2_code *code;
	int index;
	int *kw_ids; /* keyword ids in the automaton, nr_kw of them */
	size_t nr_kw;
	int windowed;   /* the regex runs only next to its keywords' hits */
	int derived_kw; /* the keywords are the regex's literals (relit.h) */
	int refined_kw; /* the same, in place of the written ones */
	int anchored;   /* every match starts with one of the keywords */
	int jit;        /* the regex is machine code: pcre2_jit_match() */
};

/* The rule's regex at `off` of s: pcre2_jit_match() when it is machine
 * code (it skips the checks of arguments the detector built itself:
 * 13 ns a failed call instead of 20), else pcre2_match(). */
static inline int drule_match(const struct drule *r,
                              const char *s,
                              size_t len,
                              size_t off,
                              pcre2_match_data *md,
                              pcre2_match_context *mc)
{
	return r->jit ? pcre2_jit_match(r->code, (PCRE2_SPTR)s, len, off, 0, md,
	                                mc)
	              : pcre2_match(r->code, (PCRE2_SPTR)s, len, off, 0, md,
	                            mc);
}

struct pyo_detect_rules {
	struct drule **rules;
	size_t nr, alloc;
	/* import name -> struct dlist of rule indices, per language */
	struct pyo_strmap py_imports, go_imports;
	/* dependency name -> struct dlist, per ecosystem */
	struct pyo_strmap pypi_packages, go_packages;
	/* import rules given as a regex over the import name */
	struct dlist *re_imports;
	int finished;
	struct drule **requiring; /* the rules with "requires" facts */
	size_t nr_requiring;
	size_t max_captures;
	/* every keyword, for its id (never scanned) */
	struct kw_automaton keywords;
	/* the prefilter of each file language (detect_lang_slot()): the
	 * keywords of its rules only, so that "return" in Python does not
	 * stop at the proto keyword "returns", nor "async" at "sync." */
	struct kw_automaton by_lang[DL_SLOTS];
	/* per file language: its regex rules (indices), and whether any
	 * rule at all applies */
	int *slot_rules[DL_SLOTS];
	size_t nr_slot_rules[DL_SLOTS];
	unsigned char slot_used[DL_SLOTS];
};

/* A small list of rule indices (a strmap value). */
struct dlist {
	size_t nr, alloc;
	int *idx;
};

/*
 * Drops the findings (from index `from` on, all but manifest findings, or
 * only pattern findings) of the requiring rules k with hold[k] == 0; hold
 * follows dr->requiring (detect_deps.c). `present` (or NULL), per rule
 * index: whether the rule has findings there at all.
 */
void detect_drop_unheld(struct pyo_findings *fs,
                        size_t from,
                        const struct pyo_detect_rules *dr,
                        const unsigned char *hold,
                        int patterns_only,
                        const unsigned char *present);

/* Builds the automaton over every rule keyword (detect_load.c). */
int detect_build_keywords(struct pyo_detect_rules *dr);

#define KW_MAX_PER_RULE 32 /* rules with more run over whole files */

/* PEP 503: lower case, runs of -_. become one -. */
void detect_pep503(char *out, size_t outsz, const char *in);

/* A finding's snippet: at most this many bytes of its line. */
#define SNIPPET_MAX 120

/* The rule set's detector part (NULL when none was loaded). */
const struct pyo_detect_rules *detect_rules_of(const struct pyo_rules *r);

/* A detector over `dr` (pyo_detector_new() takes the whole rule set). */
int detect_detector_new(struct pyo_detector **out,
                        const struct pyo_detect_rules *dr);

/* Language bits of a Linguist language name ("Python" -> DL_PYTHON). */
unsigned detect_lang_bits(const char *linguist_name);

/* Which rule language a lex_lang example runs as. */
enum lex_lang detect_rule_lexer(const struct drule *r);

/* Linguist name to run a rule's examples as ("Python", "Go", ...). */
const char *detect_rule_example_lang(const struct drule *r);

/* The rules an import name maps to (longest dotted / path prefix). */
const struct dlist *detect_lookup_import(const struct pyo_detect_rules *dr,
                                         int is_go,
                                         const char *name,
                                         size_t *matched_len);
const struct dlist *detect_lookup_package(const struct pyo_detect_rules *dr,
                                          const char *ecosystem,
                                          const char *name);

#endif
