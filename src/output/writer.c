#include <string.h>

#include "writer.h"
#include "banned.h"

static const struct pyo_writer *const writers[] = {
	&pyo_writer_text,  &pyo_writer_json,   &pyo_writer_markdown,
	&pyo_writer_sarif, &pyo_writer_github, &pyo_writer_gitlab,
};

const struct pyo_writer *pyo_writer_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (!strcmp(writers[i]->name, name))
			return writers[i];
	return NULL;
}

const char *pyo_writer_names(void)
{
	return "text, json, markdown, sarif, github, gitlab";
}

static const char *pick(const struct pyo_text_style *st, const char *code)
{
	return st && st->color ? code : "";
}

const char *pyo_style_bold(const struct pyo_text_style *st)
{
	return pick(st, "\033[1m");
}

const char *pyo_style_dim(const struct pyo_text_style *st)
{
	return pick(st, "\033[2m");
}

const char *pyo_style_green(const struct pyo_text_style *st)
{
	return pick(st, "\033[32m");
}

const char *pyo_style_yellow(const struct pyo_text_style *st)
{
	return pick(st, "\033[33m");
}

const char *pyo_style_red(const struct pyo_text_style *st)
{
	return pick(st, "\033[31m");
}

const char *pyo_style_reset(const struct pyo_text_style *st)
{
	return pick(st, "\033[0m");
}
