/*
 * Fuzzes the .gitattributes reader and matcher: the input is a file's
 * text; its lines also serve as paths to look up, and as patterns to match
 * against each other.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gitattr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *paths[] = { "a.py", "lib/x/y/b.c", "docs/r.md",
		                       "vendor/v.js", "sub/dir/file.min.js" };
	struct pyo_gitattrs *ga = NULL;
	struct pyo_attrs a;
	char lang[64], *text, *line, *next;
	size_t i;

	if (pyo_gitattrs_add(&ga, "", (const char *)data, size) < 0 ||
	    pyo_gitattrs_add(&ga, "sub/", (const char *)data, size) < 0) {
		pyo_gitattrs_free(ga);
		return 0;
	}
	pyo_gitattrs_finish(ga);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		pyo_gitattrs_lookup(&a, lang, sizeof(lang), ga, paths[i]);
	/* every line as a path, and as a pattern against the others */
	text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		for (line = text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			pyo_gitattrs_lookup(&a, lang, sizeof(lang), ga, line);
			pyo_gitattrs_glob(line, "a/b/c.py");
			pyo_gitattrs_glob("**/[a-c]*.p?", line);
		}
		free(text);
	}
	pyo_gitattrs_free(ga);
	return 0;
}
