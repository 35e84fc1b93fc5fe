/*
 * fuzz_lex: every lexer and both import extractors on arbitrary bytes.
 * Checks that masking keeps the length and every newline, and only ever
 * writes spaces over the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imports.h"
#include "lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum lex_lang langs[] = { LEX_NONE, LEX_PYTHON, LEX_GO,
		                               LEX_C,    LEX_JS,     LEX_HASH };
	const char *in = (const char *)data;
	char *out = malloc(size ? size : 1);
	size_t l, m, i;

	if (!out)
		return 0;
	for (l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
		for (m = 0; m < 2; m++) {
			struct imp_list imps = { 0 };

			lex_mask(out, in, size, langs[l],
			         m ? LEX_STRINGS : LEX_CODE);
			for (i = 0; i < size; i++)
				if (out[i] != in[i] &&
				    (out[i] != ' ' || in[i] == '\n'))
					abort();
			if (langs[l] == LEX_PYTHON)
				imports_python(&imps, out, size);
			else if (langs[l] == LEX_GO)
				imports_go(&imps, out, size);
			for (i = 0; i < imps.nr; i++)
				if (!imps.items[i].name ||
				    imps.items[i].off >= size)
					abort();
			imp_list_clear(&imps);
		}
	}
	free(out);
	return 0;
}
