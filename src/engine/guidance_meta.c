/*
 * guidance_meta.c: lists, explains and tests the factors of a loaded
 * guidance (`pyorgo rules list|explain|test`).
 */
#include <stdio.h>

#include "guidance.h"
#include "rules_int.h"
#include "banned.h"

static const char *kind_name(enum gkind k)
{
	switch (k) {
	case GKIND_HARD:
		return "hard";
	case GKIND_WEIGHED:
		return "weighed";
	case GKIND_DAMPEN:
		return "dampen";
	case GKIND_NOTE:
		return "note";
	}
	return "?";
}

int pyo_guidance_list(FILE *out, const struct pyo_guidance *g)
{
	size_t i;

	for (i = 0; g && i < g->nr_factors; i++)
		fprintf(out, "%-28s guidance  %s (%s, %s)\n", g->factors[i].id,
		        g->factors[i].title,
		        pyo_choice_name(g->factors[i].favours),
		        kind_name(g->factors[i].kind));
	return 0;
}

int pyo_guidance_explain(FILE *out,
                         const struct pyo_guidance *g,
                         const char *id)
{
	const struct gfactor *fa = pyo_guidance_factor(g, id);
	const struct gfigure *fg;
	size_t i;

	if (!fa)
		return PYO_ENOTFOUND;
	fprintf(out, "id:       %s\n", fa->id);
	fprintf(out, "file:     %s (version %s)\n", g->file, g->version);
	fprintf(out, "title:    %s\n", fa->title);
	fprintf(out, "favours:  %s\n", pyo_choice_name(fa->favours));
	fprintf(out, "kind:     %s\n", kind_name(fa->kind));
	fprintf(out, "weight:   %g\n", fa->weight);
	fputs("when:     ", out);
	guidance_print_expr(out, &fa->when);
	fputc('\n', out);
	if (fa->strength.signal)
		fprintf(out, "strength: %s%s%s from %g to %g (floor %g)\n",
		        fa->strength.signal, fa->strength.per ? " / " : "",
		        fa->strength.per ? fa->strength.per : "",
		        fa->strength.from, fa->strength.to, fa->strength.floor);
	for (i = 0; i < fa->nr_dampens; i++)
		fprintf(out, "dampens:  %s by %g\n", fa->dampens[i], fa->by);
	for (i = 0; i < fa->nr_figures; i++) {
		fg = pyo_guidance_figure(g, fa->figures[i]);
		fprintf(out, "figure:   %s = %g-%g %s (%s)\n", fg->id, fg->min,
		        fg->max, fg->unit, fg->label);
	}
	fprintf(out, "cite:     \"%s\"\n", fa->cite);
	fprintf(out, "examples: %zu match, %zu nomatch\n", fa->nr_match,
	        fa->nr_nomatch);
	return 0;
}

static int example_triggers(const struct pyo_guidance *g,
                            const struct gfactor *fa,
                            const struct gexample *x,
                            int *out)
{
	struct gview v = { 0 };
	size_t i;
	int error = 0;

	for (i = 0; i < x->nr; i++)
		if ((error = gview_set(&v, x->names[i], x->values[i])) < 0)
			goto done;
	gview_apply_overrides(&v, g);
	*out = gexpr_eval(&fa->when, &v);
done:
	gview_release(&v);
	return error;
}

static void print_example(FILE *out, const struct gexample *x)
{
	size_t i;

	fputc('{', out);
	for (i = 0; i < x->nr; i++)
		fprintf(out, "%s%s: %g", i ? ", " : "", x->names[i],
		        x->values[i]);
	fputc('}', out);
}

int pyo_guidance_test(FILE *out,
                      const struct pyo_guidance *g,
                      int verbose,
                      size_t *passed,
                      size_t *failed)
{
	size_t i, k;
	int error, hit, pass;

	for (i = 0; g && i < g->nr_factors; i++) {
		const struct gfactor *fa = &g->factors[i];

		for (k = 0; k < fa->nr_match + fa->nr_nomatch; k++) {
			int want = k < fa->nr_match;
			const struct gexample *x =
			        want ? &fa->match[k]
			             : &fa->nomatch[k - fa->nr_match];

			if ((error = example_triggers(g, fa, x, &hit)) < 0)
				return error;
			pass = hit == want;
			if (pass)
				(*passed)++;
			else
				(*failed)++;
			if (pass && !verbose)
				continue;
			fprintf(out, "%s %s: %s example ",
			        pass ? "ok  " : "FAIL", fa->id,
			        want ? "match" : "nomatch");
			print_example(out, x);
			fprintf(out, " %s\n",
			        hit ? "triggers" : "does not trigger");
		}
	}
	return 0;
}
