/*
 * report_sort: pyo_findings_sort() against a plain sort, on the shapes a
 * scan hands it: one long sorted run with a few findings after it (the
 * manifests'), several runs, a list already sorted, and random order; and
 * the workers' chunks put back in order (pyo_scan_merge_findings); and
 * pyo_findings_sort_from() on one file's findings, few or many.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pyorgo/report.h"
#include "report_int.h"
#include "scan_int.h"

static unsigned seed = 42;

static unsigned next_rand(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 16;
}

static void add(struct pyo_findings *fs, unsigned file, unsigned line)
{
	struct pyo_finding f = { 0 };
	char path[32];

	snprintf(path, sizeof(path), "src/f%04u.py", file);
	f.rule_id = (char *)(next_rand() % 2 ? "ml.torch" : "py.async");
	f.path = path;
	f.line = line;
	f.column = 1;
	assert_int_equal(pyo_findings_add(fs, &f), 0);
}

/* The expected order: path, then line (the test's findings differ there
 * or are equal in what the sort looks at). */
static void check_sorted(const struct pyo_findings *fs, size_t n)
{
	size_t i;

	assert_int_equal(fs->nr, n);
	for (i = 1; i < fs->nr; i++) {
		int c = strcmp(fs->items[i - 1].path, fs->items[i].path);

		assert_true(c <= 0);
		if (!c) {
			assert_true(fs->items[i - 1].line <= fs->items[i].line);
			if (fs->items[i - 1].line == fs->items[i].line)
				assert_true(strcmp(fs->items[i - 1].rule_id,
				                   fs->items[i].rule_id) <= 0);
		}
	}
}

/* `n` findings in order, then `m` anywhere: every file and line kept. */
static void run_case(size_t n, size_t m, int shuffled_head)
{
	struct pyo_findings fs = { 0 };
	unsigned long sum = 0, after = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned file =
		        shuffled_head ? next_rand() % 500 : (unsigned)(i / 3);

		add(&fs, file,
		    (unsigned)(shuffled_head ? next_rand() % 50 : i % 3 + 1));
	}
	for (i = 0; i < m; i++)
		add(&fs, next_rand() % 600, next_rand() % 9 + 1);
	for (i = 0; i < fs.nr; i++)
		sum += fs.items[i].line * 7919u +
		       (unsigned)atoi(fs.items[i].path + 5);
	pyo_findings_sort(&fs);
	check_sorted(&fs, n + m);
	for (i = 0; i < fs.nr; i++)
		after += fs.items[i].line * 7919u +
		         (unsigned)atoi(fs.items[i].path + 5);
	assert_int_equal(sum, after); /* nothing lost, nothing doubled */
	pyo_findings_clear(&fs);
}

static void test_long_run_and_tail(void **state)
{
	size_t m;

	(void)state;
	for (m = 0; m < 40; m += 3)
		run_case(1200, m, 0);
	run_case(1200, 1, 0);
}

static void test_other_shapes(void **state)
{
	(void)state;
	run_case(0, 0, 0);
	run_case(1, 0, 0);
	run_case(0, 500, 0);   /* all random */
	run_case(300, 300, 0); /* a tail too long to insert */
	run_case(800, 5, 1);   /* no long run at the start */
}

/*
 * A scan's workers hand back their chunks' findings and warnings, each
 * worker the chunks it took first (in any mix); the report gets them in
 * chunk order (two threads copy halves when there are many).
 */
static void merge_case(size_t nr_chunks, size_t per_chunk)
{
	struct scan_job jobs[2];
	struct scan_queue q = { 0, nr_chunks };
	struct pyo_report r;
	size_t c, k, total = 0;

	memset(jobs, 0, sizeof(jobs));
	memset(&r, 0, sizeof(r));
	jobs[0].queue = jobs[1].queue = &q;
	for (c = 0; c < nr_chunks; c++) {
		/* runs of chunks to one worker, then the other */
		struct scan_part *p = &jobs[next_rand() % 3 == 0].part;
		size_t n = (c * 7) % (per_chunk + 1); /* some chunks empty */
		char msg[32];

		p->segs = realloc(p->segs, (p->nr_segs + 1) * sizeof(*p->segs));
		assert_non_null(p->segs);
		p->segs[p->nr_segs++] =
		        (struct scan_seg){ c, p->findings.nr, p->nr_warnings };
		if (c % 50 == 0) {
			p->warnings = realloc(p->warnings,
			                      (p->nr_warnings + 1) *
			                              sizeof(*p->warnings));
			assert_non_null(p->warnings);
			snprintf(msg, sizeof(msg), "w%06zu", c);
			p->warnings[p->nr_warnings++] = strdup(msg);
		}
		for (k = 0; k < n; k++) {
			struct pyo_finding f = { 0 };
			char path[32];

			snprintf(path, sizeof(path), "c%06zu", c);
			f.rule_id = (char *)"r";
			f.path = path;
			f.line = (unsigned)k + 1;
			/* strings in the part's arena, as the scan's */
			assert_int_equal(pyo_findings_add_in(&p->findings, &f,
			                                     &p->strings),
			                 0);
		}
		total += n;
	}
	assert_int_equal(pyo_scan_merge_findings(&r, jobs, 2), 0);
	assert_int_equal(r.findings.nr, total);
	for (k = 1; k < r.findings.nr; k++) {
		const struct pyo_finding *a = &r.findings.items[k - 1],
		                         *b = &r.findings.items[k];
		int cmp = strcmp(a->path, b->path);

		assert_true(cmp < 0 || (cmp == 0 && a->line + 1 == b->line));
	}
	/* warnings in chunk order too, all of them while few */
	assert_int_equal(r.nr_warnings, (nr_chunks + 49) / 50);
	for (k = 1; k < r.nr_warnings; k++)
		assert_true(strcmp(r.warnings[k - 1], r.warnings[k]) < 0);
	for (k = 0; k < r.nr_warnings; k++)
		free(r.warnings[k]);
	free(r.warnings);
	pyo_findings_clear(&r.findings);
	/* the parts' string blocks went to the report with the findings */
	assert_null(jobs[0].part.strings.blocks);
	assert_null(jobs[1].part.strings.blocks);
	assert_non_null(r.strings);
	pyo_arena_release(r.strings);
	free(r.strings);
	for (k = 0; k < 2; k++) {
		size_t w;

		pyo_findings_clear(&jobs[k].part.findings); /* moved: empty */
		free(jobs[k].part.segs);
		for (w = 0; w < jobs[k].part.nr_warnings; w++)
			free(jobs[k].part.warnings[w]);
		free(jobs[k].part.warnings);
	}
}

/* One file's `n` findings after `before` others: sorted from there on,
 * the others untouched, nothing lost. */
static void sort_one_file(size_t before, size_t n)
{
	struct pyo_findings fs = { 0 };
	unsigned long sum = 0, after = 0;
	size_t i;

	for (i = 0; i < before; i++)
		add(&fs, 900, (unsigned)(before - i)); /* unsorted: kept so */
	for (i = 0; i < n; i++)
		add(&fs, 7, next_rand() % 40 + 1);
	for (i = before; i < fs.nr; i++)
		sum += fs.items[i].line * 7919u +
		       (unsigned)fs.items[i].rule_id[0];
	pyo_findings_sort_from(&fs, before);
	for (i = 0; i < before; i++)
		assert_int_equal(fs.items[i].line, before - i);
	for (i = before + 1; i < fs.nr; i++) {
		assert_true(fs.items[i - 1].line <= fs.items[i].line);
		if (fs.items[i - 1].line == fs.items[i].line)
			assert_true(strcmp(fs.items[i - 1].rule_id,
			                   fs.items[i].rule_id) <= 0);
	}
	for (i = before; i < fs.nr; i++)
		after += fs.items[i].line * 7919u +
		         (unsigned)fs.items[i].rule_id[0];
	assert_int_equal(sum, after);
	pyo_findings_clear(&fs);
}

static void test_sort_one_file(void **state)
{
	size_t n;

	(void)state;
	/* the insertion sort up to 32, qsort() past it */
	for (n = 0; n < 70; n++)
		sort_one_file(n % 5, n);
}

static void test_merge_chunks(void **state)
{
	(void)state;
	merge_case(10, 5);    /* one thread */
	merge_case(3001, 60); /* > 65,536 findings: two threads */
	merge_case(1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_run_and_tail),
		cmocka_unit_test(test_other_shapes),
		cmocka_unit_test(test_merge_chunks),
		cmocka_unit_test(test_sort_one_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
