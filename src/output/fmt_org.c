/* fmt_org.c: the organisation summary as text, JSON or Markdown. */
#include <string.h>

#include "org.h"
#include "jsonw.h"
#include "banned.h"

static double pct(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

void pyo_org_write_text(FILE *out,
                        const struct pyo_org *org,
                        const struct pyo_text_style *st)
{
	size_t i, ok = org->nr_repos - org->failed;

	fprintf(out,
	        "%s%zu repositories%s: %zu Python, %zu Go, %zu either, "
	        "%zu failed\n\n",
	        pyo_style_bold(st), org->nr_repos, pyo_style_reset(st),
	        org->python, org->go, org->either, org->failed);
	fprintf(out, "%sLanguages across the organisation%s%*s%6s %8s\n",
	        pyo_style_bold(st), pyo_style_reset(st), 25, "", "repos",
	        "share");
	for (i = 0; i < org->nr_langs && i < 15; i++)
		fprintf(out, "  %-54.54s %6zu %7.1f%%\n", org->langs[i].name,
		        org->langs[i].repos,
		        org->share_bytes ? 100.0 * (double)org->langs[i].bytes /
		                                   (double)org->share_bytes
		                         : 0);
	fprintf(out, "\n%sRepositories%s (%zu scanned)\n", pyo_style_bold(st),
	        pyo_style_reset(st), ok);
	for (i = 0; i < org->nr_repos; i++) {
		const struct pyo_org_repo *r = &org->repos[i];

		if (r->error)
			fprintf(out, "  %-44.44s %sfailed%s: %.20s\n", r->path,
			        pyo_style_red(st), pyo_style_reset(st),
			        r->error);
		else
			fprintf(out, "  %-44.44s %-6s %4.2f  %-20.20s\n",
			        r->path, r->choice ? r->choice : "-",
			        r->confidence,
			        r->top_reason ? r->top_reason : "");
	}
	if (org->duplicates)
		fprintf(out,
		        "\n%zu repositories appeared more than once; the "
		        "last record was kept\n",
		        org->duplicates);
}

void pyo_org_write_json(FILE *out, const struct pyo_org *org)
{
	struct pyo_jsonw w;
	size_t i;

	pyo_jsonw_init(&w, out, 1);
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kstr(&w, "schema_version", "1.0");
	pyo_jsonw_kstr(&w, "kind", "organisation");
	pyo_jsonw_kuint(&w, "repositories", org->nr_repos);
	pyo_jsonw_kuint(&w, "failed", org->failed);
	pyo_jsonw_key(&w, "verdicts");
	pyo_jsonw_obj_begin(&w);
	pyo_jsonw_kuint(&w, "python", org->python);
	pyo_jsonw_kuint(&w, "go", org->go);
	pyo_jsonw_kuint(&w, "either", org->either);
	pyo_jsonw_obj_end(&w);
	pyo_jsonw_kdouble(&w, "python_percent", pct(org->python, org->nr_repos),
	                  1);
	pyo_jsonw_kdouble(&w, "go_percent", pct(org->go, org->nr_repos), 1);
	pyo_jsonw_key(&w, "languages");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < org->nr_langs; i++) {
		pyo_jsonw_obj_begin(&w);
		pyo_jsonw_kstr(&w, "name", org->langs[i].name);
		pyo_jsonw_kuint(&w, "repositories", org->langs[i].repos);
		pyo_jsonw_kuint(&w, "files", org->langs[i].files);
		pyo_jsonw_kuint(&w, "bytes", org->langs[i].bytes);
		pyo_jsonw_kdouble(
		        &w, "share",
		        org->share_bytes ? 100.0 * (double)org->langs[i].bytes /
		                                   (double)org->share_bytes
		                         : 0,
		        2);
		pyo_jsonw_obj_end(&w);
	}
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_key(&w, "repos");
	pyo_jsonw_arr_begin(&w);
	for (i = 0; i < org->nr_repos; i++) {
		const struct pyo_org_repo *r = &org->repos[i];

		pyo_jsonw_obj_begin(&w);
		pyo_jsonw_kstr(&w, "path", r->path);
		pyo_jsonw_kstr(&w, "commit", r->commit);
		pyo_jsonw_kstr(&w, "choice", r->choice);
		pyo_jsonw_kdouble(&w, "confidence", r->confidence, 2);
		pyo_jsonw_kstr(&w, "top_reason", r->top_reason);
		pyo_jsonw_kdouble(&w, "python_share", r->python_share, 2);
		pyo_jsonw_kdouble(&w, "go_share", r->go_share, 2);
		pyo_jsonw_kstr(&w, "error", r->error);
		pyo_jsonw_obj_end(&w);
	}
	pyo_jsonw_arr_end(&w);
	pyo_jsonw_obj_end(&w);
}

void pyo_org_write_markdown(FILE *out, const struct pyo_org *org)
{
	size_t i;

	fprintf(out, "## pyorgo: %zu repositories\n\n", org->nr_repos);
	fprintf(out, "| verdict | repositories |\n| --- | ---: |\n");
	fprintf(out,
	        "| Python | %zu |\n| Go | %zu |\n| either | %zu |\n"
	        "| failed | %zu |\n\n",
	        org->python, org->go, org->either, org->failed);
	fprintf(out, "| repository | verdict | confidence | top reason |\n"
	             "| --- | --- | ---: | --- |\n");
	for (i = 0; i < org->nr_repos; i++) {
		const struct pyo_org_repo *r = &org->repos[i];

		if (r->error)
			fprintf(out, "| `%s` | failed | | %s |\n", r->path,
			        r->error);
		else
			fprintf(out, "| `%s` | %s | %.2f | `%s` |\n", r->path,
			        r->choice ? r->choice : "-", r->confidence,
			        r->top_reason ? r->top_reason : "");
	}
}
