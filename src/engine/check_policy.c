/*
 * check_policy.c: the policy of .pyorgo.json applied to a change. A
 * contradiction is evidence the change adds, in service or research code,
 * for the other language than the one declared for its path; a flip is a
 * verdict that moves; a hard constraint is one the head side has and the
 * base side has not. policy.allow (rule ids, path globs) and inline
 * `pyorgo: ignore` comments (applied while reading) let a team accept one.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/recommend.h"
#include "check_int.h"
#include "detect_rules.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

const char *check_rule_favours(const struct pyo_rules *rules, const char *id)
{
	const struct pyo_detect_rules *dr = detect_rules_of(rules);
	size_t i;

	for (i = 0; dr && id && i < dr->nr; i++)
		if (!strcmp(dr->rules[i]->id, id))
			return dr->rules[i]->favours;
	return NULL;
}

static const char *lang_label(const char *lang)
{
	if (!pyo_strcasecmp(lang, "python"))
		return "Python";
	if (!pyo_strcasecmp(lang, "go"))
		return "Go";
	return lang;
}

static int add_violation(struct pyo_check *c,
                         enum pyo_violation_kind kind,
                         const char *path,
                         unsigned line,
                         const char *rule,
                         size_t finding,
                         struct pyo_buf *msg)
{
	struct pyo_violation *v;
	size_t n = c->nr_violations + 1;

	v = realloc(c->violations, n * sizeof(*v));
	if (!v)
		return pyo_error_oom();
	c->violations = v;
	v = &c->violations[c->nr_violations];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->line = line ? line : 1;
	v->finding = finding;
	v->message = pyo_buf_detach(msg);
	v->path = path ? pyo_strdup(path) : NULL;
	v->rule_id = pyo_strdup(rule);
	c->nr_violations = n;
	if (!v->message || (path && !v->path) || !v->rule_id)
		return pyo_error_oom();
	return 0;
}

static int contradictions(struct check_ctx *x)
{
	struct pyo_check *c = x->check;
	const struct pyo_findings *f = &c->report->findings;
	size_t i;
	int error = 0;

	for (i = 0; i < f->nr && !error; i++) {
		const struct pyo_finding *fi = &f->items[i];
		const char *favours, *declared;
		struct pyo_buf msg = { 0 };

		if (!(c->marks[i] & PYO_MARK_ADDED) ||
		    (fi->scope != PYO_SCOPE_SERVICE &&
		     fi->scope != PYO_SCOPE_RESEARCH))
			continue;
		favours = check_rule_favours(x->rules, fi->rule_id);
		declared = pyo_config_language_for(x->config, fi->path);
		if (!favours || !declared ||
		    (pyo_strcasecmp(favours, "python") &&
		     pyo_strcasecmp(favours, "go")) ||
		    !pyo_strcasecmp(favours, declared))
			continue;
		c->marks[i] |= PYO_MARK_CONTRADICTS;
		if (pyo_config_allows(x->config, fi->rule_id, fi->path)) {
			c->nr_allowed++;
			continue;
		}
		if (!(c->fail_on & PYO_FAIL_CONTRADICTION))
			continue;
		c->marks[i] |= PYO_MARK_VIOLATION;
		pyo_buf_printf(
		        &msg,
		        "%s:%u: adds %s evidence (%s: `%s`) to code "
		        "declared %s in %s; remove it, or accept it with "
		        "policy.allow or a '# pyorgo: ignore[%s]' comment",
		        fi->path, fi->line ? fi->line : 1, lang_label(favours),
		        fi->rule_id,
		        fi->snippet  ? fi->snippet
		        : fi->detail ? fi->detail
		                     : "",
		        lang_label(declared), c->config_name, fi->rule_id);
		error = add_violation(c, PYO_VIOLATION_CONTRADICTION, fi->path,
		                      fi->line, fi->rule_id, i, &msg);
		pyo_buf_release(&msg);
	}
	return error;
}

/* The strongest evidence the change adds, to point a repository-level
 * result at; else the first file present at head. */
static void anchor(const struct pyo_check *c,
                   const char **path,
                   unsigned *line,
                   size_t *finding)
{
	const struct pyo_findings *f = &c->report->findings;
	double best = -1;
	size_t i;

	*path = NULL;
	*line = 1;
	*finding = SIZE_MAX;
	for (i = 0; i < f->nr; i++)
		if ((c->marks[i] & PYO_MARK_ADDED) &&
		    f->items[i].weight > best) {
			best = f->items[i].weight;
			*path = f->items[i].path;
			*line = f->items[i].line;
			*finding = i;
		}
	for (i = 0; !*path && i < c->nr_files; i++)
		if (c->files[i].status != 'D')
			*path = c->files[i].path;
}

static int flips_and_hard(struct check_ctx *x)
{
	struct pyo_check *c = x->check;
	const struct pyo_verdict *h = c->report->verdict;
	const char *path;
	unsigned line;
	size_t finding, i, k;
	int error = 0;

	anchor(c, &path, &line, &finding);
	if (c->verdict_moved && (c->fail_on & PYO_FAIL_FLIP) &&
	    !pyo_config_allows(x->config, "pyorgo.policy.flip", NULL)) {
		struct pyo_buf msg = { 0 };

		pyo_buf_printf(&msg,
		               "the change moves the verdict from %s to %s "
		               "(%s); policy.fail_on includes \"flip\"",
		               pyo_choice_label(c->base_verdict->choice),
		               pyo_choice_label(h->choice),
		               h->summary ? h->summary : "");
		error = add_violation(c, PYO_VIOLATION_FLIP, path, line,
		                      "pyorgo.policy.flip", finding, &msg);
		pyo_buf_release(&msg);
	}
	for (k = 0; !error && k < c->nr_new_hard; k++) {
		const struct pyo_reason *r = NULL;
		const char *p = path;
		unsigned l = line;
		struct pyo_buf msg = { 0 };

		if (!(c->fail_on & PYO_FAIL_HARD))
			break;
		for (i = 0; h && i < h->nr_hard; i++)
			if (!strcmp(h->hard[i].factor, c->new_hard[k]))
				r = &h->hard[i];
		if (r && r->nr_evidence) {
			p = r->evidence[0].path;
			l = r->evidence[0].line;
		}
		if (pyo_config_allows(x->config, c->new_hard[k], p)) {
			c->nr_allowed++;
			continue;
		}
		pyo_buf_printf(
		        &msg,
		        "the change adds a hard constraint: %s (favours "
		        "%s); policy.fail_on includes \"hard-constraint\"",
		        r && r->title ? r->title : c->new_hard[k],
		        r ? pyo_choice_label(r->favours) : "?");
		error = add_violation(c, PYO_VIOLATION_HARD, p, l,
		                      c->new_hard[k], SIZE_MAX, &msg);
		pyo_buf_release(&msg);
	}
	return error;
}

int check_policy(struct check_ctx *x)
{
	struct pyo_check *c = x->check;
	const struct pyo_config *cfg = x->config;
	int error;

	if (!cfg)
		return 0;
	if (!(c->config_name = pyo_strdup(cfg->name)))
		return PYO_ERROR;
	if (cfg->language && !(c->declared = pyo_strdup(cfg->language)))
		return PYO_ERROR;
	if (cfg->has_fail_on)
		c->fail_on = cfg->fail_on;
	else if (cfg->language || cfg->nr_paths)
		c->fail_on = PYO_FAIL_CONTRADICTION;
	if ((error = contradictions(x)) < 0)
		return error;
	return flips_and_hard(x);
}
