/*
 * detect.c: runs the detector rules on one file. The file is masked once
 * per scope its rules need (lex.c), the keyword prefilter finds where rule
 * keywords occur (detect_kw.c), each regex rule runs next to them
 * (detect_match.c), and imports are extracted once and looked up in the
 * rule tables (detect_imports.c). Per-thread state (match data, match
 * context with limits, JIT stack, buffers) lives in struct pyo_detector.
 * Dependencies and path scopes are in detect_deps.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"
#include "report_int.h"
#include "rules_int.h"
#include "strutil.h"
#include "vec.h"

#include "banned.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000
#define JIT_STACK_MAX (1024 * 1024)
#define HUGE_LINE (1024 * 1024)
#define BINARY_PROBE 8000

static const struct {
	const char *name;
	unsigned bits;
} linguist_bits[] = {
	{ "Python", DL_PYTHON },
	{ "Jupyter Notebook", DL_PYTHON },
	{ "Go", DL_GO },
	{ "Protocol Buffer", DL_PROTO },
	{ "Dockerfile", DL_DOCKER },
	{ "YAML", DL_YAML },
	{ "Shell", DL_SHELL },
	{ "TOML", DL_TOML },
	{ "JSON", DL_JSON },
	{ "Nginx", DL_CONFIG },
	{ "INI", DL_CONFIG },
	{ "Makefile", DL_CONFIG },
	{ "Procfile", DL_CONFIG },
};

unsigned detect_lang_bits(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < sizeof(linguist_bits) / sizeof(linguist_bits[0]); i++)
		if (!strcmp(linguist_bits[i].name, name))
			return linguist_bits[i].bits;
	return DL_OTHER;
}

const char *detect_rule_example_lang(const struct drule *r)
{
	if (r->langs == DL_ANY)
		return "Text";
	if (r->langs & DL_PYTHON)
		return "Python";
	if (r->langs & DL_GO)
		return "Go";
	if (r->langs & DL_PROTO)
		return "Protocol Buffer";
	if (r->langs & DL_DOCKER)
		return "Dockerfile";
	if (r->langs & DL_YAML)
		return "YAML";
	if (r->langs & DL_SHELL)
		return "Shell";
	if (r->langs & DL_TOML)
		return "TOML";
	if (r->langs & DL_JSON)
		return "JSON";
	return "Nginx";
}

enum lex_lang detect_rule_lexer(const struct drule *r)
{
	return lex_lang_for(detect_rule_example_lang(r));
}

int pyo_detector_new(struct pyo_detector **out, const struct pyo_rules *rules)
{
	return detect_detector_new(out, detect_rules_of(rules));
}

int detect_detector_new(struct pyo_detector **out,
                        const struct pyo_detect_rules *dr)
{
	struct pyo_detector *d;
	int error = PYO_ERROR;

	d = calloc(1, sizeof(*d));
	if (!d)
		return pyo_error_oom();
	d->dr = dr;
	d->md = pcre2_match_data_create(
	        (uint32_t)((dr ? dr->max_captures : 0) + 1), NULL);
	d->mc = pcre2_match_context_create(NULL);
	d->js = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	d->found = calloc(
	        dr && dr->keywords.nr_keywords ? dr->keywords.nr_keywords : 1,
	        1);
	d->hits.first = calloc(
	        dr && dr->keywords.nr_keywords ? dr->keywords.nr_keywords : 1,
	        sizeof(*d->hits.first));
	d->hold = calloc(dr && dr->nr_requiring ? dr->nr_requiring : 1, 1);
	d->light = calloc(dr && dr->nr ? dr->nr : 1, 1);
	d->per_rule = calloc(dr && dr->nr ? dr->nr : 1, 1);
	d->runnable = calloc(dr && dr->nr ? dr->nr : 1, sizeof(*d->runnable));
	if (!d->md || !d->mc || !d->js || !d->found || !d->hits.first ||
	    !d->hold || !d->light || !d->per_rule || !d->runnable) {
		error = pyo_error_oom();
		goto done;
	}
	/* the language cache starts at "" (see pyo_detect_file()) */
	d->last_bits = detect_lang_bits("");
	d->last_lx = lex_lang_for("");
	pcre2_set_match_limit(d->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(d->mc, DEPTH_LIMIT);
	pcre2_jit_stack_assign(d->mc, NULL, d->js);
	*out = d;
	d = NULL;
	error = 0;
done:
	pyo_detector_free(d);
	return error;
}

void pyo_detector_free(struct pyo_detector *d)
{
	if (!d)
		return;
	pcre2_match_data_free(d->md);
	pcre2_match_context_free(d->mc);
	pcre2_jit_stack_free(d->js);
	free(d->code);
	free(d->strs);
	free(d->own.starts);
	free(d->found);
	free(d->hits.items);
	free(d->hits.first);
	free(d->hold);
	free(d->light);
	free(d->per_rule);
	free(d->runnable);
	imp_list_clear(&d->imps);
	free(d);
}

static int ensure_bufs(struct pyo_detector *d, size_t len)
{
	char *a, *b;

	if (len <= d->buf_alloc)
		return 0;
	a = realloc(d->code, len);
	if (!a)
		return pyo_error_oom();
	d->code = a;
	b = realloc(d->strs, len);
	if (!b)
		return pyo_error_oom();
	d->strs = b;
	d->buf_alloc = len;
	return 0;
}

/* The longest line's length (only a long text can have a huge line). */
static size_t longest_line(const struct pyo_detector *d, size_t len)
{
	size_t i, longest = 0;

	if (len <= HUGE_LINE)
		return len;
	for (i = 0; i < d->nr_lines; i++) {
		size_t e = i + 1 < d->nr_lines ? d->lines[i + 1] - 1 : len;

		if (e - d->lines[i] > longest)
			longest = e - d->lines[i];
	}
	return longest;
}

/* 0-based line index of `off`. */
size_t detect_line_of(struct pyo_detector *d, size_t off)
{
	size_t lo = 0, hi = d->nr_lines, step = 1;

	/* a rule asks in file order: gallop on from its last answer */
	if (d->line_hint < d->nr_lines && d->lines[d->line_hint] <= off) {
		lo = d->line_hint;
		while (lo + step < d->nr_lines && d->lines[lo + step] <= off) {
			lo += step;
			step *= 2;
		}
		if (lo + step < hi)
			hi = lo + step;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	d->line_hint = lo;
	return lo;
}

/* Copies at most SNIPPET_MAX bytes of the trimmed line as valid UTF-8. */
static void
make_snippet(char *out, const char *s, size_t len, size_t line_start, size_t at)
{
	size_t e = line_start, b = line_start, o = 0, i;
	const char *nl = memchr(s + line_start, '\n', len - line_start);

	e = nl ? (size_t)(nl - s) : len;
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b &&
	       (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
		e--;
	if (e - b > SNIPPET_MAX && at > b + 40)
		b = at - 40 < e ? at - 40 : b;
	if (e - b > SNIPPET_MAX)
		e = b + SNIPPET_MAX;
	for (i = b; i < e;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 0, k;

		if (c < 0x80) {
			out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			n = 2;
		else if ((c & 0xf0) == 0xe0)
			n = 3;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			n = 4;
		for (k = 1; n && k < n; k++)
			if (i + k >= e ||
			    ((unsigned char)s[i + k] & 0xc0) != 0x80)
				n = 0;
		if (!n) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
}

static void lower(char *out, size_t sz, const char *in)
{
	size_t o = 0;

	for (; in && *in && o + 1 < sz; in++)
		out[o++] = (*in >= 'A' && *in <= 'Z') ? (char)(*in - 'A' + 'a')
		                                      : *in;
	out[o] = '\0';
}

void detect_warnf(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!c->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->warn(c->payload, msg);
}

void pyo_detector_set_arena(struct pyo_detector *d, struct pyo_arena *arena)
{
	d->arena = arena;
}

void pyo_detector_set_light(struct pyo_detector *d,
                            pyo_light_cb is_light,
                            pyo_intern_cb intern,
                            void *payload)
{
	d->is_light = is_light;
	d->intern = intern;
	d->light_payload = payload;
}

unsigned pyo_detector_most_per_rule(const struct pyo_detector *d)
{
	return d->most;
}

/* 1 when the caller will only count this finding (no snippet needed). */
static int make_light(struct ctx *c, const struct drule *r, const char *detail)
{
	struct pyo_detector *d = c->d;

	if (!d->is_light || r->index < 0)
		return 0;
	/* an import finding stays whole until its detail was seen: asked
	 * each time (made whole, most were made light after) */
	if (detail &&
	    !d->is_light(d->light_payload, r->id, c->scope, r->signal, detail))
		return 0;
	if (!detail && !d->light[r->index])
		d->light[r->index] = d->is_light(d->light_payload, r->id,
		                                 c->scope, r->signal, NULL)
		                             ? 2
		                             : 1;
	if (!detail && d->light[r->index] != 2)
		return 0;
	if (!d->light_lang &&
	    !(d->light_lang = d->intern(d->light_payload, c->language)))
		return 0;
	return 1;
}

int detect_add_finding(struct ctx *c,
                       const struct drule *r,
                       size_t off,
                       const char *detail,
                       enum pyo_where where)
{
	struct pyo_finding f = { 0 };
	char snippet[SNIPPET_MAX * 4 + 1];
	size_t li = detect_line_of(c->d, off);

	if (r->index >= 0 && c->d->per_rule[r->index] < 255 &&
	    ++c->d->per_rule[r->index] > c->d->most)
		c->d->most = c->d->per_rule[r->index];
	f.rule_id = r->id;
	f.category = r->category;
	f.signal = r->signal;
	f.weight = r->weight;
	f.path = (char *)c->path;
	f.line = (unsigned)(li + 1);
	f.column = (unsigned)(off - c->d->lines[li] + 1);
	f.where = where;
	f.scope = c->scope;
	if (make_light(c, r, detail) &&
	    (!detail ||
	     (f.detail = (char *)c->d->intern(c->d->light_payload, detail)))) {
		f.language = (char *)c->d->light_lang;
		f.strings = PYO_FINDING_BORROWED;
	} else {
		make_snippet(snippet, c->data, c->len, c->d->lines[li], off);
		f.language = c->language;
		f.snippet = snippet;
		f.detail = (char *)detail;
	}
	return pyo_findings_add_in(c->out, &f, c->d->arena);
}

/* 0 when none of the rule's keywords occurs (it cannot match). */
static int rule_may_match(const struct pyo_detector *d, const struct drule *r)
{
	size_t k;

	if (!r->nr_kw)
		return 1;
	for (k = 0; k < r->nr_kw; k++)
		if (d->found[r->kw_ids[k]])
			return 1;
	return 0;
}

int pyo_detect_file(struct pyo_detector *d,
                    struct pyo_findings *out,
                    const char *path,
                    const char *lang,
                    enum pyo_scope scope,
                    const char *data,
                    size_t len,
                    pyo_warn_cb warn,
                    void *warn_payload)
{
	return pyo_detect_file_lines(d, out, path, lang, scope, data, len, NULL,
	                             warn, warn_payload);
}

int pyo_detect_file_lines(struct pyo_detector *d,
                          struct pyo_findings *out,
                          const char *path,
                          const char *lang,
                          enum pyo_scope scope,
                          const char *data,
                          size_t len,
                          const struct pyo_line_index *lines,
                          pyo_warn_cb warn,
                          void *warn_payload)
{
	const struct pyo_detect_rules *dr = d ? d->dr : NULL;
	struct ctx c = { 0 };
	unsigned bits;
	enum lex_lang lx;
	int need_code = 0, need_strs = 0, error;
	size_t i, longest, first, nr_runnable;
	unsigned slot;
	const int *rules;

	if (!dr || !data)
		return 0;
	if (d->most) {
		memset(d->per_rule, 0, dr->nr);
		d->most = 0;
	}
	/* files come language by language: one lookup per change */
	if (!lang || strcmp(lang, d->last_lang)) {
		snprintf(d->last_lang, sizeof(d->last_lang), "%s",
		         lang ? lang : "");
		d->last_bits = detect_lang_bits(lang);
		d->last_lx = lex_lang_for(lang);
	}
	bits = d->last_bits;
	lx = d->last_lx;
	if (!bits || !dr->slot_used[slot = detect_lang_slot(bits)])
		return 0;
	first = out->nr;
	rules = dr->slot_rules[slot];

	c.d = d;
	c.out = out;
	c.path = path;
	c.data = data;
	c.len = len;
	c.scope = scope;
	c.warn = warn;
	c.payload = warn_payload;
	lower(c.language, sizeof(c.language), lang);
	if (d->is_light) {
		memset(d->light, 0, dr->nr);
		d->light_lang = NULL;
	}

	if (memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)) {
		detect_warnf(&c, "%s: binary content, detectors skipped", path);
		return 0;
	}
	if (!lines || !lines->nr) {
		/* a text nobody counted: the count finds where lines start */
		struct pyo_line_counts unused;

		if ((error = pyo_count_lines_index(&unused, NULL, data, len,
		                                   &d->own)) < 0)
			return error;
		lines = &d->own;
	}
	d->lines = lines->starts;
	d->nr_lines = lines->nr;
	d->line_hint = 0;
	if ((longest = longest_line(d, len)) > HUGE_LINE)
		detect_warnf(
		        &c,
		        "%s: a line of %zu bytes; patterns may stop at the match "
		        "limit",
		        path, longest);
	if ((error = ensure_bufs(d, len ? len : 1)) < 0)
		return error;
	if (dr->keywords.nr_keywords) {
		memset(d->found, 0, dr->keywords.nr_keywords);
		kw_scan(&dr->by_lang[slot], d->found, &d->hits, data, len);
	}
	/* mask only what a rule whose keywords occur will read: a lexer
	 * pass is as costly as a regex pass */
	for (i = 0, nr_runnable = 0; i < dr->nr_slot_rules[slot]; i++) {
		const struct drule *r = dr->rules[rules[i]];

		if (!rule_may_match(d, r))
			continue;
		d->runnable[nr_runnable++] = r;
		if (r->scope == DS_CODE)
			need_code = 1;
		else if (r->scope == DS_STRINGS)
			need_strs = 1;
	}
	if (bits & DL_PYTHON)
		need_code = 1; /* imports are read from the code */
	if (bits & DL_GO)
		need_strs = 1; /* Go import paths are strings */
	/* one pass for both views */
	lex_mask2(need_code ? d->code : NULL, need_strs ? d->strs : NULL, data,
	          len, lx);

	for (i = 0; i < nr_runnable; i++) {
		const struct drule *r = d->runnable[i];
		const char *subj;

		subj = r->scope == DS_CODE      ? d->code
		       : r->scope == DS_STRINGS ? d->strs
		                                : data;
		if ((error = detect_run_regex(&c, r, subj, len)) < 0)
			return error;
	}
	imp_list_reset(&d->imps);
	if (bits == DL_PYTHON)
		error = detect_run_imports(&c, bits, 0, d->code, len);
	else if (bits == DL_GO)
		error = detect_run_imports(&c, bits, 1, d->strs, len);
	if (!error && dr->nr_requiring)
		detect_apply_requires(&c, first, bits);
	return error;
}
