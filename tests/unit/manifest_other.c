/* Other ecosystems, and which file names are manifests. */
#include "manifest_test.h"

static void test_kinds(void **state)
{
	static const struct {
		const char *path;
		enum pyo_manifest_kind kind;
	} cases[] = {
		{ "requirements.txt", PYO_MANIFEST_REQUIREMENTS },
		{ "svc/Requirements-Dev.txt", PYO_MANIFEST_REQUIREMENTS },
		{ "requirements/base.txt", PYO_MANIFEST_REQUIREMENTS },
		{ "a/requirements/test.in", PYO_MANIFEST_REQUIREMENTS },
		{ "dev-requirements.txt", PYO_MANIFEST_REQUIREMENTS },
		{ "requirements.in", PYO_MANIFEST_REQUIREMENTS },
		{ "constraints.txt", PYO_MANIFEST_CONSTRAINTS },
		{ "ci/pip-constraints.txt", PYO_MANIFEST_CONSTRAINTS },
		{ "notes.txt", PYO_MANIFEST_NONE },
		{ "myrequirements/base.txt", PYO_MANIFEST_NONE },
		{ "pyproject.toml", PYO_MANIFEST_PYPROJECT },
		{ "x/Pipfile", PYO_MANIFEST_PIPFILE },
		{ "Pipfile.lock", PYO_MANIFEST_PIPFILE_LOCK },
		{ "setup.cfg", PYO_MANIFEST_SETUP_CFG },
		{ "setup.py", PYO_MANIFEST_SETUP_PY },
		{ "environment.yml", PYO_MANIFEST_CONDA },
		{ "environment-gpu.yaml", PYO_MANIFEST_CONDA },
		{ "conda-lock.yml", PYO_MANIFEST_NONE },
		{ "go.mod", PYO_MANIFEST_GOMOD },
		{ "go.work", PYO_MANIFEST_GOWORK },
		{ "go.sum", PYO_MANIFEST_GOSUM },
		{ "poetry.lock", PYO_MANIFEST_POETRY_LOCK },
		{ "uv.lock", PYO_MANIFEST_UV_LOCK },
		{ "web/package.json", PYO_MANIFEST_PACKAGE_JSON },
		{ "Cargo.toml", PYO_MANIFEST_CARGO },
		{ "pom.xml", PYO_MANIFEST_POM },
		{ "app/build.gradle.kts", PYO_MANIFEST_GRADLE },
		{ "Gemfile", PYO_MANIFEST_GEMFILE },
		{ "gemfile", PYO_MANIFEST_NONE },
		{ "main.go", PYO_MANIFEST_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		if (pyo_manifest_kind(cases[i].path) != cases[i].kind)
			fprintf(stderr, "%s\n", cases[i].path);
		assert_int_equal(pyo_manifest_kind(cases[i].path),
		                 cases[i].kind);
	}
	assert_string_equal(pyo_manifest_kind_name(PYO_MANIFEST_GOMOD),
	                    "go-mod");
	assert_string_equal(pyo_manifest_kind_name(PYO_MANIFEST_COUNT), "none");
}

static void test_package_json(void **state)
{
	static const char text[] =
	        "{\n"
	        "  \"name\": \"web\",\n"
	        "  \"dependencies\": {\n"
	        "    \"express\": \"^4.19.0\",\n"
	        "    \"@anthropic-ai/sdk\": \"0.20.0\"\n"
	        "  },\n"
	        "  \"devDependencies\": {\"typescript\": \"5.4\"}\n"
	        "}\n";
	static const struct expect e[] = {
		{ "npm", "express", "^4.19.0", NULL, 4, 1 },
		{ "npm", "@anthropic-ai/sdk", "0.20.0", NULL, 5, 1 },
		{ "npm", "typescript", "5.4", "dev", 7, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "package.json", text);
	CHECK(&r, "package.json", e);
	result_clear(&r);
	parse(&r, "web/package.json", "[\"dependencies\"]");
	assert_int_equal(r.deps.nr, 0);
	assert_true(has_warning(&r, "web/package.json: not a JSON object"));
	result_clear(&r);
}

static void test_cargo(void **state)
{
	static const struct expect e[] = {
		{ "cargo", "tokio", "1", NULL, 4, 1 },
		{ "cargo", "candle-core", "0.4", NULL, 5, 1 },
		{ "cargo", "criterion", "", "dev", 7, 1 },
		{ "cargo", "winapi", "0.3", NULL, 9, 1 },
	};
	struct result r;

	(void)state;
	parse(&r, "Cargo.toml",
	      "[package]\nname = \"x\"\n"
	      "[dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\n"
	      "candle-core = \"0.4\"\n"
	      "[dev-dependencies]\ncriterion = { path = \"../c\" }\n"
	      "[target.'cfg(windows)'.dependencies]\nwinapi = \"0.3\"\n");
	CHECK(&r, "Cargo.toml", e);
	result_clear(&r);
}

static void test_pom_gradle_gemfile(void **state)
{
	static const char pom[] =
	        "<project>\n"
	        "  <!-- <dependency><artifactId>commented</artifactId></dependency> -->\n"
	        "  <dependencyManagement><dependencies>\n"
	        "    <dependency><groupId>org.sb</groupId><artifactId>bom</artifactId>"
	        "<version>3</version><scope>import</scope></dependency>\n"
	        "  </dependencies></dependencyManagement>\n"
	        "  <dependencies>\n"
	        "    <dependency>\n"
	        "      <groupId>org.springframework.boot</groupId>\n"
	        "      <artifactId>spring-boot-starter-web</artifactId>\n"
	        "      <exclusions><exclusion><groupId>x</groupId>"
	        "<artifactId>y</artifactId></exclusion></exclusions>\n"
	        "    </dependency>\n"
	        "    <dependency><groupId>junit</groupId><artifactId>junit</artifactId>"
	        "<version>4.13</version><scope>test</scope></dependency>\n"
	        "  </dependencies>\n"
	        "</project>\n";
	static const struct expect pe[] = {
		{ "maven", "org.sb:bom", "3", "dependencyManagement", 4, 0 },
		{ "maven", "org.springframework.boot:spring-boot-starter-web",
		  "", NULL, 7, 1 },
		{ "maven", "junit:junit", "4.13", "test", 12, 1 },
	};
	static const struct expect ge[] = {
		{ "maven", "io.ktor:ktor-server-core", "2.3.0", NULL, 2, 1 },
		{ "maven", "org.springframework.boot:spring-boot-starter", NULL,
		  NULL, 3, 1 },
		{ "maven", "org.junit:junit-bom", "5.10", "test", 4, 1 },
	};
	static const struct expect me[] = {
		{ "gem", "rails", "~> 7.1,>= 7.1.2", NULL, 2, 1 },
		{ "gem", "rspec", "", "development", 5, 1 },
		{ "gem", "pry", "", "development", 7, 1 },
		{ "gem", "puma", "", NULL, 10, 1 },
	};
	struct expect gfix[3];
	struct result r;

	(void)state;
	parse(&r, "pom.xml", pom);
	CHECK(&r, "pom.xml", pe);
	result_clear(&r);

	memcpy(gfix, ge, sizeof(gfix));
	gfix[1].constraint = "";
	parse(&r, "build.gradle.kts",
	      "dependencies {\n"
	      "    implementation(\"io.ktor:ktor-server-core:2.3.0\")\n"
	      "    api 'org.springframework.boot:spring-boot-starter'\n"
	      "    testImplementation(platform(\"org.junit:junit-bom:5.10\"))\n"
	      "    implementation(project(\":core\"))\n"
	      "    /* implementation(\"a:b:1\")\n"
	      "       implementation(\"c:d:1\") */\n"
	      "}\n");
	CHECK(&r, "build.gradle.kts", gfix);
	result_clear(&r);

	parse(&r, "Gemfile",
	      "source \"https://rubygems.org\"\n"
	      "gem \"rails\", \"~> 7.1\", \">= 7.1.2\"\n"
	      "# gem \"commented\"\n"
	      "group :development, :test do\n"
	      "  gem 'rspec'\n"
	      "  platforms :mri do\n"
	      "    gem 'pry', require: false\n"
	      "  end\n"
	      "end\n"
	      "gem 'puma'\n");
	CHECK(&r, "Gemfile", me);
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_package_json),
		cmocka_unit_test(test_cargo),
		cmocka_unit_test(test_pom_gradle_gemfile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
