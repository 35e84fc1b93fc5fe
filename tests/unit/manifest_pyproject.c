/* pyproject.toml and Pipfile. */
#include "manifest_test.h"

static void test_pep621_735(void **state)
{
	static const char text[] =
	        "[build-system]\n"
	        "requires = [\"setuptools>=61\"]\n"
	        "[project]\n"
	        "name = \"svc\"\n"
	        "description = \"\"\"dependencies = [\"not-a-dep\"]\"\"\"\n"
	        "dependencies = [\n"
	        "  \"FastAPI>=0.110\",  # web\n"
	        "  'torch==2.3.0 ; sys_platform == \"linux\"',\n"
	        "]\n"
	        "optional-dependencies.gpu = [\"cupy-cuda12x\"]\n"
	        "[project.optional-dependencies]\n"
	        "docs = [\"Sphinx\"]\n"
	        "[dependency-groups]\n"
	        "test = [\"pytest>=8\", {include-group = \"lint\"}]\n"
	        "lint = [\"ruff\"]\n"
	        "bad = [{include-group = \"nope\"}]\n";
	static const struct expect e[] = {
		{ "pypi", "fastapi", ">=0.110", NULL, 7, 1 },
		{ "pypi", "torch", "==2.3.0", NULL, 8, 1 },
		{ "pypi", "cupy-cuda12x", "", "gpu", 10, 1 },
		{ "pypi", "sphinx", "", "docs", 12, 1 },
		{ "pypi", "pytest", ">=8", "test", 14, 1 },
		{ "pypi", "ruff", "", "lint", 15, 1 },
		{ "pypi", "setuptools", ">=61", "build-system", 2, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "pyproject.toml", text);
	/* [project.optional-dependencies] after the dotted key: accepted */
	assert_true(has_warning(&r, "pyproject.toml:16: include-group 'nope' "
	                            "not found"));
	CHECK(&r, "pyproject.toml", e);
	result_clear(&r);
}

static void test_tools(void **state)
{
	static const char text[] =
	        "[tool.poetry.dependencies]\n"
	        "python = \"^3.11\"\n"
	        "Django = \"^5.0\"\n"
	        "numpy = { version = \">=1.26\", optional = true }\n"
	        "mylib = { git = \"https://github.com/o/mylib.git\" }\n"
	        "any = \"*\"\n"
	        "multi = [{ version = \"<2\", python = \"<3.9\" }, { version = \">=2\" }]\n"
	        "[tool.poetry.group.test.dependencies]\n"
	        "pytest = \"^8\"\n"
	        "[tool.poetry.dev-dependencies]\n"
	        "black = \"*\"\n"
	        "[tool.pdm.dev-dependencies]\n"
	        "lint = [\"flake8\"]\n"
	        "[tool.hatch.envs.default]\n"
	        "dependencies = [\"coverage\"]\n"
	        "extra-dependencies = [\"mypy\"]\n"
	        "[tool.uv]\n"
	        "dev-dependencies = [\"ipython\"]\n";
	static const struct expect e[] = {
		{ "pypi", "django", "^5.0", NULL, 3, 1 },
		{ "pypi", "numpy", ">=1.26", NULL, 4, 1 },
		{ "pypi", "mylib", "", NULL, 5, 1 },
		{ "pypi", "any", "", NULL, 6, 1 },
		{ "pypi", "multi", "<2", NULL, 7, 1 },
		{ "pypi", "black", "", "dev", 11, 1 },
		{ "pypi", "pytest", "^8", "test", 9, 1 },
		{ "pypi", "flake8", "", "lint", 13, 1 },
		{ "pypi", "coverage", "", "default", 15, 1 },
		{ "pypi", "mypy", "", "default", 16, 1 },
		{ "pypi", "ipython", "", "dev", 18, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "pyproject.toml", text);
	CHECK(&r, "pyproject.toml", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_dynamic(void **state)
{
	static const struct fake_file files[] = {
		{ "app/requirements.txt", "httpx\n" },
		{ "app/requirements-gpu.txt", "jax[cuda12]\n" },
		{ NULL, NULL },
	};
	static const struct expect e[] = {
		{ "pypi", "httpx", "", NULL, 1, 1, "app/requirements.txt" },
		{ "pypi", "jax", "", "gpu", 1, 1, "app/requirements-gpu.txt" },
	};
	struct result r;

	(void)state;
	fake_files = files;
	parse(&r, "app/pyproject.toml",
	      "[project]\ndynamic = [\"dependencies\"]\n"
	      "[tool.setuptools.dynamic]\n"
	      "dependencies = { file = [\"requirements.txt\"] }\n"
	      "optional-dependencies.gpu = { file = \"requirements-gpu.txt\" }\n");
	CHECK(&r, "app/pyproject.toml", e);
	result_clear(&r);
	fake_files = NULL;
}

static void test_truncated(void **state)
{
	static const struct expect e[] = {
		{ "pypi", "fastapi", "", NULL, 2, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "pyproject.toml",
	      "[project]\ndependencies = [\"fastapi\",\n  \"unterminated\n");
	CHECK(&r, "pyproject.toml", e);
	assert_true(has_warning(&r, "pyproject.toml:3: unterminated string; "
	                            "dependencies after it skipped"));
	result_clear(&r);
	/* an array cut short keeps its elements */
	parse(&r, "pyproject.toml", "[project]\ndependencies = [\"a\", \"b\"");
	assert_int_equal(r.deps.nr, 2);
	assert_true(has_warning(&r, "pyproject.toml:2: unterminated array"));
	result_clear(&r);
	parse(&r, "pyproject.toml", "[project]\ndependencies = \"numpy\"\n");
	assert_int_equal(r.deps.nr, 0);
	assert_true(has_warning(&r, "project.dependencies is not an array"));
	result_clear(&r);
}

static void test_pipfile(void **state)
{
	static const char text[] =
	        "[[source]]\nname = \"pypi\"\nurl = \"https://pypi.org/simple\"\n"
	        "[packages]\n"
	        "requests = \"*\"\n"
	        "Flask = \"==3.0\"\n"
	        "torch = { version = \">=2\", index = \"pytorch\" }\n"
	        "[dev-packages]\n"
	        "pytest = \"*\"\n"
	        "[docs]\n"
	        "mkdocs = \"*\"\n"
	        "[requires]\npython_version = \"3.11\"\n"
	        "[scripts]\nserve = \"uvicorn app:app\"\n";
	static const struct expect e[] = {
		{ "pypi", "requests", "", NULL, 5, 1 },
		{ "pypi", "flask", "==3.0", NULL, 6, 1 },
		{ "pypi", "torch", ">=2", NULL, 7, 1 },
		{ "pypi", "pytest", "", "dev", 9, 1 },
		{ "pypi", "mkdocs", "", "docs", 11, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "Pipfile", text);
	CHECK(&r, "Pipfile", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pep621_735),
		cmocka_unit_test(test_tools),
		cmocka_unit_test(test_dynamic),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_pipfile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
