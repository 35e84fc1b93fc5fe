/*
 * notebook.c: the code cells of a Jupyter notebook (nbformat 3 and 4), so
 * that a notebook counts as the code its kernel runs, not as the bytes of
 * its JSON (outputs, images, markdown).
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "pyorgo/classify.h"
#include "buf.h"
#include "strutil.h"
#include "banned.h"

/* "source" (v4) or "input" (v3): a string or an array of strings. */
static int put_source(struct pyo_buf *b, const cJSON *src)
{
	const cJSON *e;
	int error = 0;

	if (cJSON_IsString(src))
		return pyo_buf_puts(b, src->valuestring);
	cJSON_ArrayForEach(e, src)
	{
		if (cJSON_IsString(e) &&
		    (error = pyo_buf_puts(b, e->valuestring)) < 0)
			return error;
	}
	return 0;
}

static int put_cells(struct pyo_buf *b, const cJSON *cells)
{
	const cJSON *cell;
	int error;

	cJSON_ArrayForEach(cell, cells)
	{
		const cJSON *type =
		        cJSON_GetObjectItemCaseSensitive(cell, "cell_type");
		const cJSON *src;

		if (!cJSON_IsString(type) || strcmp(type->valuestring, "code"))
			continue;
		src = cJSON_GetObjectItemCaseSensitive(cell, "source");
		if (!src)
			src = cJSON_GetObjectItemCaseSensitive(cell, "input");
		if (!src)
			continue;
		if ((error = put_source(b, src)) < 0)
			return error;
		if (b->len && b->ptr[b->len - 1] != '\n' &&
		    (error = pyo_buf_putc(b, '\n')) < 0)
			return error;
	}
	return 0;
}

static const char *str_at(const cJSON *obj, const char *a, const char *b)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, a);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, b);

	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* Linguist's spelling of the common kernel languages. */
static const char *kernel_name(const char *s)
{
	static const char *const names[][2] = {
		{ "python", "Python" },
		{ "python3", "Python" },
		{ "python2", "Python" },
		{ "r", "R" },
		{ "julia", "Julia" },
		{ "scala", "Scala" },
		{ "javascript", "JavaScript" },
		{ "typescript", "TypeScript" },
		{ "c++", "C++" },
		{ "cpp", "C++" },
		{ "c", "C" },
		{ "go", "Go" },
		{ "rust", "Rust" },
		{ "bash", "Shell" },
		{ "sh", "Shell" },
		{ "ruby", "Ruby" },
		{ "java", "Java" },
		{ "kotlin", "Kotlin" },
		{ "sql", "SQL" },
		{ "matlab", "MATLAB" },
		{ "octave", "MATLAB" },
		{ "haskell", "Haskell" },
		{ "powershell", "PowerShell" },
		{ "csharp", "C#" },
		{ "c#", "C#" },
		{ "f#", "F#" },
		{ "fsharp", "F#" },
		{ "lua", "Lua" },
		{ "perl", "Perl" },
		{ "ocaml", "OCaml" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!pyo_strcasecmp(s, names[i][0]))
			return names[i][1];
	return s;
}

int pyo_notebook_extract(char **code,
                         size_t *code_len,
                         char **kernel,
                         const char *data,
                         size_t len)
{
	struct pyo_buf b = { 0 };
	const cJSON *meta, *cells, *ws;
	const char *lang;
	cJSON *doc;
	int error = 0;

	*code = NULL;
	*code_len = 0;
	*kernel = NULL;
	doc = data ? cJSON_ParseWithLength(data, len) : NULL;
	if (!doc || !cJSON_IsObject(doc)) {
		error = pyo_error_setc(PYO_EINVALID, "not a notebook (JSON)");
		goto done;
	}
	meta = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
	lang = str_at(meta, "kernelspec", "language");
	if (!lang)
		lang = str_at(meta, "language_info", "name");
	if (!lang)
		lang = str_at(meta, "kernel_info", "language"); /* nbformat 3 */
	if (!lang) {
		const cJSON *l =
		        cJSON_GetObjectItemCaseSensitive(meta, "language");

		lang = cJSON_IsString(l) && *l->valuestring ? l->valuestring
		                                            : "Python";
	}
	cells = cJSON_GetObjectItemCaseSensitive(doc, "cells");
	ws = cJSON_GetObjectItemCaseSensitive(doc, "worksheets");
	if (cJSON_IsArray(cells)) {
		error = put_cells(&b, cells);
	} else if (cJSON_IsArray(ws)) {
		const cJSON *w;

		cJSON_ArrayForEach(w, ws)
		{
			if ((error = put_cells(&b,
			                       cJSON_GetObjectItemCaseSensitive(
			                               w, "cells"))) < 0)
				break;
		}
	}
	if (error < 0)
		goto done;
	if (!(*kernel = pyo_strdup(kernel_name(lang)))) {
		error = PYO_ERROR;
		goto done;
	}
	*code_len = b.len;
	*code = pyo_buf_detach(&b);
done:
	pyo_buf_release(&b);
	cJSON_Delete(doc);
	return error;
}
