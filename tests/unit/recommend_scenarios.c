/*
 * recommend_scenarios.c: the article's statements as scenarios. Each one
 * names the sentence it tests, builds a signal set and declared needs, and
 * checks the verdict and its top reason against the shipped guidance
 * (rules/guidance.json). Also: determinism, capacity maths, evidence and
 * "what would change the call".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pyorgo/recommend.h"
#include "guidance.h"
#include "rules_int.h"
#include "sections.h"
#include "strutil.h"

static struct pyo_rules *rules;

/* The shipped rules; the guidance alone when another rule file is broken
 * (`rules/examples` reports those). */
static int load_rules(void **state)
{
	const char *src = getenv("SRC_DIR");
	char dir[2048], path[4096];
	struct rules_file f = { 0 };
	FILE *fp;
	char *text;
	long n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/rules", src ? src : ".");
	if (pyo_rules_load_dir(&rules, dir) == 0 && rules->guidance)
		return 0;
	fprintf(stderr, "note: %s; loading guidance.json alone\n",
	        pyo_error_last());
	snprintf(path, sizeof(path), "%s/guidance.json", dir);
	if (!(fp = fopen(path, "rb")))
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = calloc(1, (size_t)n + 1);
	if (fread(text, 1, (size_t)n, fp) != (size_t)n)
		return -1;
	fclose(fp);
	f.name = "rules/guidance.json";
	f.text = text;
	f.len = (size_t)n;
	f.doc = cJSON_Parse(text);
	rules = calloc(1, sizeof(*rules));
	if (!f.doc || pyo_guidance_load(&rules->guidance, &f) < 0) {
		fprintf(stderr, "%s\n", pyo_error_last());
		return -1;
	}
	cJSON_Delete(f.doc);
	free(text);
	return 0;
}

static int free_rules(void **state)
{
	(void)state;
	pyo_rules_free(rules);
	return 0;
}

struct scenario {
	const char *cite;    /* the article's sentence under test */
	const char *signals; /* "name=value ..." */
	const char *service;
	double target_rps, p99_ms, team_size;
	const char *expect; /* python, go, either */
	const char *top;    /* the first hard constraint, else reason 1 */
};

#define S_ML \
	"If your service calls into PyTorch, transformers, scikit-learn, or any numerical computing library, Python is non-negotiable"
#define S_FASTAPI \
	"FastAPI (100K+ GitHub stars) delivers async Python performance that handles 10K-20K requests/second on typical API workloads"
#define S_GOROUTINES \
	"Goroutines make concurrent workloads (fan-out to multiple downstream services, WebSocket handling, streaming) straightforward."
#define S_BINARY \
	"Compilation produces a single static binary with no runtime dependencies"
#define S_MEMORY \
	"Memory usage is 3-10x lower than equivalent Python services, which matters for high-density deployments."
#define S_SMALL "Time to ship: Python wins for small teams."
#define S_ORM "ORM tooling (SQLAlchemy) is more mature"
#define S_HIRING \
	"there are roughly 4-5x more experienced Python developers than Go developers in the hiring market."
#define S_PYGUIDE \
	"Python + FastAPI for services that touch ML/AI, for small teams prioritizing shipping speed, or when your team's strength is Python."
#define S_GOGUIDE \
	"Go for high-throughput infrastructure services (proxy layers, data pipelines, API gateways), CLI tools, and services where predictable low latency under load is a hard requirement."
#define S_DECIDE "The decision depends on your team's existing expertise"
#define S_RATIO "Go is 3-5x faster in raw throughput."
#define S_DB \
	"both are fast enough that database latency (5-50ms) dominates the response time"
#define S_OPS \
	"the operational simplicity of Python often outweighs the infrastructure savings from Go."
#define S_RAMP \
	"Most experienced Python developers reach Go productivity within 2-4 weeks for simple services."

static const struct scenario scenarios[] = {
	{ S_ML, "ml.native.gate=1 ml.native.service=2", NULL, 0, 0, 0, "python",
	  "ml.native" },
	{ S_ML, "ml.native.gate=2", "gateway", 200000, 10, 0, "python",
	  "ml.native" },
	{ S_ML, "", "ml-inference", 0, 0, 0, "python", "ml.native" },
	{ S_ML,
	  "ml.sdk.service=2 team.go_active_12m=5 team.python_active_12m=1 "
	  "team.active_12m=5 lang.go.share=80",
	  NULL, 0, 0, 0, "go", "team.go_strength" },
	{ S_ML, "ml.native.training_only=2", NULL, 0, 0, 0, "either", NULL },
	{ S_PYGUIDE, "ml.sdk.service=3", NULL, 0, 0, 0, "python",
	  "ml.sdk_only" },
	{ S_SMALL, "team.active_90d=2", NULL, 0, 0, 0, "python", "team.small" },
	{ S_SMALL, "team.active_90d=12", NULL, 0, 0, 3, "python",
	  "team.small" },
	{ S_SMALL, "team.active_90d=3", NULL, 0, 0, 20, "either", NULL },
	{ S_PYGUIDE,
	  "team.active_90d=3 team.python_active_12m=3 team.active_12m=3 "
	  "lang.python.share=90 service.crud=4",
	  NULL, 0, 0, 0, "python", "team.python_strength" },
	{ S_PYGUIDE,
	  "team.python_active_12m=6 team.go_active_12m=1 "
	  "team.active_12m=7 team.active_90d=7 lang.python.share=60",
	  NULL, 0, 0, 0, "python", "team.python_strength" },
	{ S_DECIDE,
	  "team.go_active_12m=5 team.python_active_12m=1 "
	  "team.active_12m=5 team.active_90d=8 lang.go.share=70",
	  NULL, 0, 0, 0, "go", "team.go_strength" },
	{ S_DECIDE, "lang.go.share=90", NULL, 0, 0, 0, "go",
	  "code.go_majority" },
	/* a C team that touched one Python script is no Python team: only
	 * the hiring factor speaks, weakly */
	{ S_HIRING,
	  "team.python_active_12m=2 team.active_12m=2 team.active_90d=9 "
	  "lang.python.share=6",
	  NULL, 0, 0, 0, "python", "team.hiring" },
	{ S_HIRING, "team.active_12m=9 team.go_active_12m=0 team.active_90d=9",
	  NULL, 0, 0, 0, "python", "team.hiring" },
	{ S_GOGUIDE, "", "gateway", 0, 0, 0, "go", "kind.proxy_gateway" },
	{ S_GOGUIDE, "service.proxy.service=2", NULL, 0, 0, 0, "go",
	  "kind.proxy_gateway" },
	{ S_GOGUIDE, "", "pipeline", 0, 0, 0, "go", "kind.pipeline" },
	{ S_GOGUIDE, "", "cli", 0, 0, 0, "go", "kind.cli" },
	{ S_GOGUIDE, "service.cli.service=2 framework.python.service=3", NULL,
	  0, 0, 0, "either", NULL },
	{ S_GOGUIDE, "", NULL, 0, 10, 0, "go", "load.latency" },
	{ S_GOGUIDE, "", NULL, 0, 500, 0, "either", NULL },
	{ S_GOROUTINES, "concurrency.fanout_http=5", NULL, 0, 0, 0, "go",
	  "conc.fanout" },
	{ S_GOROUTINES, "", "websocket", 0, 0, 0, "go", "conc.websocket" },
	{ S_GOROUTINES, "concurrency.streaming.service=2", NULL, 0, 0, 0, "go",
	  "conc.streaming" },
	{ S_MEMORY, "deploy.density=3", NULL, 0, 0, 0, "go", "deploy.density" },
	{ S_BINARY, "deploy.static_binary=1 concurrency.fanout_http=1", NULL, 0,
	  0, 0, "go", "conc.fanout" },
	{ S_FASTAPI, "", NULL, 5000, 0, 0, "python", "load.python_enough" },
	{ S_RATIO, "", NULL, 300000, 0, 0, "go", "load.throughput" },
	{ S_OPS, "", NULL, 40000, 0, 0, "python", "load.cost_trivial" },
	{ S_ORM, "service.crud=5", NULL, 0, 0, 0, "python", "crud.orm" },
	{ S_DB,
	  "service.crud=3 team.python_active_12m=4 team.active_12m=4 "
	  "team.active_90d=9",
	  NULL, 80000, 0, 0, "python", "crud.orm" },
	{ S_RAMP,
	  "team.python_active_12m=4 team.active_12m=4 team.active_90d=9",
	  "gateway", 200000, 0, 0, "go", "kind.proxy_gateway" },
	{ S_DECIDE, "", NULL, 0, 0, 0, "either", NULL },
	{ S_GOGUIDE, "service.crud=4 service.proxy.service=1", "crud", 0, 0, 0,
	  "python", "crud.orm" },
};

static int parse_signals(struct pyo_signals *s, const char *spec)
{
	char name[128];
	double value;
	int used;

	while (spec &&
	       sscanf(spec, " %127[^=]=%lf%n", name, &value, &used) == 2) {
		if (!pyo_signals_set(s, name, value, "detected", 0))
			return -1;
		spec += used;
	}
	return 0;
}

static void set_need(struct pyo_need *n, double v)
{
	if (v > 0) {
		n->value = v;
		n->source = PYO_NEED_FLAG;
	}
}

static struct pyo_verdict *run(const struct scenario *sc)
{
	struct pyo_signals s = { 0 };
	struct pyo_needs needs = { 0 };
	struct pyo_verdict *v = NULL;

	needs.service = sc->service;
	needs.service_source = PYO_NEED_FLAG;
	set_need(&needs.target_rps, sc->target_rps);
	set_need(&needs.p99_ms, sc->p99_ms);
	set_need(&needs.team_size, sc->team_size);
	assert_int_equal(parse_signals(&s, sc->signals), 0);
	assert_int_equal(pyo_needs_signals(&s, &needs), 0);
	pyo_signals_sort(&s);
	if (pyo_recommend(&v, rules, &s, NULL, &needs) < 0)
		fail_msg("%s", pyo_error_last());
	pyo_signals_clear(&s);
	assert_non_null(v);
	return v;
}

static const char *top_reason(const struct pyo_verdict *v)
{
	if (v->nr_hard)
		return v->hard[0].factor;
	if (v->nr_reasons && v->reasons[0].favours == v->choice)
		return v->reasons[0].factor;
	if (v->nr_reasons && v->choice == PYO_CHOICE_EITHER)
		return v->reasons[0].factor;
	return NULL;
}

static void test_scenarios(void **state)
{
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(*scenarios); i++) {
		const struct scenario *sc = &scenarios[i];
		struct pyo_verdict *v = run(sc);
		const char *top = top_reason(v);

		if (strcmp(pyo_choice_name(v->choice), sc->expect) ||
		    (sc->top ? !top || strcmp(top, sc->top)
		             : top != NULL && v->choice != PYO_CHOICE_EITHER)) {
			fprintf(stderr,
			        "scenario %zu (\"%.50s...\"): got %s/%s, want "
			        "%s/%s (%s)\n",
			        i, sc->cite, pyo_choice_name(v->choice),
			        top ? top : "-", sc->expect,
			        sc->top ? sc->top : "-", v->summary);
			bad++;
		}
		pyo_verdict_free(v);
	}
	assert_int_equal(bad, 0);
	assert_true(i >= 25);
}

/* Every scenario's sentence is cited by some factor of the guidance. */
static void test_scenarios_cite_guidance(void **state)
{
	const struct pyo_guidance *g = rules->guidance;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(*scenarios); i++) {
		for (k = 0; k < g->nr_factors; k++)
			if (strstr(g->factors[k].cite, scenarios[i].cite))
				break;
		if (k == g->nr_factors)
			fail_msg("no factor cites \"%s\"", scenarios[i].cite);
	}
}

static char *verdict_json(const struct pyo_verdict *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pyo_jsonw w;

	pyo_jsonw_init(&w, f, 1);
	pyo_json_verdict(&w, v);
	fclose(f);
	return buf;
}

static void test_determinism(void **state)
{
	const struct scenario sc = { S_RAMP,
		                     "team.python_active_12m=4 "
		                     "team.active_12m=4 service.crud=2 "
		                     "concurrency.fanout_http=2",
		                     "gateway",
		                     120000,
		                     30,
		                     4,
		                     "go",
		                     NULL };
	struct pyo_verdict *a, *b;
	char *ja, *jb;

	(void)state;
	a = run(&sc);
	b = run(&sc);
	ja = verdict_json(a);
	jb = verdict_json(b);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"choice\": \"go\""));
	free(ja);
	free(jb);
	pyo_verdict_free(a);
	pyo_verdict_free(b);
}

static const struct pyo_capacity_row *
row(const struct pyo_verdict *v, enum pyo_choice lang, const char *figure)
{
	size_t i;

	for (i = 0; i < v->capacity.nr_rows; i++)
		if (v->capacity.rows[i].language == lang &&
		    !strcmp(v->capacity.rows[i].figure, figure))
			return &v->capacity.rows[i];
	fail_msg("no capacity row %s", figure);
	return NULL;
}

static void test_capacity(void **state)
{
	const struct scenario sc = { S_RATIO, "", NULL, 1000000,
		                     0,       0,  "go", NULL };
	struct pyo_verdict *v = run(&sc);
	const struct pyo_capacity_row *r;

	(void)state;
	assert_true(v->capacity.present);
	assert_true(v->capacity.cores_per_server == 4);
	assert_true(v->capacity.price_per_server == 50);
	/* 1M req/s at 15K-25K per core: 40-67 cores, 10-17 servers */
	r = row(v, PYO_CHOICE_PYTHON, "python.rps_per_core.uvicorn");
	assert_true(r->is_primary);
	assert_int_equal(r->cores_min, 40);
	assert_int_equal(r->cores_max, 67);
	assert_int_equal(r->servers_min, 10);
	assert_int_equal(r->servers_max, 17);
	assert_true(r->cost_min == 500 && r->cost_max == 850);
	/* 10K-20K: 50-100 cores */
	r = row(v, PYO_CHOICE_PYTHON, "python.rps_per_core.typical");
	assert_false(r->is_primary);
	assert_int_equal(r->cores_min, 50);
	assert_int_equal(r->cores_max, 100);
	/* Gin 60K-100K: 10-17 cores, 3-5 servers */
	r = row(v, PYO_CHOICE_GO, "go.rps_per_core.gin");
	assert_true(r->is_primary);
	assert_int_equal(r->cores_min, 10);
	assert_int_equal(r->cores_max, 17);
	assert_int_equal(r->servers_min, 3);
	assert_int_equal(r->servers_max, 5);
	r = row(v, PYO_CHOICE_GO, "go.rps_per_core.net_http");
	assert_int_equal(r->cores_min, 5);
	assert_int_equal(r->cores_max, 10);
	assert_true(v->capacity.memory_min == 3 &&
	            v->capacity.memory_max == 10);
	assert_null(v->capacity.db_caveat);
	pyo_verdict_free(v);
}

static void test_capacity_own_figures(void **state)
{
	struct pyo_signals s = { 0 };
	struct pyo_needs needs = { 0 };
	struct pyo_verdict *v = NULL;
	const struct pyo_capacity_row *r;

	(void)state;
	set_need(&needs.target_rps, 100000);
	set_need(&needs.python_rps_per_core, 8000);
	set_need(&needs.price_per_server, 120);
	needs.price_per_server.source = PYO_NEED_CONFIG;
	assert_int_equal(pyo_needs_signals(&s, &needs), 0);
	assert_int_equal(pyo_recommend(&v, rules, &s, NULL, &needs), 0);
	r = row(v, PYO_CHOICE_PYTHON, "declared");
	assert_true(r->is_primary);
	assert_int_equal(r->cores_min, 13);
	assert_int_equal(r->cores_max, 13);
	assert_int_equal(r->servers_min, 4);
	assert_true(r->cost_min == 480);
	assert_false(row(v, PYO_CHOICE_PYTHON, "python.rps_per_core.uvicorn")
	                     ->is_primary);
	assert_string_equal(v->capacity.price_source, "config");
	assert_true(v->nr_overrides == 3);
	pyo_verdict_free(v);
	pyo_signals_clear(&s);
}

static void test_db_caveat(void **state)
{
	const struct scenario sc = { S_DB, "service.crud=3", NULL, 80000, 0,
		                     0,    "python",         NULL };
	struct pyo_verdict *v = run(&sc);
	size_t i;

	(void)state;
	assert_non_null(v->capacity.db_caveat);
	assert_non_null(strstr(v->capacity.db_cite, "5-50ms"));
	for (i = 0; i < v->nr_notes; i++)
		if (!strcmp(v->notes[i].factor, "crud.db_latency"))
			break;
	assert_true(i < v->nr_notes);
	pyo_verdict_free(v);
}

static void add_finding(struct pyo_findings *fs,
                        struct pyo_signals *s,
                        const char *signal,
                        const char *rule,
                        const char *detail,
                        const char *path,
                        unsigned line)
{
	struct pyo_finding f = { 0 };
	struct pyo_signal *sig;

	f.rule_id = (char *)rule;
	f.category = (char *)"ml";
	f.signal = (char *)"ml.native";
	f.path = (char *)path;
	f.line = line;
	f.detail = (char *)detail;
	assert_int_equal(pyo_findings_add(fs, &f), 0);
	sig = pyo_signals_set(s, signal, 1, "detected", 1);
	assert_non_null(sig);
	assert_int_equal(pyo_signal_add_finding(sig, fs->nr - 1), 0);
}

static void test_evidence_and_flip(void **state)
{
	struct pyo_findings fs = { 0 };
	struct pyo_signals s = { 0 };
	struct pyo_verdict *v = NULL;
	const struct pyo_reason *r;
	char path[64];
	unsigned i;

	(void)state;
	for (i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "app/m%u.py", i);
		add_finding(&fs, &s, "ml.native.service",
		            i % 2 ? "ml.torch" : "ml.transformers",
		            i % 2 ? "torch" : "transformers", path, i + 1);
	}
	assert_non_null(
	        pyo_signals_set(&s, "ml.native.gate", 2, "detected", 0));
	assert_non_null(
	        pyo_signals_set(&s, "team.go_active_12m", 6, "history", 0));
	assert_non_null(
	        pyo_signals_set(&s, "team.active_12m", 6, "history", 0));
	assert_non_null(
	        pyo_signals_set(&s, "lang.go.share", 60, "detected", 0));
	assert_int_equal(pyo_recommend(&v, rules, &s, &fs, NULL), 0);
	assert_int_equal(v->choice, PYO_CHOICE_PYTHON);
	assert_int_equal(v->nr_hard, 1);
	r = &v->hard[0];
	assert_string_equal(r->factor, "ml.native");
	assert_int_equal(r->nr_evidence, 5);
	assert_int_equal(r->more_evidence, 2);
	assert_string_equal(r->evidence[0].path, "app/m0.py");
	assert_int_equal(r->evidence[0].line, 1);
	assert_non_null(strstr(r->explain, "transformers, torch"));
	assert_non_null(strstr(r->explain, "7 service file"));
	assert_true(v->nr_flips >= 1);
	assert_string_equal(v->flips[0].change,
	                    "removing transformers, torch from the request "
	                    "path (7 files)");
	assert_int_equal(v->flips[0].choice, PYO_CHOICE_GO);
	pyo_verdict_free(v);
	pyo_signals_clear(&s);
	pyo_findings_clear(&fs);
}

static void test_flip_by_declaring(void **state)
{
	const struct scenario sc = {
		S_ORM,    "service.crud=2 team.active_90d=4",
		NULL,     0,
		0,        0,
		"python", NULL
	};
	struct pyo_verdict *v = run(&sc);
	size_t i;

	(void)state;
	assert_int_equal(v->choice, PYO_CHOICE_PYTHON);
	assert_true(v->nr_flips >= 1);
	for (i = 0; i < v->nr_flips; i++) {
		assert_int_equal(v->flips[i].nr_changes, 1);
		assert_non_null(strstr(v->flips[i].change, "declaring --"));
	}
	assert_string_equal(v->flips[0].change, "declaring --service gateway");
	assert_int_equal(v->flips[0].choice, PYO_CHOICE_GO);
	pyo_verdict_free(v);
}

static void test_overrides_shown(void **state)
{
	const struct scenario sc = {
		S_SMALL, "team.active_90d=12", NULL, 0, 0, 3, "python", NULL
	};
	struct pyo_verdict *v = run(&sc);

	(void)state;
	assert_int_equal(v->nr_overrides, 1);
	assert_string_equal(v->overrides[0].name, "declared.team_size");
	assert_string_equal(v->overrides[0].source, "flag");
	assert_string_equal(v->overrides[0].replaces,
	                    "team.active_90d=12 (detected)");
	pyo_verdict_free(v);
}

static void test_text_fits_80_columns(void **state)
{
	const struct scenario sc = { S_RAMP,
		                     "team.python_active_12m=4 "
		                     "team.active_12m=4 service.crud=2",
		                     "gateway",
		                     120000,
		                     30,
		                     4,
		                     "go",
		                     NULL };
	struct pyo_report r = { 0 };
	struct pyo_text_style st = { 0, 80 };
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	r.verdict = run(&sc);
	pyo_text_verdict(f, &r, &st);
	pyo_markdown_verdict(f, &r);
	fclose(f);
	assert_true(pyo_str_startswith(buf, "Recommendation: Go\n"));
	/* the text part (before the Markdown) fits 80 columns */
	*strstr(buf, "## Recommendation") = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("line longer than 80 columns: %s", line);
	free(buf);
	pyo_verdict_free(r.verdict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_scenarios_cite_guidance),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_capacity_own_figures),
		cmocka_unit_test(test_db_caveat),
		cmocka_unit_test(test_evidence_and_flip),
		cmocka_unit_test(test_flip_by_declaring),
		cmocka_unit_test(test_overrides_shown),
		cmocka_unit_test(test_text_fits_80_columns),
	};

	return cmocka_run_group_tests(tests, load_rules, free_rules);
}
