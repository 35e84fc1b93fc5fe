/*
 * detect.c: runs the detector rules on one file. The file is masked once
 * per scope its rules need (lex.c), each regex rule runs over the whole
 * masked text after a literal prefilter, and imports are extracted once and
 * looked up in the rule tables. Per-thread state (match data, match context
 * with limits, JIT stack, buffers) lives in struct pyo_detector.
 * Dependencies and path scopes are in detect_deps.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/detect.h"
#include "detect_rules.h"
#include "imports.h"
#include "rules_int.h"
#include "strutil.h"
#include "vec.h"

#include "banned.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000
#define JIT_STACK_MAX (1024 * 1024)
#define MAX_PER_RULE PYO_FINDINGS_PER_FILE /* a rule says no more with more */
#define HUGE_LINE (1024 * 1024)
#define BINARY_PROBE 8000

struct pyo_detector {
	const struct pyo_detect_rules *dr;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
	char *code, *strs;
	size_t buf_alloc;
	size_t *lines; /* offsets of line starts of the current file */
	size_t nr_lines, alloc_lines;
	struct imp_list imps;
	unsigned char *found; /* keywords present in the current file */
	struct kw_hits hits;  /* where they are */
};

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
	/* Other languages only see "any" rules. */
	return 1u << 30;
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
	d->found = calloc(dr && dr->ac.nr_keywords ? dr->ac.nr_keywords : 1, 1);
	d->hits.first =
	        calloc(dr && dr->ac.nr_keywords ? dr->ac.nr_keywords : 1,
	               sizeof(*d->hits.first));
	if (!d->md || !d->mc || !d->js || !d->found || !d->hits.first) {
		error = pyo_error_oom();
		goto done;
	}
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
	free(d->lines);
	free(d->found);
	free(d->hits.items);
	free(d->hits.first);
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

/* Line-start index; returns the longest line's length. */
static int
index_lines(struct pyo_detector *d, const char *s, size_t len, size_t *longest)
{
	size_t i = 0;

	d->nr_lines = 0;
	*longest = 0;
	for (;;) {
		const char *nl;
		size_t e;

		if (PYO_ARRAY_GROW(d->lines, d->nr_lines, d->alloc_lines) < 0)
			return PYO_ERROR;
		d->lines[d->nr_lines++] = i;
		nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
		e = nl ? (size_t)(nl - s) : len;
		if (e - i > *longest)
			*longest = e - i;
		if (!nl)
			return 0;
		i = e + 1;
	}
}

/* 0-based line index of `off`. */
static size_t line_of(const struct pyo_detector *d, size_t off)
{
	size_t lo = 0, hi = d->nr_lines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
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

struct ctx {
	struct pyo_detector *d;
	struct pyo_findings *out;
	const char *path, *data;
	size_t len;
	char language[32];
	enum pyo_scope scope;
	pyo_warn_cb warn;
	void *payload;
};

static void warnf(struct ctx *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void warnf(struct ctx *c, const char *fmt, ...)
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

static int add_finding(struct ctx *c,
                       const struct drule *r,
                       size_t off,
                       const char *detail,
                       enum pyo_where where)
{
	struct pyo_finding f = { 0 };
	char snippet[SNIPPET_MAX * 4 + 1];
	size_t li = line_of(c->d, off);

	make_snippet(snippet, c->data, c->len, c->d->lines[li], off);
	f.rule_id = r->id;
	f.category = r->category;
	f.signal = r->signal;
	f.language = c->language;
	f.weight = r->weight;
	f.path = (char *)c->path;
	f.line = (unsigned)(li + 1);
	f.column = (unsigned)(off - c->d->lines[li] + 1);
	f.snippet = snippet;
	f.detail = (char *)detail;
	f.where = where;
	f.scope = c->scope;
	return pyo_findings_add(c->out, &f);
}

static int is_limit_error(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* Any of the '|'-separated literals of `kw` occurs in `s`. */
static int has_keyword(const char *s, size_t len, const char *kw)
{
	while (*kw) {
		const char *e = strchr(kw, '|');
		size_t n = e ? (size_t)(e - kw) : strlen(kw);

		if (n && pyo_memmem(s, len, kw, n))
			return 1;
		if (!e)
			break;
		kw = e + 1;
	}
	return 0;
}

/*
 * Takes the match in the match data: a finding on its line unless the
 * last one was there. Sets *next to where to look next: past the line,
 * one finding per line is enough.
 */
static int take_match(struct ctx *c,
                      const struct drule *r,
                      const char *subj,
                      size_t len,
                      size_t *last_line,
                      size_t *count,
                      size_t *next)
{
	const struct pyo_detector *d = c->d;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md), at = ov[0], off;
	size_t li;

	/* \K can put the start after the end: take the end then. */
	if (at > ov[1])
		at = ov[1];
	while (at < ov[1] && (subj[at] == ' ' || subj[at] == '\t' ||
	                      subj[at] == '\n' || subj[at] == '\r'))
		at++;
	if (at >= len && len)
		at = len - 1;
	li = line_of(d, at);
	if (li != *last_line) {
		int error = add_finding(c, r, at, NULL, PYO_WHERE_PATTERN);

		if (error < 0)
			return error;
		*last_line = li;
		(*count)++;
	}
	off = li + 1 < d->nr_lines ? d->lines[li + 1] : len + 1;
	if (off <= ov[0])
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	*next = off;
	return 0;
}

enum { NO_MATCH, MATCHED, STOPPED };

/* MATCHED, NO_MATCH, or STOPPED (at a limit, warned). */
static int match_at(struct ctx *c,
                    const struct drule *r,
                    const char *subj,
                    size_t len,
                    size_t off)
{
	int rc = pcre2_match(r->code, (PCRE2_SPTR)subj, len, off, 0, c->d->md,
	                     c->d->mc);
	char msg[128];

	if (rc >= 0)
		return MATCHED;
	if (rc == PCRE2_ERROR_NOMATCH)
		return NO_MATCH;
	pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof(msg));
	warnf(c, "%s: rule '%s' stopped: %s%s", c->path, r->id, msg,
	      is_limit_error(rc) ? " (rest of file skipped for this rule)"
	                         : "");
	return STOPPED;
}

/*
 * The rule's regex next to its keywords only: for each hit, in file
 * order, a match that starts between the line before the hit and the
 * hit itself (the match offset limit). A match holds one of its rule's
 * keywords (the prefilter rests on that), so only a match that starts
 * more than a line before its keyword is not looked for.
 */
static int
run_windows(struct ctx *c, const struct drule *r, const char *subj, size_t len)
{
	struct pyo_detector *d = c->d;
	uint32_t cur[KW_MAX_PER_RULE];
	size_t k, off = 0, last_line = (size_t)-1, count = 0;
	int error = 0;

	for (k = 0; k < r->nr_kw; k++)
		cur[k] = d->hits.first[r->kw_ids[k]];
	while (count < MAX_PER_RULE) {
		size_t at = (size_t)-1, kb = 0, li, from;

		for (k = 0; k < r->nr_kw; k++)
			if (cur[k] != KW_NONE &&
			    d->hits.items[cur[k]].off < at) {
				at = d->hits.items[cur[k]].off;
				kb = k;
			}
		if (at == (size_t)-1)
			break;
		cur[kb] = d->hits.items[cur[kb]].next;
		if (at < off)
			continue;
		li = line_of(d, at);
		from = d->lines[li ? li - 1 : 0];
		if (from < off)
			from = off;
		pcre2_set_offset_limit(d->mc, at);
		switch (match_at(c, r, subj, len, from)) {
		case NO_MATCH:
			off = at + 1;
			continue;
		case MATCHED:
			error = take_match(c, r, subj, len, &last_line, &count,
			                   &off);
			break;
		default:
			error = 1; /* stopped: the rest of the file is skipped
			            */
		}
		if (error)
			break;
	}
	pcre2_set_offset_limit(d->mc, PCRE2_UNSET);
	return error < 0 ? error : 0;
}

/* Runs one regex rule over `subj`; one finding per line, at most N. */
static int
run_regex(struct ctx *c, const struct drule *r, const char *subj, size_t len)
{
	size_t off = 0, last_line = (size_t)-1, count = 0;

	if (r->nr_kw) {
		size_t k;
		int any = 0;

		for (k = 0; k < r->nr_kw && !any; k++)
			any = c->d->found[r->kw_ids[k]];
		if (!any)
			return 0;
		if (r->windowed && c->d->hits.complete)
			return run_windows(c, r, subj, len);
	} else if (r->keyword && !has_keyword(subj, len, r->keyword)) {
		return 0;
	}
	while (off <= len && count < MAX_PER_RULE) {
		int error;

		if (match_at(c, r, subj, len, off) != MATCHED)
			break;
		if ((error = take_match(c, r, subj, len, &last_line, &count,
		                        &off)) < 0)
			return error;
	}
	return 0;
}

static int seen_rule_line(const struct pyo_findings *out,
                          size_t from,
                          const struct drule *r,
                          unsigned line)
{
	size_t i;

	for (i = from; i < out->nr; i++)
		if (out->items[i].line == line &&
		    !strcmp(out->items[i].rule_id, r->id))
			return 1;
	return 0;
}

static int run_imports(
        struct ctx *c, unsigned bits, int is_go, const char *subj, size_t len)
{
	const struct pyo_detect_rules *dr = c->d->dr;
	size_t first = c->out->nr, i, k;
	int error;

	imp_list_clear(&c->d->imps);
	error = is_go ? imports_go(&c->d->imps, subj, len)
	              : imports_python(&c->d->imps, subj, len);
	if (error < 0)
		return error;
	for (i = 0; i < c->d->imps.nr; i++) {
		const struct imp *im = &c->d->imps.items[i];
		const struct dlist *l =
		        detect_lookup_import(dr, is_go, im->name, NULL);
		unsigned line = (unsigned)line_of(c->d, im->off) + 1;

		for (k = 0; l && k < l->nr; k++) {
			const struct drule *r = dr->rules[l->idx[k]];

			if (!(r->langs & bits) || r->scope != DS_IMPORT ||
			    seen_rule_line(c->out, first, r, line))
				continue;
			if ((error = add_finding(c, r, im->off, im->name,
			                         PYO_WHERE_IMPORT)) < 0)
				return error;
		}
		/* import rules given as a regex over the import name */
		for (k = 0; dr->re_imports && k < dr->re_imports->nr; k++) {
			const struct drule *r =
			        dr->rules[dr->re_imports->idx[k]];
			int rc;

			if (!(r->langs & bits) ||
			    (im->is_from_member && !is_go))
				continue;
			rc = pcre2_match(r->code, (PCRE2_SPTR)im->name,
			                 strlen(im->name), 0, 0, c->d->md,
			                 c->d->mc);
			if (rc < 0 || seen_rule_line(c->out, first, r, line))
				continue;
			if ((error = add_finding(c, r, im->off, im->name,
			                         PYO_WHERE_IMPORT)) < 0)
				return error;
		}
	}
	return 0;
}

/*
 * 1 when the file imports `name`: the import itself or what it starts
 * with (Python "google.genai" covers "google.genai.types", Go a module
 * path covers its packages), or a dotted component of a Python import
 * ("celery" in "from proj.celery import app").
 */
static int imports_have(const struct imp_list *l, const char *name, int is_go)
{
	size_t i, n = strlen(name);

	for (i = 0; i < l->nr; i++) {
		const char *im = l->items[i].name, *p;

		if (!strncmp(im, name, n) &&
		    (!im[n] || im[n] == (is_go ? '/' : '.')))
			return 1;
		for (p = im; !is_go && (p = strchr(p, '.'));) {
			p++;
			if (!strncmp(p, name, n) && (!p[n] || p[n] == '.'))
				return 1;
		}
	}
	return 0;
}

/* 0 when one of the rule's "import:" facts fails in this file. */
static int
imports_hold(const struct pyo_detector *d, const struct drule *r, unsigned bits)
{
	size_t i;

	for (i = 0; r->requires && r->requires[i]; i++)
		if (pyo_str_startswith(r->requires[i], "import:") &&
		    (!(bits & (DL_PYTHON | DL_GO)) ||
		     !imports_have(&d->imps, r->requires[i] + 7,
		                   bits == DL_GO)))
			return 0;
	return 1;
}

/* Drops this file's pattern findings whose rule's imports are absent. */
static void apply_requires(struct ctx *c, size_t first, unsigned bits)
{
	const struct pyo_detect_rules *dr = c->d->dr;
	struct pyo_findings *out = c->out;
	size_t i, k, n = first;

	for (i = first; i < out->nr; i++) {
		struct pyo_finding *f = &out->items[i];
		int keep = 1;

		for (k = 0; f->where == PYO_WHERE_PATTERN && k < dr->nr; k++)
			if (dr->rules[k]->requires &&
			    !strcmp(dr->rules[k]->id, f->rule_id))
				keep = imports_hold(c->d, dr->rules[k], bits);
		if (!keep) {
			pyo_finding_release(f);
			continue;
		}
		out->items[n++] = *f;
	}
	out->nr = n;
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
	const struct pyo_detect_rules *dr = d ? d->dr : NULL;
	struct ctx c = { 0 };
	unsigned bits = detect_lang_bits(lang);
	enum lex_lang lx = lex_lang_for(lang);
	int need_code = 0, need_strs = 0, any = 0, error;
	size_t i, longest, first;

	if (!dr || !bits || !data)
		return 0;
	first = out->nr;
	for (i = 0; i < dr->nr && !any; i++)
		any = !!(dr->rules[i]->langs & bits);
	if (!any)
		return 0;

	c.d = d;
	c.out = out;
	c.path = path;
	c.data = data;
	c.len = len;
	c.scope = scope;
	c.warn = warn;
	c.payload = warn_payload;
	lower(c.language, sizeof(c.language), lang);

	if (memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)) {
		warnf(&c, "%s: binary content, detectors skipped", path);
		return 0;
	}
	if ((error = index_lines(d, data, len, &longest)) < 0)
		return error;
	if (longest > HUGE_LINE)
		warnf(&c,
		      "%s: a line of %zu bytes; patterns may stop at the match "
		      "limit",
		      path, longest);
	if ((error = ensure_bufs(d, len ? len : 1)) < 0)
		return error;
	if (dr->ac.nr_keywords) {
		memset(d->found, 0, dr->ac.nr_keywords);
		detect_kw_scan(&dr->ac, d->found, &d->hits, data, len);
	}
	/* mask only what a rule whose keywords occur will read: a lexer
	 * pass is as costly as a regex pass */
	for (i = 0; i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];

		if (!(r->langs & bits) || r->scope > DS_RAW ||
		    !rule_may_match(d, r))
			continue;
		if (r->scope == DS_CODE)
			need_code = 1;
		else if (r->scope == DS_STRINGS)
			need_strs = 1;
	}
	if (bits & DL_PYTHON)
		need_code = 1; /* imports are read from the code */
	if (bits & DL_GO)
		need_strs = 1; /* Go import paths are strings */
	if (need_code)
		lex_mask(d->code, data, len, lx, LEX_CODE);
	if (need_strs)
		lex_mask(d->strs, data, len, lx, LEX_STRINGS);

	for (i = 0; i < dr->nr; i++) {
		const struct drule *r = dr->rules[i];
		const char *subj;

		if (!(r->langs & bits) || r->scope > DS_RAW)
			continue;
		subj = r->scope == DS_CODE      ? d->code
		       : r->scope == DS_STRINGS ? d->strs
		                                : data;
		if ((error = run_regex(&c, r, subj, len)) < 0)
			return error;
	}
	imp_list_clear(&d->imps);
	if (bits == DL_PYTHON)
		error = run_imports(&c, bits, 0, d->code, len);
	else if (bits == DL_GO)
		error = run_imports(&c, bits, 1, d->strs, len);
	if (!error && dr->has_requires)
		apply_requires(&c, first, bits);
	return error;
}
