/* poetry.lock, uv.lock, Pipfile.lock: closure, is_lock = 1. */
#include "manifest_test.h"

static void check_lock(const struct result *r)
{
	size_t i;

	for (i = 0; i < r->deps.nr; i++) {
		assert_int_equal(r->deps.items[i].is_lock, 1);
		assert_int_equal(r->deps.items[i].is_direct, 0);
	}
}

static void test_poetry_lock(void **state)
{
	static const char text[] =
	        "[[package]]\n"
	        "name = \"Torch\"\n"
	        "version = \"2.3.0\"\n"
	        "description = \"\"\"multi\n[[package]]\nname = \"fake\"\n\"\"\"\n"
	        "optional = false\n"
	        "groups = [\"main\", \"dev\"]\n"
	        "files = [\n  {file = \"t.whl\", hash = \"sha256:1\"},\n]\n"
	        "[package.dependencies]\n"
	        "numpy = \">=1\"\n"
	        "[package.extras]\n"
	        "opt = [\"x\"]\n"
	        "\n"
	        "[[package]]\n"
	        "name = \"pytest\"\n"
	        "version = \"8.0.0\"\n"
	        "category = \"dev\"\n"
	        "\n"
	        "[[package]]\n"
	        "name = \"sphinx\"\n"
	        "version = \"7.0\"\n"
	        "groups = [\"docs\"]\n"
	        "\n"
	        "[metadata]\n"
	        "lock-version = \"2.1\"\n";
	static const struct expect e[] = {
		{ "pypi", "torch", "==2.3.0", NULL, 2, 0 },
		{ "pypi", "pytest", "==8.0.0", "dev", 19, 0 },
		{ "pypi", "sphinx", "==7.0", "docs", 24, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "poetry.lock", text);
	CHECK(&r, "poetry.lock", e);
	check_lock(&r);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_uv_lock(void **state)
{
	static const char text[] =
	        "version = 1\n"
	        "requires-python = \">=3.11\"\n"
	        "\n"
	        "[[package]]\n"
	        "name = \"anyio\"\n"
	        "version = \"4.4.0\"\n"
	        "source = { registry = \"https://pypi.org/simple\" }\n"
	        "dependencies = [\n    { name = \"idna\" },\n]\n"
	        "sdist = { url = \"https://x/anyio.tar.gz\", hash = \"sha256:1\" }\n"
	        "wheels = [\n    { url = \"https://x/a.whl\", hash = \"sha256:2\" },\n]\n"
	        "\n"
	        "[[package]]\n"
	        "name = \"my-svc\"\n"
	        "version = \"0.1.0\"\n"
	        "source = { editable = \".\" }\n"
	        "dependencies = [{ name = \"anyio\" }]\n"
	        "[package.metadata]\n"
	        "requires-dist = [{ name = \"anyio\", specifier = \">=4\" }]\n"
	        "[package.metadata.requires-dev]\n"
	        "dev = [{ name = \"pytest\" }]\n"
	        "\n"
	        "[[package]]\n"
	        "name = \"Zope.Interface\"\n"
	        "version = \"6.0\"\n"
	        "source = { registry = \"https://pypi.org/simple\" }\n";
	static const struct expect e[] = {
		{ "pypi", "anyio", "==4.4.0", NULL, 5, 0 },
		{ "pypi", "zope-interface", "==6.0", NULL, 27, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "uv.lock", text);
	CHECK(&r, "uv.lock", e);
	check_lock(&r);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_pipfile_lock(void **state)
{
	static const char text[] =
	        "{\n"
	        "    \"_meta\": {\n"
	        "        \"hash\": {\"sha256\": \"abc\"},\n"
	        "        \"requires\": {\"python_version\": \"3.11\"}\n"
	        "    },\n"
	        "    \"default\": {\n"
	        "        \"numpy\": {\n"
	        "            \"hashes\": [\"sha256:1\"],\n"
	        "            \"version\": \"==1.26.4\"\n"
	        "        },\n"
	        "        \"Scikit_Learn\": {\"version\": \"==1.4.0\"}\n"
	        "    },\n"
	        "    \"develop\": {\n"
	        "        \"pytest\": {\"version\": \"==8.0.0\"}\n"
	        "    }\n"
	        "}\n";
	static const struct expect e[] = {
		{ "pypi", "numpy", "==1.26.4", NULL, 7, 0 },
		{ "pypi", "scikit-learn", "==1.4.0", NULL, 11, 0 },
		{ "pypi", "pytest", "==8.0.0", "dev", 14, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "Pipfile.lock", text);
	CHECK(&r, "Pipfile.lock", e);
	check_lock(&r);
	result_clear(&r);
	parse(&r, "Pipfile.lock", "{\"default\": {\"numpy\": ");
	assert_int_equal(r.deps.nr, 0);
	assert_true(has_warning(&r, "Pipfile.lock: not a JSON object"));
	result_clear(&r);
}

static void test_truncated_lock(void **state)
{
	struct result r;

	(void)state;
	parse(&r, "poetry.lock",
	      "[[package]]\nname = \"a\"\nversion = \"1\"\n[[package]]\n"
	      "name = \"b\"\nversion = \"2\ndescription = \"x\"\n");
	assert_int_equal(r.deps.nr, 2);
	assert_string_equal(r.deps.items[1].name, "b");
	assert_string_equal(r.deps.items[1].constraint, "");
	assert_true(has_warning(&r, "poetry.lock:6: unterminated string"));
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poetry_lock),
		cmocka_unit_test(test_uv_lock),
		cmocka_unit_test(test_pipfile_lock),
		cmocka_unit_test(test_truncated_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
