/*
 * jsonw.h: a small streaming JSON writer with correct escaping (invalid
 * UTF-8 becomes U+FFFD). Used for reports and JSON Lines, where building
 * a cJSON tree would cost memory for nothing.
 */
#ifndef PYORGO_JSONW_H
#define PYORGO_JSONW_H

#include <stdint.h>
#include <stdio.h>

/*
 * Output goes through `buf` and reaches `out` when it is full and when a
 * top-level value ends (a report writes hundreds of thousands of small
 * pieces: one stdio call each cost 60% of the writing). Write to `out`
 * directly only between top-level values.
 */
struct pyo_jsonw {
	FILE *out;
	int depth;
	int pretty;
	int need_comma[64];
	size_t n;
	char buf[16384];
};

void pyo_jsonw_init(struct pyo_jsonw *w, FILE *out, int pretty);
void pyo_jsonw_obj_begin(struct pyo_jsonw *w);
void pyo_jsonw_obj_end(struct pyo_jsonw *w);
void pyo_jsonw_arr_begin(struct pyo_jsonw *w);
void pyo_jsonw_arr_end(struct pyo_jsonw *w);
/* Writes a key inside an object; the next call writes its value. */
void pyo_jsonw_key(struct pyo_jsonw *w, const char *key);
void pyo_jsonw_str(struct pyo_jsonw *w, const char *s); /* NULL -> null */
void pyo_jsonw_strn(struct pyo_jsonw *w, const char *s, size_t n);
void pyo_jsonw_int(struct pyo_jsonw *w, long long v);
void pyo_jsonw_uint(struct pyo_jsonw *w, unsigned long long v);
/* Fixed precision so output is byte-identical across runs. */
void pyo_jsonw_double(struct pyo_jsonw *w, double v, int decimals);
void pyo_jsonw_bool(struct pyo_jsonw *w, int v);
void pyo_jsonw_null(struct pyo_jsonw *w);
/* Key-value shortcuts. */
void pyo_jsonw_kstr(struct pyo_jsonw *w, const char *k, const char *s);
void pyo_jsonw_kint(struct pyo_jsonw *w, const char *k, long long v);
void pyo_jsonw_kuint(struct pyo_jsonw *w, const char *k, unsigned long long v);
void pyo_jsonw_kdouble(struct pyo_jsonw *w, const char *k, double v, int dec);
void pyo_jsonw_kbool(struct pyo_jsonw *w, const char *k, int v);

/* Length of the valid UTF-8 sequence at `s`, or 0 when invalid. */
size_t pyo_utf8_valid_len(const unsigned char *s, size_t n);
/* Writes `s` as a quoted JSON string. */
void pyo_json_put_string(FILE *f, const char *s, size_t n);

#endif
