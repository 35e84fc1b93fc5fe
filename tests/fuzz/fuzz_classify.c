/*
 * Fuzz target: classify_content, count_lines and notebook_extract on
 * arbitrary bytes. The first byte picks the path (extension) to use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/classify.h"
#include "pyorgo/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"src/x.h",  "src/x.m",     "x.pl",    "x.ts", "x.inc",
	"db/x.sql", "README.md",   "bin/run", "x.py", "x.go",
	"a.min.js", "nb/x.ipynb",  "x.rs",    "x.rb", "x.sh",
	"x.c",      "vendor/x.go", "x.txt",   "x.1",  "x.properties",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pyo_rules *rules;
	const char *text = (const char *)data + (size ? 1 : 0);
	size_t len = size ? size - 1 : 0;
	struct pyo_line_counts n;
	struct pyo_class c;
	char *code = NULL, *kernel = NULL;
	size_t code_len;

	if (!rules && pyo_rules_load_default(&rules) < 0)
		abort();
	if (pyo_classify_content(&c, rules,
	                         paths[(size ? data[0] : 0) %
	                               (sizeof(paths) / sizeof(paths[0]))],
	                         text, len, NULL) < 0)
		abort();
	pyo_count_lines(&n, c.lang, text, len);
	if (n.code + n.comment + n.blank != n.lines)
		abort();
	if (pyo_notebook_extract(&code, &code_len, &kernel, text, len) == 0) {
		if (!code || !kernel || strlen(code) != code_len)
			abort();
		pyo_count_lines(&n, pyo_language_find(rules, kernel), code,
		                code_len);
	}
	free(code);
	free(kernel);
	return 0;
}
