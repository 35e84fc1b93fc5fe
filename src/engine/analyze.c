/*
 * analyze.c: what happens to one file. The path decides first (no read
 * for vendored or documentation files that are no manifests); then one
 * read feeds the content classifier, the manifest parsers and the
 * detectors. A notebook is detected on its code cells.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "banned.h"

#define CLASSIFY_BYTES (64 * 1024)

static void
warn(const struct pyo_analysis *a, struct pyo_analyzed *out, const char *msg)
{
	if (a->warn)
		a->warn(out, msg);
}

static int read_notebook(struct pyo_analyzed *out, const struct pyo_analysis *a)
{
	const struct pyo_language *kl;
	char *kernel = NULL;

	if (pyo_notebook_extract(&out->nb_code, &out->len, &kernel,
	                         out->blob.data, out->blob.len) < 0) {
		warn(a, out,
		     "not a valid notebook; counted as JSON bytes only");
		out->text = NULL;
		out->len = 0;
		return 0;
	}
	kl = pyo_language_find(a->rules, kernel);
	free(kernel);
	if (kl)
		out->cls.lang = kl;
	out->text = out->nb_code;
	out->bytes = out->len;
	/* notebooks are research unless they sit in tests or docs */
	if (out->cls.scope == PYO_SCOPE_SERVICE)
		out->cls.scope = PYO_SCOPE_RESEARCH;
	return 1;
}

int pyo_analyze_file(struct pyo_analyzed *out,
                     const struct pyo_analysis *a,
                     const struct pyo_entry *e,
                     const struct pyo_attrs *attrs)
{
	enum pyo_manifest_kind mkind;
	int error, is_vendored, detect = 1;

	memset(out, 0, sizeof(*out));
	out->path = e->path;
	out->payload = a->payload;
	out->first_finding = a->findings->nr;
	out->bytes = e->size;
	if ((error = pyo_classify_path(&out->cls, a->rules, e->path, attrs)) <
	    0)
		return error;
	mkind = pyo_manifest_kind(e->path);
	is_vendored = out->cls.exclude == PYO_EX_VENDORED;

	/* decided by the path alone and nothing to read */
	if (out->cls.exclude != PYO_EX_NONE &&
	    !(out->cls.flags & PYO_CLASS_NEEDS_CONTENT) &&
	    (mkind == PYO_MANIFEST_NONE || is_vendored)) {
		out->status = PYO_AN_EXCLUDED;
		return 0;
	}
	if (a->max_blob && e->size > a->max_blob) {
		out->status = out->cls.exclude == PYO_EX_NONE && out->cls.lang
		                      ? PYO_AN_TOO_LARGE
		                      : PYO_AN_EXCLUDED;
		return 0;
	}
	if (pyo_blob_read(&out->blob, a->repo, e) < 0) {
		out->status = PYO_AN_MISSING;
		warn(a, out, "object cannot be read; not counted");
		return 0;
	}
	out->was_read = 1;
	out->text = out->blob.data;
	out->len = out->blob.len;
	if ((out->cls.flags & PYO_CLASS_NEEDS_CONTENT) &&
	    (error = pyo_classify_content(
	             &out->cls, a->rules, e->path, out->blob.data,
	             out->blob.len < CLASSIFY_BYTES ? out->blob.len
	                                            : CLASSIFY_BYTES,
	             attrs)) < 0)
		return error;
	if (mkind != PYO_MANIFEST_NONE && !is_vendored &&
	    out->cls.exclude != PYO_EX_BINARY &&
	    (error = pyo_manifest_parse(a->deps, mkind, e->path, out->blob.data,
	                                out->blob.len, a->read, out, a->warn,
	                                out)) < 0)
		return error;
	if (out->cls.exclude != PYO_EX_NONE || !out->cls.lang) {
		out->status = PYO_AN_EXCLUDED;
		return 0;
	}
	out->status = PYO_AN_COUNTED;
	if (out->cls.flags & PYO_CLASS_NOTEBOOK)
		detect = read_notebook(out, a);
	if (!detect)
		return 0;
	if (a->lines) {
		if ((error = pyo_count_lines_index(&out->lines, out->cls.lang,
		                                   out->text, out->len,
		                                   a->lines)) < 0)
			return error;
		out->counted = 1;
	}
	return pyo_detect_file_lines(
	        a->det, a->findings, e->path, pyo_language_name(out->cls.lang),
	        out->cls.scope, out->text, out->len, a->lines, a->warn, out);
}

void pyo_analyzed_release(struct pyo_analyzed *out)
{
	if (!out)
		return;
	free(out->nb_code);
	pyo_blob_release(&out->blob);
	memset(out, 0, sizeof(*out));
}
