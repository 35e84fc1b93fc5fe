/* setup.cfg, setup.py (read as text, never run), environment.yml. */
#include "manifest_test.h"

static void test_setup_cfg(void **state)
{
	static const char text[] = "[metadata]\n"
	                           "name = svc\n"
	                           "install_requires = not-this\n"
	                           "[options]\n"
	                           "packages = find:\n"
	                           "install_requires =\n"
	                           "    requests>=2  # http\n"
	                           "    # a comment\n"
	                           "    numpy; python_version >= \"3.9\"\n"
	                           "\n"
	                           "    Flask\n"
	                           "tests_require = pytest\n"
	                           "[options.extras_require]\n"
	                           "gpu = torch>=2; cupy\n"
	                           "dev =\n"
	                           "    black\n";
	static const struct expect e[] = {
		{ "pypi", "requests", ">=2", NULL, 7, 1 },
		{ "pypi", "numpy", "", NULL, 9, 1 },
		{ "pypi", "flask", "", NULL, 11, 1 },
		{ "pypi", "torch", ">=2", "gpu", 14, 1 },
		{ "pypi", "cupy", "", "gpu", 14, 1 },
		{ "pypi", "black", "", "dev", 16, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "setup.cfg", text);
	CHECK(&r, "setup.cfg", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_setup_py(void **state)
{
	static const char text[] =
	        "from setuptools import setup\n"
	        "REQS = [\n"
	        "    'numpy>=1.20',  # comment ]\n"
	        "    \"requests[security]>=2\",\n"
	        "]\n"
	        "DOC = '''install_requires=['fake']'''\n"
	        "setup(\n"
	        "    name='x',\n"
	        "    install_requires=REQS,\n"
	        "    extras_require={\n"
	        "        'gpu': ['torch', r'cupy-cuda12x'],\n"
	        "        \"dev\": [\"pytest\"],\n"
	        "    },\n"
	        "    **{'install_requires': ['fastapi']},\n"
	        "    tests_require=['nose'],\n"
	        ")\n";
	static const struct expect e[] = {
		{ "pypi", "numpy", ">=1.20", NULL, 3, 1 },
		{ "pypi", "requests", ">=2", NULL, 4, 1 },
		{ "pypi", "torch", "", "gpu", 11, 1 },
		{ "pypi", "cupy-cuda12x", "", "gpu", 11, 1 },
		{ "pypi", "pytest", "", "dev", 12, 1 },
		{ "pypi", "fastapi", "", NULL, 14, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "setup.py", text);
	CHECK(&r, "setup.py", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
	parse(&r, "setup.py", "setup(install_requires=get_reqs())\n");
	assert_int_equal(r.deps.nr, 0);
	assert_true(has_warning(&r, "setup.py:1: install_requires is not a "
	                            "literal list"));
	result_clear(&r);
	parse(&r, "setup.py", "setup(install_requires=['a', 'unterminated\n");
	assert_true(has_warning(&r, "setup.py:1: unterminated string"));
	result_clear(&r);
}

static void test_conda(void **state)
{
	static const char text[] =
	        "name: ml\n"
	        "channels:\n"
	        "  - pytorch\n"
	        "  - conda-forge\n"
	        "dependencies:\n"
	        "  - python=3.11\n"
	        "  - pytorch::pytorch=2.3.0=py3.11_cuda12.1_0\n"
	        "  - \"numpy>=1.26,<2\"  # quoted\n"
	        "  - scikit-learn\n"
	        "  - blas[build=mkl]\n"
	        "  - pip\n"
	        "  - pip:\n"
	        "    - transformers==4.40\n"
	        "    - -r requirements-extra.txt\n"
	        "    - --extra-index-url https://download.pytorch.org/whl/cu121\n"
	        "  - cudatoolkit=11.8\n"
	        "variables:\n"
	        "  - not-a-dep\n";
	static const struct fake_file files[] = {
		{ "requirements-extra.txt", "Accelerate\n" },
		{ NULL, NULL },
	};
	static const struct expect e[] = {
		{ "conda", "python", "=3.11", NULL, 6, 1 },
		{ "conda", "pytorch", "=2.3.0=py3.11_cuda12.1_0", NULL, 7, 1 },
		{ "conda", "numpy", ">=1.26,<2", NULL, 8, 1 },
		{ "conda", "scikit-learn", "", NULL, 9, 1 },
		{ "conda", "blas", "[build=mkl]", NULL, 10, 1 },
		{ "conda", "pip", "", NULL, 11, 1 },
		{ "pypi", "transformers", "==4.40", NULL, 13, 1 },
		{ "pypi", "accelerate", "", NULL, 1, 1,
		  "requirements-extra.txt" },
		{ "conda", "cudatoolkit", "=11.8", NULL, 16, 1 },
	};
	struct result r;

	(void)state;
	fake_files = files;
	parse(&r, "environment.yml", text);
	CHECK(&r, "environment.yml", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
	parse(&r, "environment.yml",
	      "dependencies: [numpy, 'scipy']\nname: x\n");
	assert_int_equal(r.deps.nr, 2);
	assert_string_equal(r.deps.items[1].name, "scipy");
	result_clear(&r);
	fake_files = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setup_cfg),
		cmocka_unit_test(test_setup_py),
		cmocka_unit_test(test_conda),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
