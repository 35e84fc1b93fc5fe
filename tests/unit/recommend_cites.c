/*
 * recommend_cites.c: every "cite" of rules/guidance.json (factors and
 * figures) is a sentence of the article, byte for byte, and every figure's
 * numbers appear in the sentence it cites. The article's body is kept here
 * verbatim (from "Python and Go are the two languages" to the FAQ's end).
 * Also runs the guidance's own examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guidance.h"
#include "rules_int.h"

static const char article[] =
        "Python and Go are the two languages that teams most commonly "
        "choose for new backend API services in 2026. Both are "
        "production-proven at scale — Instagram runs Python (Django), "
        "Cloudflare runs Go. The decision depends on your team's existing "
        "expertise, the performance requirements of the service, and "
        "whether the service needs to interface heavily with ML/AI tooling."
        "\n"
        ""
        "\n"
        "Python's dominant advantage is the ML/AI ecosystem. If your "
        "service calls into PyTorch, transformers, scikit-learn, or any "
        "numerical computing library, Python is non-negotiable — the "
        "bindings are Python-native and the overhead of cross-language FFI "
        "would negate any performance gain. FastAPI (100K+ GitHub stars) "
        "delivers async Python performance that handles 10K-20K "
        "requests/second on typical API workloads, which covers the vast "
        "majority of real-world requirements. Python 3.12+ is 20% faster "
        "than 3.11, and the GIL is being relaxed in 3.13 for true "
        "multi-threaded parallelism."
        "\n"
        ""
        "\n"
        "Go's dominant advantage is raw performance with simplicity. A Go "
        "HTTP service handling 100K-200K requests/second per core is "
        "achievable without tuning. Goroutines make concurrent workloads "
        "(fan-out to multiple downstream services, WebSocket handling, "
        "streaming) straightforward. Compilation produces a single static "
        "binary with no runtime dependencies — deployment is `scp` a binary "
        "to a server. Memory usage is 3-10x lower than equivalent Python "
        "services, which matters for high-density deployments."
        "\n"
        ""
        "\n"
        "Time to ship: Python wins for small teams. A developer productive "
        "in Python for 1 year builds FastAPI services faster than an "
        "equivalent Go developer because the standard library covers more, "
        "ORM tooling (SQLAlchemy) is more mature, and debugging is more "
        "interactive. Go's compile step, verbose error handling, and "
        "absence of generics until Go 1.21 have a cost in development "
        "speed."
        "\n"
        ""
        "\n"
        "Hiring: as of 2026, there are roughly 4-5x more experienced Python "
        "developers than Go developers in the hiring market. Senior Go "
        "engineers command 10-20% salary premiums in most markets."
        "\n"
        ""
        "\n"
        "Practical guidance: Python + FastAPI for services that touch "
        "ML/AI, for small teams prioritizing shipping speed, or when your "
        "team's strength is Python. Go for high-throughput infrastructure "
        "services (proxy layers, data pipelines, API gateways), CLI tools, "
        "and services where predictable low latency under load is a hard "
        "requirement."
        "\n"
        ""
        "\n"
        "Frequently Asked Questions"
        "\n"
        ""
        "\n"
        "How does FastAPI compare to Gin (Go) in performance?"
        "\n"
        ""
        "\n"
        "Gin (Go) achieves roughly 60K-100K requests/second on a single "
        "core for simple JSON endpoints. FastAPI with uvicorn achieves "
        "15K-25K requests/second on equivalent hardware. Go is 3-5x faster "
        "in raw throughput. For most API services, both are fast enough "
        "that database latency (5-50ms) dominates the response time, making "
        "the web framework throughput difference irrelevant."
        "\n"
        ""
        "\n"
        "Can Python handle the same scale as Go?"
        "\n"
        ""
        "\n"
        "Yes, with more hardware. A Python service that needs 10 servers to "
        "handle a given load requires 3-4 Go servers. At $50/month per "
        "server, the infrastructure cost difference is $350-500/month — "
        "trivial for most businesses. Scale Python by adding CPU workers "
        "and servers; the operational simplicity of Python often outweighs "
        "the infrastructure savings from Go."
        "\n"
        ""
        "\n"
        "Is Go harder to learn than Python?"
        "\n"
        ""
        "\n"
        "Go has a smaller language surface than Python — fewer features, "
        "more opinionated style. The Go specification is ~50 pages; the "
        "Python specification is much longer. However, Go's error handling "
        "(explicit error returns rather than exceptions) and type system "
        "take adjustment for Python developers. Most experienced Python "
        "developers reach Go productivity within 2-4 weeks for simple "
        "services."
        "\n";

static struct pyo_guidance *g;

static int load(void **state)
{
	const char *src = getenv("SRC_DIR");
	char path[4096];
	struct rules_file f = { 0 };
	static char text[1 << 20];
	FILE *fp;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%.4000s/rules/guidance.json",
	         src ? src : ".");
	if (!(fp = fopen(path, "rb")))
		return -1;
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	f.name = "rules/guidance.json";
	f.text = text;
	f.len = n;
	f.doc = cJSON_Parse(text);
	if (!f.doc || pyo_guidance_load(&g, &f) < 0) {
		fprintf(stderr, "%s\n", pyo_error_last());
		return -1;
	}
	cJSON_Delete(f.doc);
	return 0;
}

static int unload(void **state)
{
	(void)state;
	pyo_guidance_free(g);
	return 0;
}

/* A whole sentence: found, and ending with . or ? */
static void check_sentence(const char *what, const char *cite)
{
	size_t n = strlen(cite);

	if (!strstr(article, cite))
		fail_msg("%s: not in the article: \"%s\"", what, cite);
	if (n < 10 || (cite[n - 1] != '.' && cite[n - 1] != '?'))
		fail_msg("%s: not a whole sentence: \"%s\"", what, cite);
}

static void test_factor_cites(void **state)
{
	size_t i;

	(void)state;
	assert_true(g->nr_factors >= 16);
	for (i = 0; i < g->nr_factors; i++)
		check_sentence(g->factors[i].id, g->factors[i].cite);
}

/* "10000" appears as "10K", "$50" as "50": the sentence says the number. */
static int says(const char *cite, double v)
{
	char a[32], b[32];

	snprintf(a, sizeof(a), "%.0f", v);
	snprintf(b, sizeof(b), "%.0fK", v / 1000);
	return strstr(cite, a) || (v >= 1000 && strstr(cite, b));
}

static void test_figure_cites(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < g->nr_figures; i++) {
		const struct gfigure *f = &g->figures[i];

		check_sentence(f->id, f->cite);
		if (!says(f->cite, f->min) || !says(f->cite, f->max))
			fail_msg("%s: %g-%g not in \"%s\"", f->id, f->min,
			         f->max, f->cite);
	}
}

/* The article's two ranges per language are both kept. */
static void test_two_ranges(void **state)
{
	(void)state;
	assert_non_null(pyo_guidance_figure(g, g->py_primary));
	assert_non_null(pyo_guidance_figure(g, g->py_secondary));
	assert_non_null(pyo_guidance_figure(g, g->go_primary));
	assert_non_null(pyo_guidance_figure(g, g->go_secondary));
	assert_true(pyo_guidance_figure(g, g->go_secondary)->min == 100000);
	assert_true(pyo_guidance_figure(g, g->go_primary)->min == 60000);
	assert_true(pyo_guidance_figure(g, g->py_secondary)->min == 10000);
	assert_true(pyo_guidance_figure(g, g->py_primary)->min == 15000);
}

static void test_examples(void **state)
{
	size_t passed = 0, failed = 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(pyo_guidance_test(out, g, 0, &passed, &failed), 0);
	fclose(out);
	if (failed)
		fail_msg("%s", buf);
	assert_true(passed >= 2 * g->nr_factors);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factor_cites),
		cmocka_unit_test(test_figure_cites),
		cmocka_unit_test(test_two_ranges),
		cmocka_unit_test(test_examples),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
