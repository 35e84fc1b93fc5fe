/*
 * langdb.h: the loaded language database (rules/languages.json,
 * heuristics.json, paths.json) as classify.c, lines.c and notebook.c see
 * it. Built once by pyo_langdb_load()/pyo_langdb_finish(); read-only
 * afterwards, so any number of threads may classify with it at once.
 */
#ifndef PYORGO_LANGDB_H
#define PYORGO_LANGDB_H

#include <pcre2.h>

#include "pyorgo/classify.h"
#include "kwset.h"
#include "strmap.h"
#include "vec.h"

/* A string delimiter for the line counter. */
struct pyo_lang_quote {
	char *open, *close;
	int is_multiline; /* may span lines ("""...""", `...`) */
	int is_raw;       /* backslash does not escape */
};

struct pyo_language {
	char *name;
	enum pyo_lang_type type;
	char *group; /* Linguist's group, or NULL */
	char **aliases, **extensions, **filenames, **interpreters;
	char **examples; /* paths that must classify to this language */

	char **line_comments; /* "#", "//" */
	size_t nr_line_comments;
	char **block_open, **block_close; /* parallel, "/ *" "* /" */
	size_t nr_blocks;
	struct pyo_lang_quote *quotes;
	size_t nr_quotes;
	int is_nested_blocks; /* block comments nest (Rust, Haskell) */
	unsigned char first_bytes[256];        /* 1: a marker may start here */
	size_t order;                          /* position in languages.json */
	const struct pyo_language *group_lang; /* itself when no group */
};

/*
 * A regex with the literals it requires in front (relit.h): a text that
 * holds none of them is answered without running the regex.
 */
struct pyo_regex {
	pcre2_code *code;
	struct kw_automaton *lits; /* NULL: the regex always runs */
};

/* Languages sharing a key (extension, file name, interpreter). */
struct pyo_cands {
	const struct pyo_language **v;
	size_t nr, alloc;
};

/* One regex test of a heuristic rule: all `pos` match, no `neg` matches. */
struct pyo_heur_rule {
	const struct pyo_language **langs; /* one or more (narrowing) */
	size_t nr_langs;
	char **lang_names;
	struct pyo_regex *pos; /* each must match (an "and") */
	size_t nr_pos;
	struct pyo_regex *neg; /* none may match */
	size_t nr_neg;
	char **match, **nomatch; /* example contents */
	char *pointer;           /* JSON pointer, for messages */
};

struct pyo_heur_block {
	char *id;
	char **extensions;
	struct pyo_heur_rule *rules;
	size_t nr_rules;
};

enum pyo_path_category {
	PYO_PC_VENDORED,
	PYO_PC_GENERATED,
	PYO_PC_DOCUMENTATION,
	PYO_PC_BINARY,
	PYO_PC_SCOPE,
	PYO_PC_COUNT
};

struct pyo_path_rule {
	char *id, *description;
	enum pyo_path_category category;
	enum pyo_scope scope; /* PYO_PC_SCOPE only */
	char *pattern;        /* path regex source, or NULL */
	char *content;        /* content regex source, or NULL */
	pcre2_code *re_path;  /* asked only once the set's union matched */
	struct pyo_regex re_content;
	double min_avg_line;       /* > 0: average line length above this */
	char **match, **nomatch;   /* path examples */
	char **cmatch, **cnomatch; /* content examples: path\0content */
	size_t content_bytes;      /* how much content to look at */
	unsigned order;            /* position in its category */
	int dir_only; /* ends with '/': decided by the folder, not the name */
};

/* Path-only rules of one category, and their union for a quick "any?". */
struct pyo_path_set {
	struct pyo_path_rule **rules;
	size_t nr, alloc;
	struct pyo_regex any; /* (?:r1)|(?:r2)|...; code NULL when empty */
	/* the same union split: rules about folders (answered once per
	 * folder) and the others (asked for every path) */
	struct pyo_regex any_dir, any_file;
};

struct pyo_langdb {
	unsigned long generation;  /* tells memos of two rule sets apart */
	struct pyo_vec languages;  /* struct pyo_language *, file order */
	struct pyo_strmap by_name; /* lower-case name and aliases */
	struct pyo_strmap by_ext;  /* lower-case ".ext" -> pyo_cands */
	struct pyo_strmap by_filename;
	struct pyo_strmap by_interpreter;
	struct pyo_vec heur_blocks;    /* struct pyo_heur_block * */
	struct pyo_strmap heur_by_ext; /* ".ext" -> pyo_heur_block */
	struct pyo_vec path_rules;     /* struct pyo_path_rule *, all */
	struct pyo_path_set sets[PYO_PC_COUNT]; /* path-only rules */
	struct pyo_vec content_rules;           /* rules with a content test */
	struct pyo_regex content_any; /* union of their path filters */
	int content_all;              /* a content rule applies to every path */
	const struct pyo_language *text;     /* "Text", for fallbacks */
	const struct pyo_language *notebook; /* "Jupyter Notebook" */
	pcre2_code *modeline_vim, *modeline_emacs;
	char *versions; /* "languages@1,heuristics@1,paths@1" */
	int is_finished;
};

/* Loader internals shared between langdb_*.c files. */
struct rules_file;

/* Lower-cases `s` into out[n]; -1 when it does not fit. */
int langdb_lower_key(char *out, size_t n, const char *s);
/* Compiles `src`; on failure NULL, with `*error` set to a rules error at
 * `ptr`. */
pcre2_code *langdb_re_compile(const struct rules_file *f,
                              const char *ptr,
                              const char *src,
                              uint32_t opts,
                              int *error);
/* langdb_heur.c: rules/heuristics.json. */
int langdb_load_heuristics(struct pyo_langdb *db, const struct rules_file *f);
int langdb_resolve_heuristics(struct pyo_langdb *db);
void langdb_heur_block_free(void *p);
/* langdb_paths.c: rules/paths.json and the unions of its path rules. */
int langdb_load_paths(struct pyo_langdb *db, const struct rules_file *f);
int langdb_build_union(struct pyo_path_set *s);
int langdb_build_content_union(struct pyo_langdb *db);
void langdb_path_rule_free(void *p);

/* Internal helpers shared between classify*.c files. */
const struct pyo_language *pyo_language_find_db(const struct pyo_langdb *db,
                                                const char *name);
const struct pyo_cands *
pyo_langdb_cands(const struct pyo_strmap *map, const char *key, size_t len);
/* Per-call match state: never shared between threads. */
struct pyo_match {
	pcre2_match_data *md;
	pcre2_match_context *mc; /* match limit against hostile input */
	/* folder rules' answers for the last folder asked about: the files
	 * of a tree come folder by folder */
	const struct pyo_langdb *dir_db;
	unsigned long dir_gen;
	char *dir;
	size_t dir_len, dir_alloc;
	unsigned dir_known;
	const struct pyo_path_rule *dir_rule[PYO_PC_COUNT];
};

int pyo_match_init(struct pyo_match *m);
void pyo_match_release(struct pyo_match *m);
/* 1 when `re` matches within data[0..len), 0 if not (or on limits). */
int pyo_re_match(const pcre2_code *re,
                 const char *data,
                 size_t len,
                 struct pyo_match *m);
/* 1 when `re` (code not NULL) matches, its prefilter first. */
int pyo_regex_match(const struct pyo_regex *re,
                    const char *data,
                    size_t len,
                    struct pyo_match *m);
/* Frees the code and the prefilter (pyo_relit_kwset() builds it). */
void langdb_regex_release(struct pyo_regex *re);
/* Matches the path-only rules; returns the first matching rule or NULL. */
const struct pyo_path_rule *pyo_langdb_path_match(const struct pyo_langdb *db,
                                                  enum pyo_path_category c,
                                                  const char *path,
                                                  struct pyo_match *md);
/* The calling thread's match state, freed when the thread ends; NULL when
 * out of memory. */
struct pyo_match *classify_thread_match(void);
/* 1 when a content rule may apply to `path` (it needs its content). */
int classify_has_content_rule(const struct pyo_langdb *db,
                              const char *path,
                              struct pyo_match *md);
/* The first content rule matching `path` and `data`, or NULL. */
const struct pyo_path_rule *
classify_content_generated(const struct pyo_langdb *db,
                           const char *path,
                           const char *data,
                           size_t len,
                           struct pyo_match *md);
#endif
