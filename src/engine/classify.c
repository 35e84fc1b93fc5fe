/*
 * classify.c: Linguist's strategy chain (gitattributes, modeline, filename,
 * shebang, extension, heuristics) and its exclusions (vendored, generated,
 * documentation, binary), on the tables built by langdb_load.c. Nothing
 * here writes to the database: every call is reentrant. The match state
 * and the matching of path and content rules are in classify_match.c.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "langdb.h"
#include "strutil.h"
#include "banned.h"

#define HEURISTICS_BYTES (50 * 1024)
#define BINARY_BYTES 8000
#define MODELINE_LINES 5
#define MODELINE_BYTES 2048

const char *pyo_language_name(const struct pyo_language *l)
{
	return l ? l->name : NULL;
}

enum pyo_lang_type pyo_language_type(const struct pyo_language *l)
{
	return l ? l->type : PYO_LT_DATA;
}

int pyo_language_has_comments(const struct pyo_language *l)
{
	return l && (l->nr_line_comments || l->nr_blocks);
}

const struct pyo_language *pyo_language_group(const struct pyo_language *l)
{
	return l && l->group_lang ? l->group_lang : l;
}

const struct pyo_language *pyo_language_find(const struct pyo_rules *rules,
                                             const char *name)
{
	return rules ? pyo_language_find_db(rules->langdb, name) : NULL;
}

/*
 * Candidates by extension: every suffix of the basename that starts at a
 * dot, longest first (".cmake.in" before ".in"), as Linguist does.
 */
static const struct pyo_cands *ext_cands(const struct pyo_langdb *db,
                                         const char *base,
                                         char *ext,
                                         size_t extsz)
{
	const char *p;

	for (p = strchr(base, '.'); p; p = strchr(p + 1, '.')) {
		const struct pyo_cands *c;
		size_t i, n = strlen(p);

		if (n >= extsz || n < 2)
			continue;
		for (i = 0; i <= n; i++)
			ext[i] =
			        (p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i];
		c = pyo_langdb_cands(&db->by_ext, ext, n);
		if (c && c->nr)
			return c;
	}
	ext[0] = '\0';
	return NULL;
}

/* The most common choice among ambiguous candidates: file order. */
static const struct pyo_language *first_cand(const struct pyo_language **v,
                                             size_t nr)
{
	const struct pyo_language *best = NULL;
	size_t i;

	for (i = 0; i < nr; i++)
		if (!best || v[i]->order < best->order)
			best = v[i];
	return best;
}

static int
in_cands(const struct pyo_language *l, const struct pyo_language **v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (v[i] == l)
			return 1;
	return 0;
}

static void set_share(struct pyo_class *out, const struct pyo_attrs *attrs)
{
	int detectable = attrs ? attrs->detectable : -1;

	out->in_share = 0;
	if (!out->lang || out->exclude != PYO_EX_NONE)
		return;
	if (detectable >= 0)
		out->in_share = detectable;
	else
		out->in_share = out->lang->type == PYO_LT_PROGRAMMING ||
		                out->lang->type == PYO_LT_MARKUP;
}

/* vendored, generated, documentation: attribute first, else path rules. */
static void path_exclusions(struct pyo_class *out,
                            const struct pyo_langdb *db,
                            const char *path,
                            const struct pyo_attrs *attrs,
                            struct pyo_match *md)
{
	static const enum pyo_exclude ex[] = { PYO_EX_VENDORED,
		                               PYO_EX_GENERATED,
		                               PYO_EX_DOCUMENTATION,
		                               PYO_EX_BINARY };
	int attr[4] = { -1, -1, -1, -1 };
	size_t i;

	if (attrs) {
		attr[0] = attrs->vendored;
		attr[1] = attrs->generated;
		attr[2] = attrs->documentation;
	}
	for (i = 0; i < 4; i++) {
		const struct pyo_path_rule *r = NULL;

		if (attr[i] == 0)
			continue;
		if (attr[i] < 0 &&
		    !(r = pyo_langdb_path_match(db, (enum pyo_path_category)i,
		                                path, md)))
			continue;
		out->exclude = ex[i];
		out->rule_id = r ? r->id : NULL;
		return;
	}
}

static void path_scope(struct pyo_class *out,
                       const struct pyo_langdb *db,
                       const char *path,
                       struct pyo_match *md)
{
	const struct pyo_path_rule *r =
	        pyo_langdb_path_match(db, PYO_PC_SCOPE, path, md);

	out->scope = r ? r->scope : PYO_SCOPE_SERVICE;
	if (r && !out->rule_id)
		out->rule_id = r->id;
}

static int classify_path_md(struct pyo_class *out,
                            const struct pyo_langdb *db,
                            const char *path,
                            const struct pyo_attrs *attrs,
                            struct pyo_match *md)
{
	const char *base = pyo_path_basename(path);
	const struct pyo_cands *c;
	char ext[128];

	memset(out, 0, sizeof(*out));
	out->exclude = PYO_EX_NONE;
	if (attrs && attrs->language &&
	    (out->lang = pyo_language_find_db(db, attrs->language))) {
		out->strategy = "gitattributes";
	} else if ((c = pyo_langdb_cands(&db->by_filename, base,
	                                 strlen(base)))) {
		out->lang = first_cand(c->v, c->nr);
		out->strategy = c->nr == 1 ? "filename" : "fallback";
		if (c->nr > 1)
			out->flags |= PYO_CLASS_NEEDS_CONTENT;
	} else if ((c = ext_cands(db, base, ext, sizeof(ext)))) {
		out->lang = first_cand(c->v, c->nr);
		out->strategy = c->nr == 1 ? "extension" : "fallback";
		if (c->nr > 1)
			out->flags |= PYO_CLASS_NEEDS_CONTENT;
	} else {
		/* no extension known: a shebang or modeline may tell */
		out->flags |= PYO_CLASS_NEEDS_CONTENT;
	}
	if (out->lang && out->lang == db->notebook)
		out->flags |= PYO_CLASS_NOTEBOOK;
	path_exclusions(out, db, path, attrs, md);
	path_scope(out, db, path, md);
	if (out->exclude == PYO_EX_NONE &&
	    classify_has_content_rule(db, path, md))
		out->flags |= PYO_CLASS_NEEDS_CONTENT;
	if (out->exclude == PYO_EX_NONE && !out->lang)
		out->exclude = PYO_EX_UNKNOWN;
	set_share(out, attrs);
	return 0;
}

int pyo_classify_path(struct pyo_class *out,
                      const struct pyo_rules *rules,
                      const char *path,
                      const struct pyo_attrs *attrs)
{
	struct pyo_match *md;

	if (!rules || !rules->langdb || !path)
		return pyo_error_setc(PYO_EINVALID, "no language rules");
	if (!(md = classify_thread_match()))
		return pyo_error_oom();
	return classify_path_md(out, rules->langdb, path, attrs, md);
}

/* git's rule: NUL in the first 8000 bytes, or a UTF-16/32 byte order mark */
static int is_binary(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;

	if (len >= 2 &&
	    ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return 1;
	return memchr(data, 0, len < BINARY_BYTES ? len : BINARY_BYTES) != NULL;
}

/* Offset where the last `n` lines start. */
static size_t tail_start(const char *data, size_t len, int n)
{
	size_t i = len;

	if (i && data[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (data[i - 1] == '\n' && --n == 0)
			break;
		i--;
	}
	return i;
}

static size_t head_end(const char *data, size_t len, int n)
{
	const char *p = data, *end = data + len, *nl;

	while (n-- > 0 && p < end && (nl = memchr(p, '\n', end - p)))
		p = nl + 1;
	return n >= 0 ? len : (size_t)(p - data);
}

static const struct pyo_language *modeline_in(const struct pyo_langdb *db,
                                              const char *s,
                                              size_t len,
                                              struct pyo_match *md)
{
	const pcre2_code *res[2] = { db->modeline_emacs, db->modeline_vim };
	size_t i;

	if (!pyo_memmem(s, len, "-*-", 3) && !pyo_memmem(s, len, "ft", 2) &&
	    !pyo_memmem(s, len, "syntax", 6))
		return NULL;
	for (i = 0; i < 2; i++) {
		PCRE2_SIZE *ov;
		char name[64];
		size_t n;

		if (!res[i] || pcre2_match(res[i], (PCRE2_SPTR)s, len, 0, 0,
		                           md->md, md->mc) < 2)
			continue;
		ov = pcre2_get_ovector_pointer(md->md);
		n = ov[3] - ov[2];
		if (ov[2] == PCRE2_UNSET || n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, s + ov[2], n);
		name[n] = '\0';
		return pyo_language_find_db(db, name);
	}
	return NULL;
}

static const struct pyo_language *modeline(const struct pyo_langdb *db,
                                           const char *data,
                                           size_t len,
                                           struct pyo_match *md)
{
	const struct pyo_language *l;
	size_t head = head_end(data, len, MODELINE_LINES);
	size_t tail = tail_start(data, len, MODELINE_LINES);

	if (head > MODELINE_BYTES)
		head = MODELINE_BYTES;
	if (len - tail > MODELINE_BYTES)
		tail = len - MODELINE_BYTES;
	if ((l = modeline_in(db, data, head, md)))
		return l;
	if (tail >= head)
		return modeline_in(db, data + tail, len - tail, md);
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * The interpreter of a "#!" line: basename of the first word, or of the
 * first non-option word after `env` (handles env -S and VAR=x).
 */
static const struct pyo_cands *
shebang(const struct pyo_langdb *db, const char *data, size_t len)
{
	const char *p, *end, *nl, *w, *we;
	char name[64];
	int after_env = 0;

	if (len < 3 || data[0] != '#' || data[1] != '!')
		return NULL;
	nl = memchr(data, '\n', len);
	end = nl ? nl : data + len;
	p = data + 2;
	for (;;) {
		const struct pyo_cands *c;
		size_t n;

		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return NULL;
		w = p;
		while (p < end && !is_space(*p))
			p++;
		we = p;
		/* basename */
		for (p = we; p > w && p[-1] != '/'; p--)
			;
		w = p;
		p = we;
		n = (size_t)(we - w);
		if (!n || n >= sizeof(name))
			return NULL;
		memcpy(name, w, n);
		name[n] = '\0';
		if (!strcmp(name, "env") && !after_env) {
			after_env = 1;
			continue;
		}
		if (after_env && (name[0] == '-' || memchr(name, '=', n)))
			continue;
		/* python3.11 -> python3 -> python */
		for (;;) {
			char *dot;

			if ((c = pyo_langdb_cands(&db->by_interpreter, name,
			                          n)) &&
			    c->nr)
				return c;
			if ((dot = strrchr(name, '.')) && dot[1] >= '0' &&
			    dot[1] <= '9') {
				*dot = '\0';
			} else if (n && name[n - 1] >= '0' &&
			           name[n - 1] <= '9') {
				name[n - 1] = '\0';
			} else {
				return NULL;
			}
			n = strlen(name);
		}
	}
}

static int heur_rule_matches(const struct pyo_heur_rule *r,
                             const char *data,
                             size_t len,
                             struct pyo_match *md)
{
	size_t i;

	for (i = 0; i < r->nr_pos; i++)
		if (!pyo_regex_match(&r->pos[i], data, len, md))
			return 0;
	for (i = 0; i < r->nr_neg; i++)
		if (pyo_regex_match(&r->neg[i], data, len, md))
			return 0;
	return 1;
}

/*
 * Runs the heuristics for `ext` over the candidates; narrows them in
 * place. Returns the language when one is left.
 */
static const struct pyo_language *heuristics(const struct pyo_langdb *db,
                                             const char *ext,
                                             const struct pyo_language **cands,
                                             size_t *nr,
                                             const char *data,
                                             size_t len,
                                             struct pyo_match *md)
{
	const struct pyo_heur_block *b;
	size_t i, j, k;

	if (!ext[0] ||
	    !(b = pyo_strmap_get(&db->heur_by_ext, ext, strlen(ext))))
		return NULL;
	if (len > HEURISTICS_BYTES)
		len = HEURISTICS_BYTES;
	for (i = 0; i < b->nr_rules; i++) {
		const struct pyo_heur_rule *r = &b->rules[i];
		size_t n = 0;

		if (!heur_rule_matches(r, data, len, md))
			continue;
		for (j = 0; j < r->nr_langs; j++)
			if (!*nr || in_cands(r->langs[j], cands, *nr))
				n++;
		if (!n)
			continue;
		for (j = 0, k = 0; j < r->nr_langs; j++)
			if (!*nr || in_cands(r->langs[j], cands, *nr))
				cands[k++] = r->langs[j];
		*nr = k;
		return k == 1 ? cands[0] : NULL;
	}
	return NULL;
}

/* The language part of phase 2, after the path phase set `out`. */
static void content_language(struct pyo_class *out,
                             const struct pyo_langdb *db,
                             const char *path,
                             const char *data,
                             size_t len,
                             struct pyo_match *md)
{
	const char *base = pyo_path_basename(path);
	const struct pyo_language *cands[64], *l;
	const struct pyo_cands *fc, *sc, *ec;
	size_t nr = 0, i;
	char ext[128];

	if ((l = modeline(db, data, len, md))) {
		out->lang = l;
		out->strategy = "modeline";
		return;
	}
	fc = pyo_langdb_cands(&db->by_filename, base, strlen(base));
	if (fc && fc->nr == 1) {
		out->lang = fc->v[0];
		out->strategy = "filename";
		return;
	}
	for (i = 0; fc && i < fc->nr && nr < 64; i++)
		cands[nr++] = fc->v[i];
	if ((sc = shebang(db, data, len))) {
		size_t k = 0;

		for (i = 0; i < sc->nr; i++)
			if (!nr || in_cands(sc->v[i], cands, nr))
				cands[k++] = sc->v[i];
		if (k)
			nr = k;
		if (nr == 1) {
			out->lang = cands[0];
			out->strategy = "shebang";
			return;
		}
	}
	ec = ext_cands(db, base, ext, sizeof(ext));
	if (ec) {
		size_t k = 0;
		const struct pyo_language *tmp[64];

		for (i = 0; i < ec->nr && k < 64; i++)
			if (!nr || in_cands(ec->v[i], cands, nr))
				tmp[k++] = ec->v[i];
		if (k) {
			memcpy(cands, tmp, k * sizeof(*tmp));
			nr = k;
		}
		if (nr == 1) {
			out->lang = cands[0];
			out->strategy = "extension";
			return;
		}
	}
	if (nr > 1 && (l = heuristics(db, ext, cands, &nr, data, len, md))) {
		out->lang = l;
		out->strategy = "heuristics";
		return;
	}
	out->lang = nr ? first_cand(cands, nr) : NULL;
	out->strategy = nr ? "fallback" : NULL;
}

int pyo_classify_content(struct pyo_class *out,
                         const struct pyo_rules *rules,
                         const char *path,
                         const char *data,
                         size_t len,
                         const struct pyo_attrs *attrs)
{
	const struct pyo_langdb *db;
	struct pyo_match *md;
	int error;

	if (!rules || !rules->langdb || !path || (!data && len))
		return pyo_error_setc(PYO_EINVALID, "no language rules");
	db = rules->langdb;
	if (!data)
		data = "";
	if (!(md = classify_thread_match()))
		return pyo_error_oom();
	if ((error = classify_path_md(out, db, path, attrs, md)) < 0)
		return error;
	out->flags &= ~(unsigned)PYO_CLASS_NEEDS_CONTENT;
	if (out->exclude == PYO_EX_UNKNOWN)
		out->exclude = PYO_EX_NONE;
	if (is_binary(data, len)) {
		if (out->exclude == PYO_EX_NONE) {
			out->exclude = PYO_EX_BINARY;
			out->rule_id = NULL;
		}
		goto share;
	}
	if (!attrs || !attrs->language ||
	    strcmp(out->strategy ? out->strategy : "", "gitattributes"))
		content_language(out, db, path, data, len, md);
	out->flags &= ~(unsigned)PYO_CLASS_NOTEBOOK;
	if (out->lang && out->lang == db->notebook)
		out->flags |= PYO_CLASS_NOTEBOOK;
	if (out->exclude == PYO_EX_NONE && (!attrs || attrs->generated != 0)) {
		const struct pyo_path_rule *r =
		        classify_content_generated(db, path, data, len, md);

		if (r) {
			out->exclude = PYO_EX_GENERATED;
			out->rule_id = r->id;
		}
	}
share:
	if (out->exclude == PYO_EX_NONE && !out->lang)
		out->exclude = PYO_EX_UNKNOWN;
	set_share(out, attrs);
	return 0;
}
