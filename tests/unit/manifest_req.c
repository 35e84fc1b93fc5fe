/* Requirements files: every line shape, includes, malformed input. */
#include "manifest_test.h"

static void test_lines(void **state)
{
	static const char text[] =
	        "\xef\xbb\xbf# full-line comment\r\n"
	        "numpy==1.26.4  # pinned\r\n"
	        "Scikit_Learn>=1.3\r\n"
	        "requests [security, socks] >= 2.8.1, == 2.8.* ; python_version < \"3.11\"\r\n"
	        "torch==2.3.0+cu121 \\\r\n"
	        "    --hash=sha256:abc \\\r\n"
	        "    --hash=sha256:def\r\n"
	        "urllib3 @ https://user:tok@github.com/u/u/archive/1.26.8.zip ; python_version>'3'\r\n"
	        "tensorflow (>=2.15,<2.17) ; sys_platform != 'darwin'\r\n"
	        "-i https://pypi.org/simple\r\n"
	        "--extra-index-url https://download.pytorch.org/whl/cu121\r\n"
	        "-f ./wheels\r\n"
	        "-e git+https://github.com/org/lib.git@v1#egg=My_Lib\r\n"
	        "-e ./local/pkg\r\n"
	        "-e .\r\n"
	        "./downloads/numpy-1.9.2-cp34-none-win32.whl\r\n"
	        "git+https://github.com/facebookresearch/detectron2.git\r\n"
	        "zope.interface\r\n"
	        "Django~=5.0\n";
	static const struct expect e[] = {
		{ "pypi", "numpy", "==1.26.4", NULL, 2, 1 },
		{ "pypi", "scikit-learn", ">=1.3", NULL, 3, 1 },
		{ "pypi", "requests", ">=2.8.1,==2.8.*", NULL, 4, 1 },
		{ "pypi", "torch", "==2.3.0+cu121", NULL, 5, 1 },
		{ "pypi", "urllib3",
		  "@ https://github.com/u/u/archive/1.26.8.zip", NULL, 8, 1 },
		{ "pypi", "tensorflow", ">=2.15,<2.17", NULL, 9, 1 },
		{ "pypi", "my-lib", "", NULL, 13, 1 },
		{ "pypi", "numpy", "", NULL, 16, 1 },
		{ "pypi", "detectron2", "", NULL, 17, 1 },
		{ "pypi", "zope-interface", "", NULL, 18, 1 },
		{ "pypi", "django", "~=5.0", NULL, 19, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "requirements.txt", text);
	CHECK(&r, "requirements.txt", e);
	assert_int_equal(r.nr_warnings, 0);
	result_clear(&r);
}

static void test_groups_and_constraints(void **state)
{
	static const struct expect dev[] = {
		{ "pypi", "pytest", "", "dev", 1, 1 },
	};
	static const struct expect c[] = {
		{ "pypi", "numpy", "==1.26", "constraints", 1, 0 },
	};
	struct result r;

	(void)state;
	parse(&r, "requirements/dev.txt", "pytest\n");
	CHECK(&r, "requirements/dev.txt", dev);
	result_clear(&r);
	parse(&r, "constraints.txt", "numpy==1.26\n");
	CHECK(&r, "constraints.txt", c);
	result_clear(&r);
}

static void test_includes(void **state)
{
	static const struct fake_file files[] = {
		{ "svc/requirements/base.txt",
		  "fastapi>=0.110\n-r ../common.txt\n" },
		{ "svc/common.txt", "\n\npydantic\n" },
		{ "svc/requirements/constraints.txt", "anyio==4.0\n" },
		{ "svc/loop-a.txt", "-r loop-b.txt\nx\n" },
		{ "svc/loop-b.txt", "-r loop-a.txt\n" },
		{ NULL, NULL },
	};
	static const struct expect e[] = {
		{ "pypi", "fastapi", ">=0.110", NULL, 1, 1,
		  "svc/requirements/base.txt" },
		{ "pypi", "pydantic", "", NULL, 3, 1, "svc/common.txt" },
		{ "pypi", "anyio", "==4.0", "constraints", 1, 0,
		  "svc/requirements/constraints.txt" },
		{ "pypi", "x", "", NULL, 2, 1, "svc/loop-a.txt" },
		{ "pypi", "uvicorn", "", NULL, 9, 1 },
	};
	struct result r;

	(void)state;
	fake_files = files;
	parse(&r, "svc/requirements.txt",
	      "-r requirements/base.txt\n"
	      "-crequirements/constraints.txt\n"
	      "--requirement=loop-a.txt\n"
	      "-r missing.txt\n"
	      "-r ../../etc/passwd\n"
	      "-r /etc/passwd\n"
	      "-r https://example.com/r.txt\n"
	      "-r ./requirements.txt\n"
	      "uvicorn\n");
	CHECK(&r, "svc/requirements.txt", e);
	assert_true(has_warning(&r, "svc/loop-b.txt:1: include cycle through "
	                            "'svc/loop-a.txt'"));
	assert_true(has_warning(&r, "svc/requirements.txt:4: included file "
	                            "'svc/missing.txt' not found"));
	assert_true(has_warning(&r, ":5: include '../../etc/passwd' leaves "
	                            "the repository"));
	assert_true(
	        has_warning(&r, ":6: include '/etc/passwd' is an absolute"));
	assert_true(has_warning(&r, ":7: include 'https://example.com/r.txt' "
	                            "is a URL"));
	assert_true(has_warning(&r, ":8: include cycle"));
	result_clear(&r);
	fake_files = NULL;
}

static void test_no_reader(void **state)
{
	struct pyo_deps deps = { 0 };
	struct result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(pyo_manifest_parse(&deps, PYO_MANIFEST_REQUIREMENTS,
	                                    "requirements.txt",
	                                    "-r base.txt\nflask\n", 18, NULL,
	                                    NULL, collect_warning, &r),
	                 0);
	assert_int_equal(deps.nr, 1);
	assert_string_equal(deps.items[0].name, "flask");
	assert_true(has_warning(&r, "requirements.txt:1: include 'base.txt' "
	                            "not followed"));
	pyo_deps_clear(&deps);
}

static void test_malformed(void **state)
{
	static const struct expect e[] = {
		{ "pypi", "ok", "", NULL, 3, 1 },
		{ "pypi", "after", "", NULL, 5, 1 },
	};
	size_t big = 10u * 1024 * 1024;
	char *text = malloc(big + 32);
	struct result r;

	(void)state;
	parse(&r, "requirements.txt",
	      "numpy 1.26\nbad[extra\nok\n--weird-option x\nafter\n");
	CHECK(&r, "requirements.txt", e);
	assert_true(
	        has_warning(&r, ":1: cannot parse requirement 'numpy 1.26'"));
	assert_true(has_warning(&r, ":2: cannot parse requirement"));
	assert_true(has_warning(&r, ":4: unknown option '--weird-option'"));
	result_clear(&r);

	/* a 10 MB line is skipped with a warning, the next line is read */
	memset(text, 'a', big);
	memcpy(text + big, "\nflask\n", 8);
	parse(&r, "requirements.txt", text);
	assert_int_equal(r.deps.nr, 1);
	assert_string_equal(r.deps.items[0].name, "flask");
	assert_int_equal(r.deps.items[0].line, 2);
	assert_true(has_warning(&r, "requirements.txt:1: line longer than"));
	result_clear(&r);
	free(text);

	/* binary content named requirements.txt */
	parse_len(&r, "requirements.txt",
	          "\x7f"
	          "ELF\0\0\x01numpy\n",
	          12);
	assert_int_equal(r.deps.nr, 0);
	assert_true(has_warning(&r, "requirements.txt: binary content"));
	result_clear(&r);

	/* a continuation at the end of the file, a lone backslash */
	parse(&r, "requirements.txt", "flask \\");
	assert_int_equal(r.deps.nr, 1);
	result_clear(&r);
	parse(&r, "requirements.txt", "\\\n\\\n");
	assert_int_equal(r.deps.nr, 0);
	result_clear(&r);
}

static void test_pep503(void **state)
{
	char *n;

	(void)state;
	n = pyo_manifest_pep503("Foo.._-Bar_baz", 14);
	assert_string_equal(n, "foo-bar-baz");
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_groups_and_constraints),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_no_reader),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_pep503),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
