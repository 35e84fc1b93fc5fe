/* Fuzzes the .mailmap parser and resolver with arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/engine/mailmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *ids[][2] = {
		{ "A", "a@x" },
		{ "", "" },
		{ "Commit Name", "P@E.COM" },
	};
	struct pyo_mailmap *mm = NULL;
	const char *n, *e;
	size_t i;

	if (pyo_mailmap_parse(&mm, (const char *)data, size) < 0)
		return 0;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		pyo_mailmap_resolve(mm, &n, &e, ids[i][0], ids[i][1]);
	/* resolve every email the input names, too */
	for (i = 0; i + 2 < size && i < 4096; i++) {
		if (data[i] == '<') {
			char buf[64];
			size_t j = 0;

			while (i + 1 + j < size && j + 1 < sizeof(buf) &&
			       data[i + 1 + j] != '>' && data[i + 1 + j])
				j++;
			memcpy(buf, data + i + 1, j);
			buf[j] = '\0';
			pyo_mailmap_resolve(mm, &n, &e, "x", buf);
		}
	}
	pyo_mailmap_free(mm);
	return 0;
}
