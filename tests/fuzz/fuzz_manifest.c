/*
 * Fuzzes every manifest parser: the first byte picks the format, the rest
 * is the file. Includes read the same bytes back (cycles, depth limits).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"requirements.txt", "pyproject.toml", "Pipfile",
	"Pipfile.lock",     "setup.cfg",      "setup.py",
	"environment.yml",  "go.mod",         "go.work",
	"go.sum",           "poetry.lock",    "uv.lock",
	"package.json",     "Cargo.toml",     "pom.xml",
	"build.gradle",     "Gemfile",        "constraints.txt",
};

struct input {
	const uint8_t *data;
	size_t size;
};

static int read_same(char **out, size_t *len, const char *path, void *p)
{
	const struct input *in = p;

	(void)path;
	*out = malloc(in->size + 1);
	if (!*out)
		return -1;
	memcpy(*out, in->data, in->size);
	*len = in->size;
	return 0;
}

static void ignore(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pyo_deps deps = { 0 };
	struct input in;
	const char *path;

	if (size < 1)
		return 0;
	path = paths[data[0] % (sizeof(paths) / sizeof(*paths))];
	in.data = data + 1;
	in.size = size - 1;
	pyo_manifest_parse(&deps, pyo_manifest_kind(path), path,
	                   (const char *)data + 1, size - 1, read_same, &in,
	                   ignore, NULL);
	pyo_deps_clear(&deps);
	return 0;
}
