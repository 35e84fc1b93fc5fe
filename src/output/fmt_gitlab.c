/*
 * fmt_gitlab.c: GitLab Code Quality JSON (an array of issues with
 * description, check_name, fingerprint, severity and location), from
 * pyo_annotations_build(). Results without a file are left out: GitLab
 * needs a path.
 */
#include <stdlib.h>

#include "pyorgo/check.h"
#include "writer.h"
#include "banned.h"

struct gitlab_state {
	FILE *out;
	struct pyo_jsonw w;
};

static int
gitlab_begin(void **state, FILE *out, const struct pyo_writer_options *opts)
{
	struct gitlab_state *s = calloc(1, sizeof(*s));

	(void)opts;
	if (!s)
		return pyo_error_oom();
	s->out = out;
	pyo_jsonw_init(&s->w, out, 1);
	pyo_jsonw_arr_begin(&s->w);
	*state = s;
	return 0;
}

static const char *severity(enum pyo_level l)
{
	return l == PYO_LEVEL_ERROR     ? "critical"
	       : l == PYO_LEVEL_WARNING ? "minor"
	                                : "info";
}

static int gitlab_add(void *state, const struct pyo_report *r)
{
	struct gitlab_state *s = state;
	struct pyo_jsonw *w = &s->w;
	struct pyo_annotations a;
	size_t i;
	int error;

	if ((error = pyo_annotations_build(&a, r)) < 0)
		return error;
	for (i = 0; i < a.nr; i++) {
		const struct pyo_annotation *n = &a.items[i];

		if (n->is_removed || !n->path)
			continue;
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "description", n->message);
		pyo_jsonw_kstr(w, "check_name", n->rule_id);
		pyo_jsonw_kstr(w, "fingerprint", n->fingerprint);
		pyo_jsonw_kstr(w, "severity", severity(n->level));
		pyo_jsonw_key(w, "location");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kstr(w, "path", n->path);
		pyo_jsonw_key(w, "lines");
		pyo_jsonw_obj_begin(w);
		pyo_jsonw_kuint(w, "begin", n->line ? n->line : 1);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
		pyo_jsonw_obj_end(w);
	}
	pyo_annotations_release(&a);
	return 0;
}

static int gitlab_end(void *state)
{
	struct gitlab_state *s = state;

	pyo_jsonw_arr_end(&s->w);
	fputc('\n', s->out);
	fflush(s->out);
	free(s);
	return 0;
}

const struct pyo_writer pyo_writer_gitlab = {
	"gitlab",   "GitLab Code Quality report", gitlab_begin, gitlab_add,
	gitlab_end,
};
