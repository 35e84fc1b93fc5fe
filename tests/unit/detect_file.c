/*
 * detect_file: the shipped detector rules on realistic snippets with
 * decoys, exact findings; dependency mapping; signals; bad and
 * pathological user rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pyorgo/detect.h"
#include "pyorgo/rules.h"

static struct pyo_rules *rules;
static struct pyo_detector *det;

struct warns {
	int n;
	char last[512];
};

static void on_warn(void *payload, const char *msg)
{
	struct warns *w = payload;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

static int setup(void **state)
{
	const char *src = getenv("SRC_DIR");
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/rules", src ? src : ".");
	if (pyo_rules_load_dir(&rules, dir) < 0) {
		fprintf(stderr, "%s\n", pyo_error_last());
		return -1;
	}
	return pyo_detector_new(&det, rules);
}

static int teardown(void **state)
{
	(void)state;
	pyo_detector_free(det);
	pyo_rules_free(rules);
	return 0;
}

/* "rule@line:col" of every finding, in order, joined by spaces. */
static char *run(const char *path, const char *lang, const char *src)
{
	struct pyo_findings f = { 0 };
	char *out = malloc(16384);
	size_t i, o = 0;

	assert_non_null(out);
	assert_int_equal(pyo_detect_file(det, &f, path, lang, PYO_SCOPE_SERVICE,
	                                 src, strlen(src), NULL, NULL),
	                 0);
	pyo_findings_sort(&f);
	out[0] = '\0';
	for (i = 0; i < f.nr; i++)
		o += (size_t)snprintf(out + o, 16384 - o, "%s%s@%u:%u",
		                      i ? " " : "", f.items[i].rule_id,
		                      f.items[i].line, f.items[i].column);
	pyo_findings_clear(&f);
	return out;
}

static void
expect(const char *path, const char *lang, const char *src, const char *want)
{
	char *got = run(path, lang, src);

	assert_string_equal(got, want);
	free(got);
}

static void test_fastapi_torch(void **state)
{
	(void)state;
	expect("app/main.py", "Python",
	       "\"\"\"Service. Example:\n"
	       "    import tensorflow as tf\n"
	       "\"\"\"\n"
	       "import torch\n"
	       "from fastapi import FastAPI\n"
	       "# import sklearn\n"
	       "DOC = 'asyncio.gather(a, b)'\n"
	       "app = FastAPI()\n"
	       "model = torch.load('m.pt')\n"
	       "\n"
	       "@app.get('/predict')\n"
	       "async def predict(x: str):\n"
	       "    return await asyncio.gather(a(), b())\n",
	       "ml.torch@4:1 framework.fastapi@5:1 framework.fastapi.app@8:7 "
	       "ml.model_load@9:9 framework.route_decorator.app@11:1 "
	       "concurrency.py.async_def@12:1 concurrency.py.await@13:12 "
	       "concurrency.py.gather@13:18");
}

/* An import maps to the rules of the longest key it is or starts with:
 * "ray.serve" (service.ray_serve) inside "ray" (ml.ray); a name that only
 * starts like a key ("rayon", "ray_tracing") or only shares its leading
 * parts with one maps to none. */
static void test_import_longest_key(void **state)
{
	(void)state;
	expect("svc/a.py", "Python", "from ray.serve.handle import H\n",
	       "service.ray_serve@1:1");
	expect("svc/a.py", "Python", "import ray.serve\n",
	       "service.ray_serve@1:1");
	expect("svc/a.py", "Python", "import ray.data\n", "ml.ray@1:1");
	expect("svc/a.py", "Python", "import ray\n", "ml.ray@1:1");
	expect("svc/a.py", "Python", "import rayon\nimport ray_tracing\n", "");
	expect("svc/a.go", "Go",
	       "package m\nimport \"connectrpc.com/connect\"\n",
	       "framework.go.connect@2:8");
	expect("svc/a.go", "Go", "package m\nimport \"connectrpc.com/other\"\n",
	       "");
}

static void test_go_gateway(void **state)
{
	(void)state;
	expect("cmd/gw/main.go", "Go",
	       "package main\n"
	       "\n"
	       "import (\n"
	       "\t\"net/http\"\n"
	       "\t\"net/http/httputil\"\n"
	       ")\n"
	       "\n"
	       "// go func() { not code }\n"
	       "var doc = \"go func() {}\"\n"
	       "var tmpl = `go worker(ch)`\n"
	       "\n"
	       "func main() {\n"
	       "\tproxy := httputil.NewSingleHostReverseProxy(u)\n"
	       "\tdone := make(chan struct{})\n"
	       "\tgo func() { <-done }()\n"
	       "\thttp.ListenAndServe(\":8080\", proxy)\n"
	       "}\n",
	       "framework.go.nethttp@4:2 framework.go.nethttp@5:2 "
	       "service.go.reverse_proxy@13:11 concurrency.go.make_chan@14:10 "
	       "concurrency.go.chan_type@14:15 concurrency.go.go_stmt@15:2 "
	       "framework.go.net_http.app@16:2");
}

static void test_decoys(void **state)
{
	(void)state;
	/* prose and other languages never see Go or Python rules */
	expect("README.md", "Markdown",
	       "Let's go to the store.\ngo func() { }\nimport torch\n", "");
	expect("run.sh", "Shell", "cargo (x)\necho 'go f()'\n", "");
	/* Go rule words in Python code, Python decoys */
	expect("a.py", "Python",
	       "go(x)\nr = rb'import torch'\nx = f\"{torch}\"\n", "");
}

static void test_deps(void **state)
{
	struct pyo_deps deps = { 0 };
	struct pyo_findings f = { 0 };
	struct pyo_dep d = { 0 };

	(void)state;
	d.ecosystem = "pypi";
	d.name = "torch";
	d.constraint = "==2.3.0";
	d.manifest = "requirements.txt";
	d.line = 3;
	d.is_direct = 1;
	assert_int_equal(pyo_deps_add(&deps, &d), 0);
	d.name = "scikit-learn";
	d.constraint = "";
	d.manifest = "requirements-dev.txt";
	d.line = 1;
	assert_int_equal(pyo_deps_add(&deps, &d), 0);
	d.ecosystem = "go";
	d.name = "github.com/labstack/echo/v4";
	d.constraint = "v4.12.0";
	d.manifest = "go.mod";
	d.line = 5;
	assert_int_equal(pyo_deps_add(&deps, &d), 0);
	d.name = "github.com/labstack/echo-contrib";
	assert_int_equal(pyo_deps_add(&deps, &d), 0);

	assert_int_equal(pyo_detect_deps(&f, rules, &deps), 0);
	assert_int_equal(f.nr, 3);
	assert_string_equal(f.items[0].rule_id, "ml.torch");
	assert_string_equal(f.items[0].snippet, "torch==2.3.0");
	assert_int_equal(f.items[0].line, 3);
	assert_int_equal(f.items[0].where, PYO_WHERE_MANIFEST);
	assert_int_equal(f.items[0].scope, PYO_SCOPE_SERVICE);
	assert_string_equal(f.items[1].rule_id, "ml.sklearn");
	assert_int_equal(f.items[1].scope, PYO_SCOPE_TEST);
	assert_string_equal(f.items[2].rule_id, "framework.go.echo");
	assert_string_equal(f.items[2].snippet,
	                    "github.com/labstack/echo/v4 v4.12.0");
	pyo_findings_clear(&f);
	pyo_deps_clear(&deps);
}

static void test_signals(void **state)
{
	struct pyo_report *r = NULL;
	struct pyo_dep d = { 0 };
	const char *svc = "import torch\nfrom fastapi import FastAPI\n";
	const char *tst = "import torch\nimport openai\n";

	(void)state;
	assert_int_equal(pyo_report_new(&r), 0);
	assert_int_equal(pyo_detect_file(det, &r->findings, "svc/app.py",
	                                 "Python", PYO_SCOPE_SERVICE, svc,
	                                 strlen(svc), NULL, NULL),
	                 0);
	assert_int_equal(pyo_detect_file(det, &r->findings, "tests/test_app.py",
	                                 "Python", PYO_SCOPE_TEST, tst,
	                                 strlen(tst), NULL, NULL),
	                 0);
	d.ecosystem = "pypi";
	d.name = "torch";
	d.manifest = "requirements.txt";
	d.line = 1;
	d.is_direct = 1;
	assert_int_equal(pyo_deps_add(&r->deps, &d), 0);
	assert_int_equal(pyo_detect_deps(&r->findings, rules, &r->deps), 0);
	pyo_findings_sort(&r->findings);
	assert_int_equal(pyo_detect_summarize(r), 0);

	assert_true(pyo_signals_value(&r->signals, "ml.native.service") == 2);
	assert_true(pyo_signals_value(&r->signals, "ml.native.nonservice") ==
	            1);
	assert_true(pyo_signals_value(&r->signals, "ml.native") == 2.25);
	assert_true(pyo_signals_value(&r->signals, "ml.native.deps") == 1);
	assert_true(pyo_signals_value(&r->signals, "ml.native.gate") == 1);
	assert_true(pyo_signals_value(&r->signals, "ml.sdk.service") == 0);
	assert_true(pyo_signals_value(&r->signals, "ml.sdk.nonservice") == 1);
	assert_true(pyo_signals_value(&r->signals, "framework.python") == 1);
	assert_non_null(pyo_signals_get(&r->signals, "ml.native.gate"));
	assert_int_equal(
	        pyo_signals_get(&r->signals, "ml.native.gate")->nr_findings, 1);
	assert_true(r->nr_categories >= 2);
	pyo_report_free(r);
}

/*
 * A rule set of one file `name` (with the shipped languages linked next
 * to it) in a new folder `dir` (64 bytes): NULL when it does not load.
 */
static struct pyo_rules *
rules_with(char *dir, const char *name, const char *json)
{
	const char *src = getenv("SRC_DIR");
	char from[512], p[600];
	struct pyo_rules *r = NULL;
	FILE *f;

	/* mkdtemp() replaces the six Xs with a unique name */
	snprintf(dir, 64, "/tmp/pyorgo-detect-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(from, sizeof(from), "%s/rules/languages.json",
	         src ? src : ".");
	snprintf(p, sizeof(p), "%s/languages.json", dir);
	assert_int_equal(symlink(from, p), 0);
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	if (pyo_rules_load_dir(&r, dir) < 0)
		return NULL;
	return r;
}

static void rules_dir_remove(const char *dir, const char *name)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/languages.json", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	rmdir(dir);
}

static void test_bad_regex(void **state)
{
	struct pyo_rules *r;
	char dir[64];

	(void)state;
	r = rules_with(
	        dir, "bad.json",
	        "{\"kind\": \"detect\", \"version\": \"1\", \"category\": "
	        "\"service\",\n \"rules\": [\n  {\"id\": \"x.bad\", "
	        "\"description\": \"d\", \"lang\": \"go\", \"scope\": "
	        "\"code\", \"signal\": \"s\", \"weight\": 1, \"favours\": "
	        "\"go\",\n   \"regex\": \"foo(\", \"examples\": {\"match\": "
	        "[\"foo(\"], \"nomatch\": []}}\n ]\n}\n");
	assert_null(r);
	assert_non_null(strstr(pyo_error_last(), "bad.json:4:13:"));
	assert_non_null(strstr(pyo_error_last(), "x.bad"));
	rules_dir_remove(dir, "bad.json");
}

static void test_pathological(void **state)
{
	struct pyo_rules *r;
	struct pyo_detector *d = NULL;
	struct pyo_findings f = { 0 };
	struct warns w = { 0 };
	char *big;
	size_t n = 10 * 1024 * 1024, i;
	char dir[64];

	(void)state;
	r = rules_with(
	        dir, "bad.json",
	        "{\"kind\": \"detect\", \"version\": \"1\", \"category\": "
	        "\"service\", \"rules\": [\n  {\"id\": \"x.slow\", "
	        "\"description\": \"d\", \"lang\": \"go\", \"scope\": "
	        "\"raw\", \"signal\": \"s\", \"weight\": 1, \"favours\": "
	        "\"go\", \"regex\": \"^(a+)+$\", \"examples\": {\"match\": "
	        "[\"aaa\"], \"nomatch\": [\"b\"]}}\n ]\n}\n");
	if (!r)
		fail_msg("%s", pyo_error_last());
	assert_int_equal(pyo_detector_new(&d, r), 0);
	/* a 10 MB single line that backtracks: a warning, no hang */
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	big[n - 1] = 'b';
	big[n] = '\0';
	assert_int_equal(pyo_detect_file(d, &f, "huge.go", "Go",
	                                 PYO_SCOPE_SERVICE, big, n, on_warn,
	                                 &w),
	                 0);
	assert_int_equal(f.nr, 0);
	assert_true(w.n >= 2);
	assert_non_null(strstr(w.last, "x.slow"));
	assert_non_null(strstr(w.last, "huge.go"));
	/* binary content and invalid UTF-8 */
	for (i = 0; i < 4096; i++)
		big[i] = (char)(i * 7);
	w.n = 0;
	assert_int_equal(pyo_detect_file(d, &f, "bin.go", "Go",
	                                 PYO_SCOPE_SERVICE, big, 4096, on_warn,
	                                 &w),
	                 0);
	assert_int_equal(w.n, 1);
	free(big);
	pyo_findings_clear(&f);
	pyo_detector_free(d);
	pyo_rules_free(r);
	rules_dir_remove(dir, "bad.json");
}

static void test_invalid_utf8_snippet(void **state)
{
	struct pyo_findings f = { 0 };
	const char *src = "import torch # \xff\xfe caf\xc3\xa9\n";

	(void)state;
	assert_int_equal(pyo_detect_file(det, &f, "x.py", "Python",
	                                 PYO_SCOPE_SERVICE, src, strlen(src),
	                                 NULL, NULL),
	                 0);
	assert_int_equal(f.nr, 1);
	assert_string_equal(f.items[0].snippet,
	                    "import torch # ?? caf\xc3\xa9");
	assert_string_equal(f.items[0].detail, "torch");
	pyo_findings_clear(&f);
}

/*
 * A regex runs only next to its keywords when the file's keyword hits fit
 * the list, over the whole file when they do not: both give the same
 * findings, and a match may run on past its keyword's line.
 */
static void test_keyword_windows(void **state)
{
	const char *tail = "from celery import Celery\n"
	                   "app = Celery(\n    'jobs')\n"
	                   "@app.task\n"
	                   "def run():\n    pass\n";
	size_t reps[] = { 10, 300000 }, i, k;
	char *res[2];

	(void)state;
	for (i = 0; i < 2; i++) {
		size_t n = reps[i] * 6 + strlen(tail);
		char *src = malloc(n + 1), *p = src;

		assert_non_null(src);
		/* "task" on every line: more than KW_MAX_HITS in the second */
		for (k = 0; k < reps[i]; k++, p += 6)
			memcpy(p, "task \n", 6);
		strcpy(p, tail);
		res[i] = run("worker.py", "Python", src);
		free(src);
	}
	assert_non_null(strstr(res[0], "service.py.celery@11:1"));
	assert_non_null(strstr(res[0], "service.py.celery@12:7"));
	assert_non_null(strstr(res[0], "service.py.celery_task@14:1"));
	/* the same findings 299,990 lines further down */
	assert_non_null(strstr(res[1], "service.py.celery@300001:1"));
	assert_non_null(strstr(res[1], "service.py.celery@300002:7"));
	assert_non_null(strstr(res[1], "service.py.celery_task@300004:1"));
	free(res[0]);
	free(res[1]);
}

/*
 * Rules whose every match starts with a keyword are tried only where one
 * starts: the right places are found past keywords that do not match
 * (in code, in a comment, in a string), and two on one line give one
 * finding at the first that matches.
 */
static void test_anchored_windows(void **state)
{
	(void)state;
	expect("svc.py", "Python",
	       "async with lock:\n"
	       "    pass  # async def nope(\n"
	       "s = 'async def nope('\n"
	       "x = 1; async def ok(a):\n"
	       "    async for y in z: pass\n"
	       "async def ok2(): pass; async def ok3(): pass\n",
	       "concurrency.py.async_def@4:8 concurrency.py.async_def@6:1");
	expect("main.go", "Go",
	       "package main\n"
	       "// http.ListenAndServe(\":1\", nil)\n"
	       "var s = \"http.Handle(x)\"\n"
	       "func main() { http.HandleFunc(\"/\", h); "
	       "http.ListenAndServe(\":8080\", nil) }\n",
	       "framework.go.net_http.app@4:15");
}

/* rule files for test_requires_imports */
static const char REQUIRES_RULES[] =
        "{\"kind\": \"detect\", \"version\": \"1\", \"category\": \"s"
        "ervice\", \"rules\": [\n {\"id\": \"x.magic\", \"description"
        "\": \"d\", \"lang\": \"python\", \"scope\": \"code\", \"sign"
        "al\": \"s\", \"weight\": 1, \"favours\": \"none\", \"regex\""
        ": \"\\\\bmagic\\\\(\", \"keyword\": \"magic(\", \"requires\""
        ": [\"import:foo.bar\"], \"examples\": {\"match\": [\"import "
        "foo.bar\\nmagic()\"], \"nomatch\": [\"magic()\"]}},\n {\"id\""
        ": \"x.gomagic\", \"description\": \"d\", \"lang\": \"go\", \""
        "scope\": \"code\", \"signal\": \"s\", \"weight\": 1, \"favou"
        "rs\": \"none\", \"regex\": \"\\\\bMagic\\\\(\", \"keyword\":"
        " \"Magic(\", \"requires\": [\"import:github.com/x/y\"], \"ex"
        "amples\": {\"match\": [\"import \\\"github.com/x/y\\\"\\nfun"
        "c f() { y.Magic() }\"], \"nomatch\": [\"func f() { y.Magic()"
        " }\"]}}\n]}\n";
static const char REQUIRES_BAD[] =
        "{\"kind\": \"detect\", \"version\": \"1\", \"category\": \"s"
        "ervice\", \"rules\": [\n {\"id\": \"x.bad\", \"description\""
        ": \"d\", \"lang\": \"python\", \"scope\": \"code\", \"signal"
        "\": \"s\", \"weight\": 1, \"favours\": \"none\", \"regex\": "
        "\"m\", \"requires\": [\"celery\"], \"examples\": {\"match\":"
        " [\"m\"], \"nomatch\": [\"x\"]}}\n]}\n";

/* Number of findings of `src` (a Python file) under rule set `r`. */
static size_t count_in(struct pyo_rules *r, const char *lang, const char *src)
{
	struct pyo_detector *d = NULL;
	struct pyo_findings f = { 0 };
	size_t n;

	assert_int_equal(pyo_detector_new(&d, r), 0);
	assert_int_equal(pyo_detect_file(d, &f, "x", lang, PYO_SCOPE_SERVICE,
	                                 src, strlen(src), NULL, NULL),
	                 0);
	n = f.nr;
	pyo_findings_clear(&f);
	pyo_detector_free(d);
	return n;
}

/* "requires": ["import:X"] holds per file; a malformed fact is refused. */
static void test_requires_imports(void **state)
{
	char dir[64];
	struct pyo_rules *r;

	(void)state;
	r = rules_with(dir, "x.json", REQUIRES_RULES);
	if (!r)
		fail_msg("%s", pyo_error_last());
	assert_int_equal(count_in(r, "Python", "import foo.bar\nmagic()\n"), 1);
	assert_int_equal(
	        count_in(r, "Python", "from foo.bar.baz import q\nmagic()\n"),
	        1);
	assert_int_equal(count_in(r, "Python",
	                          "from proj.foo.bar import app\nmagic()\n"),
	                 1);
	assert_int_equal(count_in(r, "Python", "import foo\nmagic()\n"), 0);
	assert_int_equal(count_in(r, "Python", "import foo.barn\nmagic()\n"),
	                 0);
	assert_int_equal(count_in(r, "Python", "# import foo.bar\nmagic()\n"),
	                 0);
	assert_int_equal(count_in(r, "Python", "magic()\n"), 0);
	assert_int_equal(count_in(r, "Go",
	                          "package m\nimport \"github.com/x/y/z\"\n"
	                          "func f() { z.Magic() }\n"),
	                 1);
	assert_int_equal(count_in(r, "Go",
	                          "package m\nimport \"github.com/x/yy\"\n"
	                          "func f() { yy.Magic() }\n"),
	                 0);
	pyo_rules_free(r);
	rules_dir_remove(dir, "x.json");

	r = rules_with(dir, "x.json", REQUIRES_BAD);
	assert_null(r);
	assert_non_null(strstr(pyo_error_last(), "x.json:2:2:"));
	assert_non_null(strstr(pyo_error_last(), "expected \"import:NAME\""));
	rules_dir_remove(dir, "x.json");
}

/* How many findings the busiest rule added to the last file: the scan
 * caps a rule's findings per file only when this passes the cap. */
static void test_most_per_rule(void **state)
{
	char *out;

	(void)state;
	out = run("app.py", "Python",
	          "import torch\nimport torch.nn\nimport torch.optim\n"
	          "from torch import cuda\nimport torch.utils\n");
	free(out);
	assert_int_equal(pyo_detector_most_per_rule(det), 5);
	out = run("one.py", "Python", "import torch\n");
	free(out);
	assert_int_equal(pyo_detector_most_per_rule(det), 1);
	/* no rule for the language: nothing added, nothing left over */
	out = run("notes.txt", "Text", "import torch\n");
	free(out);
	assert_int_equal(pyo_detector_most_per_rule(det), 0);
}

/*
 * Summaries of many findings (computed on two threads past 65,536): the
 * counts a plain walk gives, with a file's findings on both sides of the
 * middle. 80,025 findings in 3,201 files of 25; the even files are
 * service code; every finding "concurrency" and signal "s.a", but every
 * third one signal "s.b".
 */
#define MANY 80025
#define PER_FILE 25
static void test_summaries_many(void **state)
{
	struct pyo_report *r = NULL;
	size_t i, files = MANY / PER_FILE;
	double want_a = 0, want_b = 0, want_as = 0, want_bn = 0;
	const struct pyo_signal *a, *b, *as, *bn;
	char path[32];

	(void)state;
	assert_int_equal(pyo_report_new(&r), 0);
	for (i = 0; i < MANY; i++) {
		struct pyo_finding f = { 0 };
		size_t file = i / PER_FILE;

		snprintf(path, sizeof(path), "src/f%05zu.py", file);
		f.rule_id = (char *)(i % 3 ? "r.a" : "r.b");
		f.category = (char *)"concurrency";
		f.signal = (char *)(i % 3 ? "s.a" : "s.b");
		f.path = path;
		f.line = (unsigned)(i % PER_FILE) + 1;
		f.where = PYO_WHERE_PATTERN;
		f.scope = file % 2 ? PYO_SCOPE_TEST : PYO_SCOPE_SERVICE;
		assert_int_equal(pyo_findings_add(&r->findings, &f), 0);
	}
	/* a file counts once per signal: 1 in service code, 0.25 in tests */
	for (i = 0; i < files; i++) {
		size_t k, has_a = 0, has_b = 0;
		double w = i % 2 ? 0.25 : 1.0;

		for (k = i * PER_FILE; k < (i + 1) * PER_FILE; k++) {
			has_a |= k % 3 != 0;
			has_b |= k % 3 == 0;
		}
		want_a += has_a ? w : 0;
		want_b += has_b ? w : 0;
		want_as += has_a && i % 2 == 0;
		want_bn += has_b && i % 2;
	}
	assert_int_equal(pyo_detect_summarize(r), 0);
	assert_int_equal(r->nr_categories, 1);
	assert_int_equal(r->categories[0].findings, MANY);
	assert_int_equal(r->categories[0].files, files);
	a = pyo_signals_get(&r->signals, "s.a");
	b = pyo_signals_get(&r->signals, "s.b");
	as = pyo_signals_get(&r->signals, "s.a.service");
	bn = pyo_signals_get(&r->signals, "s.b.nonservice");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(as);
	assert_non_null(bn);
	assert_true(a->value == want_a);
	assert_true(b->value == want_b);
	assert_true(as->value == want_as);
	assert_true(bn->value == want_bn);
	assert_int_equal(a->nr_findings + b->nr_findings, MANY);
	pyo_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fastapi_torch),
		cmocka_unit_test(test_go_gateway),
		cmocka_unit_test(test_import_longest_key),
		cmocka_unit_test(test_decoys),
		cmocka_unit_test(test_deps),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_invalid_utf8_snippet),
		cmocka_unit_test(test_keyword_windows),
		cmocka_unit_test(test_anchored_windows),
		cmocka_unit_test(test_requires_imports),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_most_per_rule),
		cmocka_unit_test(test_summaries_many),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
