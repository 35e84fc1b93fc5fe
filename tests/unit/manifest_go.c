/* go.mod, go.work, go.sum. */
#include "manifest_test.h"

static void test_gomod(void **state)
{
	static const char text[] =
	        "// Deprecated: use example.com/gateway/v2\n"
	        "module github.com/acme/gateway\n"
	        "\n"
	        "go 1.23.4\n"
	        "toolchain go1.23.4\n"
	        "godebug default=go1.21\n"
	        "require github.com/gin-gonic/gin v1.10.0\n"
	        "require (\n"
	        "\tgithub.com/labstack/echo/v4 v4.12.0\r\n"
	        "\tgolang.org/x/net v0.26.0 // indirect\n"
	        "\t\"example.com/quoted\" v1.0.0 // a comment\n"
	        "\tgorgonia.org/gorgonia v0.9.17 // indirect; for ml\n"
	        ")\n"
	        "exclude example.com/bad v1.2.3\n"
	        "replace example.com/a v1.0.0 => ../a\n"
	        "replace (\n"
	        "\tgolang.org/x/net => golang.org/x/net v0.20.0\n"
	        ")\n"
	        "retract [v1.0.0, v1.1.0] // published by mistake\n"
	        "tool golang.org/x/tools/cmd/stringer\n"
	        "ignore ./node_modules\n";
	static const struct expect e[] = {
		{ "go-toolchain", "go", "1.23.4", NULL, 4, 1 },
		{ "go-toolchain", "toolchain", "go1.23.4", NULL, 5, 1 },
		{ "go", "github.com/gin-gonic/gin", "v1.10.0", NULL, 7, 1 },
		{ "go", "github.com/labstack/echo/v4", "v4.12.0", NULL, 9, 1 },
		{ "go", "golang.org/x/net", "v0.26.0", NULL, 10, 0 },
		{ "go", "example.com/quoted", "v1.0.0", NULL, 11, 1 },
		{ "go", "gorgonia.org/gorgonia", "v0.9.17", NULL, 12, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "go.mod", text);
	CHECK(&r, "go.mod", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_gomod_malformed(void **state)
{
	static const struct expect e[] = {
		{ "go", "a.com/x", "v1.0.0", NULL, 3, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "svc/go.mod",
	      "frobnicate x\nrequire (\n\ta.com/x v1.0.0\n\tb.com/y\n"
	      "\t\"c.com/open v1\n");
	CHECK(&r, "svc/go.mod", e);
	assert_true(has_warning(
	        &r, "svc/go.mod:1: unknown directive 'frobnicate'"));
	assert_true(has_warning(&r, "svc/go.mod:4: require needs a module"));
	assert_true(
	        has_warning(&r, "svc/go.mod:5: unterminated quoted string"));
	assert_true(
	        has_warning(&r, "svc/go.mod:2: unterminated 'require' block"));
	result_clear(&r);
}

static void test_gowork_gosum(void **state)
{
	static const struct expect w[] = {
		{ "go-toolchain", "go", "1.22", NULL, 1, 1 },
	};
	static const struct expect s[] = {
		{ "go", "golang.org/x/sync", "v0.7.0", NULL, 1, 0 },
		{ "go", "gonum.org/v1/gonum", "v0.15.0", NULL, 3, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "go.work",
	      "go 1.22\n\nuse (\n\t./svc-a\n\t./svc-b\n)\n"
	      "use ./tools\nreplace x.com/y => ./y\n");
	CHECK(&r, "go.work", w);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
	parse(&r, "go.sum",
	      "golang.org/x/sync v0.7.0 h1:YsImfSBoP9QPYL0xyKJPq0gcaJdG3rInoqxTWbfQu9M=\n"
	      "golang.org/x/sync v0.7.0/go.mod h1:Czt+wKu1gCyEFDUtn0jG5QVvpJ6rzVqr5aXyt9drQfk=\r\n"
	      "gonum.org/v1/gonum v0.15.0 h1:abc=\r\n"
	      "\n"
	      "garbage\n");
	CHECK(&r, "go.sum", s);
	assert_true(r.deps.items[0].is_lock);
	assert_true(has_warning(&r, "go.sum:5: not a go.sum line"));
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gomod),
		cmocka_unit_test(test_gomod_malformed),
		cmocka_unit_test(test_gowork_gosum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
