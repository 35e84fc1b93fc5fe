/*
 * guidance_expr.c: the conditions of rules/guidance.json: parses and prints
 * a factor's "when" (all/any/not of {signal, op, value | ref * times}), and
 * parses the signal sets ({"name": number, ...}) of its examples and of the
 * what-ifs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guidance.h"
#include "rules_int.h"
#include "strutil.h"
#include "banned.h"

void gexpr_release(struct gexpr *e)
{
	size_t i;

	for (i = 0; i < e->nr; i++)
		gexpr_release(&e->kids[i]);
	free(e->kids);
	free(e->signal);
	free(e->ref);
	memset(e, 0, sizeof(*e));
}

static const char *const op_names[] = { ">",  ">=", "<",       "<=",
	                                "==", "!=", "present", "absent" };

int guidance_parse_expr(struct gexpr *e,
                        const struct rules_file *f,
                        const cJSON *j,
                        const char *ptr,
                        int depth)
{
	char sub[PTR_MAX];
	const char *kinds[] = { "all", "any", "not" };
	const cJSON *arr = NULL, *it;
	const char *op = NULL;
	size_t i;
	int error;

	memset(e, 0, sizeof(*e));
	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected a condition object");
	if (depth > 16)
		return rules_error(f, ptr, "condition nested too deeply");
	for (i = 0; i < 3; i++) {
		if (!(arr = cJSON_GetObjectItemCaseSensitive(j, kinds[i])))
			continue;
		e->type = i == 0 ? GEXPR_ALL : i == 1 ? GEXPR_ANY : GEXPR_NOT;
		guidance_ptrf(sub, "%s/%s", ptr, kinds[i]);
		if (e->type == GEXPR_NOT) {
			if (!(e->kids = calloc(1, sizeof(*e->kids))))
				return pyo_error_oom();
			e->nr = 1;
			return guidance_parse_expr(e->kids, f, arr, sub,
			                           depth + 1);
		}
		if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
			return rules_error(f, sub,
			                   "expected a non-empty array");
		e->nr = (size_t)cJSON_GetArraySize(arr);
		if (!(e->kids = calloc(e->nr, sizeof(*e->kids)))) {
			e->nr = 0;
			return pyo_error_oom();
		}
		i = 0;
		cJSON_ArrayForEach(it, arr)
		{
			char kp[PTR_MAX];

			guidance_ptrf(kp, "%s/%zu", sub, i);
			if ((error = guidance_parse_expr(&e->kids[i++], f, it,
			                                 kp, depth + 1)) < 0)
				return error;
		}
		return 0;
	}

	e->type = GEXPR_LEAF;
	e->times = 1;
	if ((error = guidance_get_str(&e->signal, f, j, ptr, "signal", 1)) <
	            0 ||
	    (error = rules_get_string(&op, f, j, ptr, "op", 1)) < 0 ||
	    (error = guidance_get_str(&e->ref, f, j, ptr, "ref", 0)) < 0 ||
	    (error = guidance_get_num(&e->times, f, j, ptr, "times", 1)) < 0)
		return error;
	for (i = 0; i < sizeof(op_names) / sizeof(*op_names); i++)
		if (!strcmp(op, op_names[i]))
			break;
	if (i == sizeof(op_names) / sizeof(*op_names)) {
		guidance_ptrf(sub, "%s/op", ptr);
		return rules_error(f, sub,
		                   "unknown op '%s' (expected >, >=, <, <=, "
		                   "==, !=, present or absent)",
		                   op);
	}
	e->op = (enum gop)i;
	if (e->op == GOP_PRESENT || e->op == GOP_ABSENT || e->ref)
		return 0;
	return rules_get_number(&e->value, f, j, ptr, "value", 1);
}

/* {"name": number, ...} */
int guidance_parse_assign(char ***names,
                          double **values,
                          size_t *nr,
                          const struct rules_file *f,
                          const cJSON *j,
                          const char *ptr)
{
	const cJSON *it;
	size_t n = 0;

	if (!cJSON_IsObject(j))
		return rules_error(f, ptr, "expected an object of signals");
	*nr = 0;
	n = (size_t)cJSON_GetArraySize(j);
	*names = calloc(n + 1, sizeof(**names));
	*values = calloc(n + 1, sizeof(**values));
	if (!*names || !*values)
		return pyo_error_oom();
	cJSON_ArrayForEach(it, j)
	{
		char sub[PTR_MAX];

		if (!cJSON_IsNumber(it)) {
			guidance_ptrf(sub, "%s/%s", ptr, it->string);
			return rules_error(f, sub, "expected a number");
		}
		if (!((*names)[*nr] = pyo_strdup(it->string)))
			return pyo_error_oom();
		(*values)[(*nr)++] = it->valuedouble;
	}
	return 0;
}

int guidance_parse_examples(struct gexample **out,
                            size_t *nr,
                            const struct rules_file *f,
                            const cJSON *j,
                            const char *ptr,
                            const char *key)
{
	char sub[PTR_MAX];
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, key), *it;
	size_t i = 0;
	int error;

	guidance_ptrf(sub, "%s/%s", ptr, key);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return rules_error(f, arr ? sub : ptr,
		                   "expected examples.%s: a non-empty array of "
		                   "signal sets",
		                   key);
	*nr = (size_t)cJSON_GetArraySize(arr);
	if (!(*out = calloc(*nr, sizeof(**out))))
		return pyo_error_oom();
	cJSON_ArrayForEach(it, arr)
	{
		char ep[PTR_MAX];
		struct gexample *x = &(*out)[i];

		guidance_ptrf(ep, "%s/%zu", sub, i++);
		if ((error = guidance_parse_assign(&x->names, &x->values,
		                                   &x->nr, f, it, ep)) < 0)
			return error;
	}
	return 0;
}

void guidance_print_expr(FILE *out, const struct gexpr *e)
{
	size_t i;

	switch (e->type) {
	case GEXPR_LEAF:
		fprintf(out, "%s %s", e->signal, op_names[e->op]);
		if (e->ref && e->times != 1)
			fprintf(out, " %g * %s", e->times, e->ref);
		else if (e->ref)
			fprintf(out, " %s", e->ref);
		else if (e->op != GOP_PRESENT && e->op != GOP_ABSENT)
			fprintf(out, " %g", e->value);
		return;
	case GEXPR_NOT:
		fputs("not (", out);
		guidance_print_expr(out, e->kids);
		fputs(")", out);
		return;
	case GEXPR_ALL:
	case GEXPR_ANY:
		for (i = 0; i < e->nr; i++) {
			if (i)
				fputs(e->type == GEXPR_ALL ? " and " : " or ",
				      out);
			fputs(e->kids[i].type == GEXPR_LEAF ? "" : "(", out);
			guidance_print_expr(out, &e->kids[i]);
			fputs(e->kids[i].type == GEXPR_LEAF ? "" : ")", out);
		}
		return;
	}
}
