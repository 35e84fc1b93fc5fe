/* pyo_count_lines: code, comment and blank lines per language; and
 * pyo_count_lines_index: the same counts, and where every line starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "classify_util.h"

static struct pyo_rules *rules;

static int setup(void **state)
{
	(void)state;
	rules = cu_load_shipped();
	return rules ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cu_free(rules);
	return 0;
}

static void expect(const char *lang,
                   const char *text,
                   uint64_t lines,
                   uint64_t code,
                   uint64_t comment,
                   uint64_t blank)
{
	struct pyo_line_counts n, m;
	struct pyo_line_index idx = { 0 };
	const struct pyo_language *l =
	        lang ? pyo_language_find(rules, lang) : NULL;
	size_t i, k = 1, len = strlen(text);

	pyo_count_lines(&n, l, text, len);
	/* twice into one index: it is reused from text to text */
	assert_int_equal(pyo_count_lines_index(&m, l, "x\ny\n", 4, &idx), 0);
	assert_int_equal(pyo_count_lines_index(&m, l, text, len, &idx), 0);
	assert_memory_equal(&n, &m, sizeof(n));
	/* line starts: 0, then one past each newline, whatever the syntax */
	assert_true(idx.nr >= 1);
	assert_int_equal(idx.starts[0], 0);
	for (i = 0; i < len; i++)
		if (text[i] == '\n') {
			assert_true(k < idx.nr);
			assert_int_equal(idx.starts[k++], i + 1);
		}
	assert_int_equal(idx.nr, k);
	free(idx.starts);
	if (n.lines != lines || n.code != code || n.comment != comment ||
	    n.blank != blank)
		fail_msg("%s %s: got %llu/%llu/%llu/%llu", lang ? lang : "-",
		         text, (unsigned long long)n.lines,
		         (unsigned long long)n.code,
		         (unsigned long long)n.comment,
		         (unsigned long long)n.blank);
}

static void test_plain(void **state)
{
	(void)state;
	expect(NULL, "", 0, 0, 0, 0);
	expect(NULL, "a", 1, 1, 0, 0); /* a final line without \n counts */
	expect(NULL, "a\n\n  \t\nb\n", 4, 2, 0, 2);
	expect("Text", "# not a comment in text\n", 1, 1, 0, 0);
	expect(NULL, "a\r\n\r\n", 2, 1, 0, 1);
}

static void test_c_family(void **state)
{
	(void)state;
	expect("C", "int x; // c\n// only\n\n/* a\n b\n*/ int y;\n", 6, 2, 3,
	       1);
	expect("C", "/* one */\n", 1, 0, 1, 0);
	expect("C", "char *s = \"/* not a comment\";\nint z;\n", 2, 2, 0, 0);
	expect("C", "char c = '\"'; // q\n", 1, 1, 0, 0);
	expect("C", "char *s = \"a\\\" // still string\";\n", 1, 1, 0, 0);
	expect("Go", "x := `\n// raw\n`\n// c\n", 4, 3, 1, 0);
	expect("JavaScript", "const s = `${a}\n/* t */`;\n", 2, 2, 0, 0);
	expect("Java", "/**\n * doc\n\n */\nclass A {}\n", 5, 1, 3, 1);
	expect("Rust",
	       "/* a /* nested */ still */ fn f() {}\n/* x /* y */\n"
	       "z */\n",
	       3, 1, 2, 0);
}

static void test_script_languages(void **state)
{
	(void)state;
	expect("Python", "# c\nx = '#not'\n\"\"\"doc\n# in string\n\"\"\"\n", 5,
	       4, 1, 0);
	expect("Python", "def f():\n    pass  # trailing\n\n", 3, 2, 0, 1);
	expect("Shell", "#!/bin/sh\necho \"# x\" # y\n\n", 3, 1, 1, 1);
	expect("Ruby", "=begin\nblock\n=end\nputs 1\n", 4, 1, 3, 0);
	expect("SQL", "-- c\nSELECT '--' FROM t; /* x */\n", 2, 1, 1, 0);
	expect("Haskell", "{- a {- b -} -}\nmain = 1 -- c\n", 2, 1, 1, 0);
	expect("HTML", "<!-- c -->\n<p>x</p>\n", 2, 1, 1, 0);
}

static void test_speed(void **state)
{
	const struct pyo_language *l = pyo_language_find(rules, "Python");
	static const char chunk[] =
	        "def handler(request):  # entry\n"
	        "    \"\"\"Serve one request.\"\"\"\n"
	        "    data = request.json()\n"
	        "\n"
	        "    return {'status': 'ok', 'items': [x for x in data]}\n";
	size_t n = 32u << 20, i;
	struct pyo_line_counts c;
	struct timespec t0, t1;
	double s;
	char *buf = malloc(n);

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		buf[i] = chunk[i % (sizeof(chunk) - 1)];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pyo_count_lines(&c, l, buf, n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "count_lines Python: %.0f MB/s\n", n / s / 1e6);
	assert_true(c.lines > 0 && c.code + c.comment + c.blank == c.lines);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_c_family),
		cmocka_unit_test(test_script_languages),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
