/*
 * manifest_pipfile.c: Pipfile (TOML). [packages] are runtime deps,
 * [dev-packages] the "dev" group, and any other table except [[source]],
 * [requires], [scripts] and [pipenv] a pipenv package category named after
 * it.
 */
#include <string.h>

#include "pyorgo/manifest.h"
#include "manifest_int.h"
#include "toml.h"
#include "banned.h"

static const char *const not_packages[] = { "source", "requires", "scripts",
	                                    "pipenv" };

int mf_parse_pipfile(struct mf_ctx *ctx, const char *data, size_t len)
{
	struct pyo_toml *doc = NULL;
	size_t i, k;
	int error;

	if ((error = mf_toml(&doc, ctx, data, len)) < 0)
		return error;
	for (i = 0; i < pyo_toml_len(doc); i++) {
		const char *name = pyo_toml_key_at(doc, i);
		const char *group = name;

		for (k = 0; k < sizeof(not_packages) / sizeof(*not_packages);
		     k++)
			if (!strcmp(name, not_packages[k]))
				break;
		if (k < sizeof(not_packages) / sizeof(*not_packages))
			continue;
		if (!strcmp(name, "packages"))
			group = NULL;
		else if (!strcmp(name, "dev-packages"))
			group = "dev";
		if ((error = mf_read_name_table(ctx, pyo_toml_at(doc, i), group,
		                                NULL)) < 0)
			break;
	}
	pyo_toml_free(doc);
	return error;
}
