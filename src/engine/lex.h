/*
 * lex.h: light per-language lexers that mask comments and string literals
 * with spaces, keeping every newline and byte offset, so a pattern run over
 * the masked text reports the line and column of the original. Byte
 * oriented: any input (binary, invalid UTF-8, NUL bytes) is accepted.
 */
#ifndef PYORGO_LEX_H
#define PYORGO_LEX_H

#include <stddef.h>

enum lex_lang {
	LEX_NONE,   /* no masking (raw text) */
	LEX_PYTHON, /* # comments; '', "", ''' ''', """ """ with prefixes */
	LEX_GO,     /* // and block comments; "", '' runes, `raw` strings */
	LEX_C,      /* C family and .proto: like Go without raw strings */
	LEX_JS,     /* like C, plus `template` strings */
	LEX_HASH,   /* shell, YAML, TOML, Dockerfile, Makefile: # comments */
};

enum lex_mode {
	LEX_CODE,    /* comments removed, string contents blanked */
	LEX_STRINGS, /* comments removed, string literals kept */
};

/*
 * Writes `len` bytes to `out` (which must hold `len` bytes): `in` with
 * comments (and, in LEX_CODE mode, the contents of string literals, quotes
 * kept) replaced by spaces. Newlines are always kept.
 */
void lex_mask(char *out,
              const char *in,
              size_t len,
              enum lex_lang lang,
              enum lex_mode mode);

/*
 * Both views at once, in one pass: `code` as LEX_CODE, `strs` as
 * LEX_STRINGS (either may be NULL; each holds `len` bytes).
 */
void lex_mask2(
        char *code, char *strs, const char *in, size_t len, enum lex_lang lang);

/* The lexer for a Linguist language name ("Python", "Go", "YAML", ...). */
enum lex_lang lex_lang_for(const char *linguist_name);

#endif
