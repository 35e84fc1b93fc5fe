/*
 * check_view.c: one list of results for the CI formats, from a scan report
 * or a check. Each writer (SARIF, GitHub, GitLab, Markdown) formats this
 * list and nothing else, so a scan and a check go through the same code.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/check.h"
#include "pyorgo/recommend.h"
#include "buf.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

#define RULE_VERDICT "pyorgo.verdict"
#define RULE_HARD "pyorgo.hard-constraint"
#define RULE_FLIP "pyorgo.policy.flip"
#define RULE_NEW_HARD "pyorgo.policy.hard-constraint"

const char *pyo_level_name(enum pyo_level l)
{
	switch (l) {
	case PYO_LEVEL_ERROR:
		return "error";
	case PYO_LEVEL_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= 0;
	return h * 0x100000001b3ULL;
}

void pyo_fingerprint(char out[17], const char *const *parts, size_t nr)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < nr; i++)
		h = fnv(h, parts[i]);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void pyo_annotations_release(struct pyo_annotations *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr; i++) {
		free(a->items[i].rule_id);
		free(a->items[i].title);
		free(a->items[i].message);
		free(a->items[i].path);
	}
	for (i = 0; i < a->nr_rules; i++) {
		free(a->rules[i].id);
		free(a->rules[i].name);
		free(a->rules[i].description);
		free(a->rules[i].help);
	}
	free(a->items);
	free(a->rules);
	free(a->headline);
	memset(a, 0, sizeof(*a));
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
	struct pyo_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	pyo_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return pyo_buf_detach(&b);
}

static int add_rule(struct pyo_annotations *a,
                    const char *id,
                    const char *category,
                    const char *signal)
{
	struct pyo_annotation_rule *r;
	size_t i;

	for (i = 0; i < a->nr_rules; i++)
		if (!strcmp(a->rules[i].id, id))
			return 0;
	if (PYO_ARRAY_GROW(a->rules, a->nr_rules, a->alloc_rules) < 0)
		return PYO_ERROR;
	r = &a->rules[a->nr_rules++];
	memset(r, 0, sizeof(*r));
	r->id = pyo_strdup(id);
	if (!strcmp(id, RULE_VERDICT)) {
		r->name = pyo_strdup("Backend language recommendation");
		r->description = pyo_strdup(
		        "pyorgo's recommendation for the next backend service: "
		        "Python (FastAPI), Go or either, from the evidence in "
		        "the repository and the article's guidance.");
		r->help =
		        pyo_strdup("Run `pyorgo scan` for the reasons, their "
		                   "evidence and what would change the call.");
	} else if (!strcmp(id, RULE_HARD) || !strcmp(id, RULE_NEW_HARD)) {
		r->name = pyo_strdup("Hard constraint");
		r->description = pyo_strdup(
		        "A constraint that decides the language on its own, such "
		        "as a native ML runtime (PyTorch, transformers) in the "
		        "service's process.");
		r->help =
		        pyo_strdup("If the constraint is intended, declare the "
		                   "language in .pyorgo.json (policy.language) "
		                   "or allow the factor in policy.allow.");
		r->level = PYO_LEVEL_WARNING;
	} else if (!strcmp(id, RULE_FLIP)) {
		r->name = pyo_strdup("Verdict flip");
		r->description =
		        pyo_strdup("The change moves pyorgo's "
		                   "recommendation to another language.");
		r->help = pyo_strdup(
		        "Check that the new dependency or code is "
		        "intended; policy.fail_on controls whether a "
		        "flip fails the check.");
		r->level = PYO_LEVEL_ERROR;
	} else {
		r->name = dupf("%s evidence", category ? category : "pyorgo");
		r->description = dupf(
		        "Evidence rule %s (category %s) feeds the signal %s of "
		        "pyorgo's recommendation.",
		        id, category ? category : "-", signal ? signal : "-");
		r->help =
		        dupf("`pyorgo explain %s` shows what the rule matches, "
		             "its examples and the guidance it feeds. Suppress "
		             "one line with a `pyorgo: ignore[%s]` comment.",
		             id, id);
	}
	if (!r->id || !r->name || !r->description || !r->help)
		return pyo_error_oom();
	return 0;
}

/* Adds an annotation; strings are copied. */
static struct pyo_annotation *add(struct pyo_annotations *a,
                                  const char *rule,
                                  enum pyo_level level,
                                  const char *path,
                                  unsigned line,
                                  unsigned column,
                                  double weight)
{
	struct pyo_annotation *n;

	if (PYO_ARRAY_GROW(a->items, a->nr, a->alloc) < 0)
		return NULL;
	n = &a->items[a->nr++];
	memset(n, 0, sizeof(*n));
	n->rule_id = pyo_strdup(rule);
	n->level = level;
	n->path = path ? pyo_strdup(path) : NULL;
	n->line = line ? line : 1;
	n->column = column;
	n->weight = weight;
	if (!n->rule_id || (path && !n->path))
		return NULL;
	return n;
}

static const char *content_of(const struct pyo_finding *f)
{
	if (f->where == PYO_WHERE_MANIFEST && f->detail)
		return f->detail;
	return f->snippet ? f->snippet : f->detail ? f->detail : "";
}

static int add_finding(struct pyo_annotations *a,
                       const struct pyo_finding *f,
                       enum pyo_level level,
                       const char *prefix,
                       int is_removed)
{
	struct pyo_annotation *n;
	const char *parts[3] = { f->rule_id, f->path, content_of(f) };

	if (!f->path || add_rule(a, f->rule_id, f->category, f->signal) < 0)
		return f->path ? PYO_ERROR : 0;
	n = add(a, f->rule_id, level, f->path, f->line, f->column, f->weight);
	if (!n)
		return pyo_error_oom();
	n->is_removed = is_removed;
	n->title = dupf("%s: %s evidence", f->rule_id,
	                f->category ? f->category : "pyorgo");
	n->message = dupf("%s%s `%s` is evidence for %s (weight %.4g, %s "
	                  "scope, %s). See `pyorgo explain %s`.",
	                  prefix ? prefix : "", prefix ? ": " : "",
	                  content_of(f), f->signal ? f->signal : f->rule_id,
	                  f->weight, pyo_scope_name(f->scope),
	                  pyo_where_name(f->where), f->rule_id);
	pyo_fingerprint(n->fingerprint, parts, 3);
	return n->title && n->message ? 0 : pyo_error_oom();
}

static int add_repo_level(struct pyo_annotations *a,
                          const char *rule,
                          enum pyo_level level,
                          const char *path,
                          unsigned line,
                          double weight,
                          char *title,
                          char *message,
                          const char *key)
{
	struct pyo_annotation *n;
	const char *parts[3] = { rule, path ? path : "", key };

	if (!title || !message || add_rule(a, rule, NULL, NULL) < 0 ||
	    !(n = add(a, rule, level, path, line, 0, weight))) {
		free(title);
		free(message);
		return pyo_error_oom();
	}
	n->title = title;
	n->message = message;
	pyo_fingerprint(n->fingerprint, parts, 3);
	return 0;
}

/* A manifest (shortest path first), else the top reason's evidence, else
 * the first finding: a real file for a repository-level result. */
static void
verdict_anchor(const struct pyo_report *r, const char **path, unsigned *line)
{
	const struct pyo_verdict *v = r->verdict;
	size_t i;

	*path = NULL;
	*line = 1;
	for (i = 0; i < r->deps.nr; i++)
		if (r->deps.items[i].manifest &&
		    (!*path ||
		     strlen(r->deps.items[i].manifest) < strlen(*path)))
			*path = r->deps.items[i].manifest;
	if (*path)
		return;
	if (v && v->nr_hard && v->hard[0].nr_evidence) {
		*path = v->hard[0].evidence[0].path;
		*line = v->hard[0].evidence[0].line;
	} else if (v && v->nr_reasons && v->reasons[0].nr_evidence) {
		*path = v->reasons[0].evidence[0].path;
		*line = v->reasons[0].evidence[0].line;
	} else if (r->findings.nr) {
		*path = r->findings.items[0].path;
		*line = r->findings.items[0].line;
	}
}

static int scan_view(struct pyo_annotations *a, const struct pyo_report *r)
{
	const struct pyo_verdict *v = r->verdict;
	const char *path;
	unsigned line;
	size_t i;
	int error = 0;

	for (i = 0; i < r->findings.nr && !error; i++)
		error = add_finding(a, &r->findings.items[i], PYO_LEVEL_NOTE,
		                    NULL, 0);
	for (i = 0; v && i < v->nr_hard && !error; i++) {
		const struct pyo_reason *h = &v->hard[i];

		verdict_anchor(r, &path, &line);
		if (h->nr_evidence) {
			path = h->evidence[0].path;
			line = h->evidence[0].line;
		}
		error = add_repo_level(a, RULE_HARD, PYO_LEVEL_WARNING, path,
		                       line, 100,
		                       dupf("hard constraint: %s",
		                            h->title ? h->title : h->factor),
		                       dupf("%s favours %s: %s",
		                            h->title ? h->title : h->factor,
		                            pyo_choice_label(h->favours),
		                            h->explain ? h->explain : ""),
		                       h->factor);
	}
	if (v && !error) {
		verdict_anchor(r, &path, &line);
		error = add_repo_level(
		        a, RULE_VERDICT, PYO_LEVEL_NOTE, path, line, 1000,
		        dupf("pyorgo: %s", pyo_choice_label(v->choice)),
		        dupf("Recommendation: %s (confidence %.2f). %s",
		             pyo_choice_label(v->choice), v->confidence,
		             v->summary ? v->summary : ""),
		        "verdict");
	}
	a->headline =
	        v ? dupf("pyorgo recommends %s (confidence %.2f): %s",
	                 pyo_choice_label(v->choice), v->confidence,
	                 v->summary ? v->summary : "")
	          : dupf("pyorgo found %zu pieces of evidence; no verdict",
	                 r->findings.nr);
	return error;
}

static const struct pyo_violation *violation_of(const struct pyo_check *c,
                                                size_t finding)
{
	size_t i;

	for (i = 0; i < c->nr_violations; i++)
		if (c->violations[i].kind == PYO_VIOLATION_CONTRADICTION &&
		    c->violations[i].finding == finding)
			return &c->violations[i];
	return NULL;
}

static int check_view(struct pyo_annotations *a, const struct pyo_check *c)
{
	const struct pyo_report *r = c->report;
	const struct pyo_verdict *v = r->verdict;
	size_t i;
	int error = 0;

	for (i = 0; i < r->findings.nr && !error; i++) {
		const struct pyo_violation *vi;

		if (!(c->marks[i] & PYO_MARK_ADDED))
			continue;
		vi = violation_of(c, i);
		if (vi) {
			error = add_finding(a, &r->findings.items[i],
			                    PYO_LEVEL_ERROR, NULL, 0);
			if (!error) {
				struct pyo_annotation *n = &a->items[a->nr - 1];

				free(n->message);
				n->message = pyo_strdup(vi->message);
				n->title = (free(n->title),
				            dupf("policy: %s", vi->rule_id));
				n->weight += 10000;
			}
		} else {
			error = add_finding(
			        a, &r->findings.items[i],
			        c->marks[i] & PYO_MARK_CONTRADICTS
			                ? PYO_LEVEL_WARNING
			                : PYO_LEVEL_NOTE,
			        c->marks[i] & PYO_MARK_CONTRADICTS
			                ? "contradicts the declared "
			                  "language"
			                : "new",
			        0);
		}
	}
	for (i = 0; i < c->removed.nr && !error; i++)
		error = add_finding(a, &c->removed.items[i], PYO_LEVEL_NOTE,
		                    "removed", 1);
	for (i = 0; i < c->nr_violations && !error; i++) {
		const struct pyo_violation *vi = &c->violations[i];

		if (vi->kind == PYO_VIOLATION_CONTRADICTION)
			continue;
		error = add_repo_level(
		        a,
		        vi->kind == PYO_VIOLATION_FLIP ? RULE_FLIP
		                                       : RULE_NEW_HARD,
		        PYO_LEVEL_ERROR, vi->path, vi->line, 20000,
		        dupf("policy: %s", pyo_violation_name(vi->kind)),
		        pyo_strdup(vi->message), vi->rule_id);
	}
	if (!error && c->verdict_moved && v) {
		const char *path = NULL;
		unsigned line = 1;

		for (i = 0; i < a->nr && !path; i++)
			if (!a->items[i].is_removed)
				path = a->items[i].path,
				line = a->items[i].line;
		error = add_repo_level(
		        a, RULE_VERDICT, PYO_LEVEL_WARNING, path, line, 5000,
		        dupf("verdict moves to %s",
		             pyo_choice_label(v->choice)),
		        dupf("The change moves the recommendation from %s to %s. "
		             "%s",
		             pyo_choice_label(c->base_verdict->choice),
		             pyo_choice_label(v->choice),
		             v->summary ? v->summary : ""),
		        "verdict");
	}
	a->headline = dupf(
	        "%zu files changed: %zu pieces of evidence added, %zu removed; "
	        "verdict %s%s%s; %zu policy violations",
	        c->nr_files, c->nr_added, c->removed.nr,
	        c->verdict_moved ? pyo_choice_label(c->base_verdict->choice)
	        : v              ? pyo_choice_label(v->choice)
	                         : "none",
	        c->verdict_moved ? " -> " : " (unchanged)",
	        c->verdict_moved ? pyo_choice_label(v->choice) : "",
	        c->nr_violations);
	return error;
}

static int cmp_ann(const void *pa, const void *pb)
{
	const struct pyo_annotation *a = pa, *b = pb;
	int c;

	if (a->is_removed != b->is_removed)
		return a->is_removed - b->is_removed;
	if (a->level != b->level)
		return (int)b->level - (int)a->level;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if ((c = strcmp(a->path ? a->path : "", b->path ? b->path : "")))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp(a->rule_id, b->rule_id);
}

static int cmp_rule(const void *pa, const void *pb)
{
	const struct pyo_annotation_rule *a = pa, *b = pb;

	return strcmp(a->id, b->id);
}

/* Identical rule, path and text: the n-th one gets n in its hash. */
static void unique_fingerprints(struct pyo_annotations *a)
{
	size_t i, j;

	for (i = 1; i < a->nr; i++) {
		unsigned occ = 0;

		for (j = 0; j < i; j++)
			if (!strncmp(a->items[j].fingerprint,
			             a->items[i].fingerprint, 16))
				occ++;
		if (occ) {
			char n[16];
			const char *parts[2] = { a->items[i].fingerprint, n };

			snprintf(n, sizeof(n), "%u", occ);
			pyo_fingerprint(a->items[i].fingerprint, parts, 2);
		}
	}
}

int pyo_annotations_build(struct pyo_annotations *out,
                          const struct pyo_report *r)
{
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	out->check = pyo_check_of(r);
	error = out->check ? check_view(out, out->check) : scan_view(out, r);
	if (error < 0 || !out->headline) {
		pyo_annotations_release(out);
		return error < 0 ? error : pyo_error_oom();
	}
	pyo_qsort(out->items, out->nr, sizeof(*out->items), cmp_ann);
	pyo_qsort(out->rules, out->nr_rules, sizeof(*out->rules), cmp_rule);
	unique_fingerprints(out);
	for (i = 0; i < out->nr; i++) {
		struct pyo_annotation_rule key = { out->items[i].rule_id };
		struct pyo_annotation_rule *rule =
		        bsearch(&key, out->rules, out->nr_rules,
		                sizeof(*out->rules), cmp_rule);

		out->items[i].rule_index =
		        rule ? (size_t)(rule - out->rules) : 0;
		if (!out->items[i].is_removed)
			out->counts[out->items[i].level]++;
	}
	return 0;
}
