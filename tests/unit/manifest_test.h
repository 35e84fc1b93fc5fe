/* manifest_test.h: helpers shared by the manifest unit tests. */
#ifndef MANIFEST_TEST_H
#define MANIFEST_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pyorgo/manifest.h"

struct expect {
	const char *eco, *name, *constraint, *group;
	unsigned line;
	int direct;
	const char *manifest; /* NULL: the parsed file */
};

struct result {
	struct pyo_deps deps;
	char warnings[32][256];
	int nr_warnings;
};

struct fake_file {
	const char *path, *text;
};

static const struct fake_file *fake_files;

static int fake_read(char **data, size_t *len, const char *path, void *p)
{
	const struct fake_file *f;

	(void)p;
	for (f = fake_files; f && f->path; f++)
		if (!strcmp(f->path, path)) {
			*len = strlen(f->text);
			*data = malloc(*len + 1);
			memcpy(*data, f->text, *len + 1);
			return 0;
		}
	return PYO_ENOTFOUND;
}

static void collect_warning(void *payload, const char *msg)
{
	struct result *r = payload;

	if (r->nr_warnings < 32)
		snprintf(r->warnings[r->nr_warnings], 256, "%s", msg);
	r->nr_warnings++;
}

static void
parse_len(struct result *r, const char *path, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(pyo_manifest_parse(&r->deps, pyo_manifest_kind(path),
	                                    path, text, len, fake_read, NULL,
	                                    collect_warning, r),
	                 0);
}

static void parse(struct result *r, const char *path, const char *text)
{
	parse_len(r, path, text, strlen(text));
}

static void result_clear(struct result *r)
{
	pyo_deps_clear(&r->deps);
}

static void dump(const struct result *r)
{
	size_t i;
	int k;

	for (i = 0; i < r->deps.nr; i++) {
		const struct pyo_dep *d = &r->deps.items[i];

		fprintf(stderr, "  dep %s %s '%s' %s %s:%u direct=%d lock=%d\n",
		        d->ecosystem, d->name, d->constraint,
		        d->group ? d->group : "(null)", d->manifest, d->line,
		        d->is_direct, d->is_lock);
	}
	for (k = 0; k < r->nr_warnings && k < 32; k++)
		fprintf(stderr, "  warning %s\n", r->warnings[k]);
}

static void check(const struct result *r,
                  const char *path,
                  const struct expect *e,
                  size_t n)
{
	size_t i;

	if (r->deps.nr != n)
		dump(r);
	assert_int_equal(r->deps.nr, n);
	for (i = 0; i < n; i++) {
		const struct pyo_dep *d = &r->deps.items[i];

		if (strcmp(d->name, e[i].name) ||
		    strcmp(d->constraint, e[i].constraint) ||
		    d->line != e[i].line || d->is_direct != e[i].direct ||
		    (e[i].group ? !d->group || strcmp(d->group, e[i].group)
		                : d->group != NULL))
			dump(r);
		assert_string_equal(d->ecosystem, e[i].eco);
		assert_string_equal(d->name, e[i].name);
		assert_string_equal(d->constraint, e[i].constraint);
		if (e[i].group)
			assert_non_null(d->group);
		if (e[i].group)
			assert_string_equal(d->group, e[i].group);
		else
			assert_null(d->group);
		assert_int_equal(d->line, e[i].line);
		assert_int_equal(d->is_direct, e[i].direct);
		assert_string_equal(d->manifest,
		                    e[i].manifest ? e[i].manifest : path);
	}
}

#define CHECK(r, path, e) check((r), (path), (e), sizeof(e) / sizeof(*(e)))

static int has_warning(const struct result *r, const char *needle)
{
	int k;

	for (k = 0; k < r->nr_warnings && k < 32; k++)
		if (strstr(r->warnings[k], needle))
			return 1;
	dump(r);
	return 0;
}

#endif
