/*
 * relit_extract: the literals a regex requires (relit.c). Exact sets for
 * the constructs the rules use; no set for what the extraction does not
 * understand; and the promise itself, checked with PCRE2 on every regex
 * of the shipped rules: a text the regex matches holds one of the
 * literals. The texts are the rules' own examples and thousands of
 * mutations of them (bytes dropped, repeated, swapped, case changed).
 * The prefix sets (PYO_RELIT_PREFIX) promise more: a match starts with
 * one of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <pcre2.h>

#include "relit.h"
#include "kwset.h"

static char *sorted_set(const struct pyo_relit *r)
{
	static char buf[4096];
	char *v[RELIT_MAX_SET];
	size_t i, j;

	for (i = 0; i < r->nr; i++)
		v[i] = r->lit[i];
	for (i = 1; i < r->nr; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf[0] = '\0';
	for (i = 0; i < r->nr; i++) {
		strcat(buf, i ? "|" : "");
		strcat(buf, v[i]);
	}
	return buf;
}

static void expect(const char *pattern, unsigned flags, const char *want)
{
	struct pyo_relit r;

	assert_int_equal(pyo_relit_extract(&r, pattern, 0, flags), 0);
	if (strcmp(sorted_set(&r), want))
		fail_msg("%s: got '%s', want '%s'", pattern, sorted_set(&r),
		         want);
	pyo_relit_release(&r);
}

static void test_sets(void **state)
{
	(void)state;
	expect("abc", 0, "abc");
	expect("\\bfalcon\\.(?:asgi\\.)?(?:App|API)\\s*\\(", 0,
	       "falcon.API|falcon.App|falcon.asgi.API|falcon.asgi.App");
	/* "/configure" holds "configure": only the shorter is kept */
	expect("(^|/)configure$|(^|/)config\\.sub$", 0, "config.sub|configure");
	expect("colou?r", 0, "color|colour");
	expect("[Vv]endors?/", 0, "Vendor/|Vendors/|vendor/|vendors/");
	expect("\\.(c|cpp|h)$", 0, ".c|.h");
	/* a counted repeat is multiplied out: x{3} reads as "xxx" */
	expect("x{3}y", 0, "xxxy");
	/* the longest run wins: a shorter one is the less selective */
	expect("\\bclass\\s+Migration\\s*\\(\\s*migrations\\.Migration", 0,
	       "migrations.Migration");
	expect("(?i)\\.(PNG|jpe?g)$", 0, ".jpeg|.jpg|.png");
	expect("(?<![\\w.])go[ \\t]+func", 0, "\tfunc| func");
	expect("(?<![\\w.])go[ \\t]+func", PYO_RELIT_NO_SPACE, "func");
	expect("a(?=bcd)", 0, "a");
	expect("\\x41\\t\\-\\Q", 0, ""); /* \Q..\E: not read */
	expect("\\x41\\x{42}", 0, "AB");
	expect("[.]min[.]js", 0, ".min.js");
	expect("(?#note)abc", 0, "abc");
	expect("(?<name>abc)|(?P<n2>def)|(?'n3'ghi)", 0, "abc|def|ghi");
	expect("a+bc", 0, "abc");
	/* spaces are left out when the text's masked parts become spaces */
	expect("import torch", 0, "import torch");
	expect("import torch", PYO_RELIT_NO_SPACE, "import");
	expect("[ \\t]*rpc", PYO_RELIT_NO_SPACE, "rpc");
	/* a repetition: the run goes on into its first and starts again
	 * with its last */
	expect("ab(?:cd)+ef", 0, "abcd");
	expect("x\\d+yz", 0, "yz");
}

static void test_prefix_sets(void **state)
{
	const unsigned pre = PYO_RELIT_PREFIX, pns = pre | PYO_RELIT_NO_SPACE;

	(void)state;
	expect("\\bhttp\\.(?:Get|Post)\\s*\\(", pre, "http.Get|http.Post");
	/* the first run, not the most selective one */
	expect("(?m)\\basync[ \\t]+def[ \\t]+\\w+", pns, "async");
	expect("(?<![\\w.])go[ \\t]+func", pns, "go");
	expect("x?abc", pre, "abc|xabc");
	/* a group of inexact branches: the starts of its branches */
	expect("(?:foo\\w+|bar\\d)z", pre, "bar|foo");
	/* "ab" starts "abc": the longer adds nothing */
	expect("abc|ab\\d", pre, "ab");
	/* not known: a branch, or the pattern, starts with a class */
	expect("a|\\d", pre, "");
	expect("\\w+\\.Go\\(", pre, "");
	expect("(?:ab)?cd", pre, "abcd|cd");
	expect("(?:ab\\w)?cd", pre, "");
	expect("(?:ab)*cd", pre, "");
}

static void test_gives_up(void **state)
{
	static const char *const none[] = {
		"a*",      "(a|)b?",    "\\d+",      "(?x) a b c", "(a)\\1",
		"(?R)",    "(?(1)a|b)", "(*UTF)abc", "a|.",        "[^abc]",
		"\\w+",    "(?P=n)",    "\\k<n>abc", "\\cAabc",    "(abc",
		"abc)",    "[abc",      "ab\\",      "x{0,3}",     "\\p{L}+",
		"abc{,3}", "abc{1, 3}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		struct pyo_relit r;

		assert_int_equal(pyo_relit_extract(&r, none[i], 0, 0), 0);
		if (r.nr)
			fail_msg("%s: got '%s', want nothing", none[i],
			         sorted_set(&r));
		pyo_relit_release(&r);
	}
}

/* The prefilter of a set of patterns agrees with the literals. */
static void test_kwset(void **state)
{
	static const char *const pats[] = { "(?i)\\.(png|o)$", "vendor/" };
	static const char *const weak[] = { "abc", "\\d+" };
	struct kw_automaton *ac;

	(void)state;
	assert_int_equal(pyo_relit_kwset(&ac, pats, 2, 0), 0);
	assert_non_null(ac);
	assert_true(kw_any(ac, "img/LOGO.PNG", 12));
	assert_true(kw_any(ac, "x.O", 3));
	assert_true(kw_any(ac, "a/vendor/b", 10));
	assert_true(kw_any(ac, "a/VENDOR/b", 10)); /* folded: a superset */
	assert_false(kw_any(ac, "src/main.go", 11));
	kw_release(ac);
	free(ac);
	/* one pattern requires nothing: no prefilter at all */
	assert_int_equal(pyo_relit_kwset(&ac, weak, 2, 0), 0);
	assert_null(ac);
}

struct tally {
	size_t patterns, with_lits, matched, with_prefix;
};

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* One literal of `r` starts s[0..n). */
static int starts_with_one(const struct pyo_relit *r, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < r->nr; i++) {
		for (k = 0; k < r->len[i] && k < n; k++)
			if ((r->nocase && s[k] >= 'A' && s[k] <= 'Z'
			             ? s[k] + 32
			             : s[k]) != r->lit[i][k])
				break;
		if (k == r->len[i])
			return 1;
	}
	return 0;
}

/* One subject: when the regex matches, a literal must be there (with
 * `prefix`: where the match starts). */
static void check_subject(struct tally *t,
                          const char *pattern,
                          pcre2_code *re,
                          pcre2_match_data *md,
                          const struct pyo_relit *r,
                          int prefix,
                          const char *s,
                          size_t n)
{
	PCRE2_SIZE at;

	if (pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 0)
		return;
	t->matched++;
	at = pcre2_get_ovector_pointer(md)[0];
	if (prefix && !starts_with_one(r, s + at, n - at))
		fail_msg("%s matches '%.*s' at %zu, not at one of '%s'",
		         pattern, (int)n, s, (size_t)at, sorted_set(r));
	if (!pyo_relit_holds(r, s, n))
		fail_msg("%s matches '%.*s' without any of '%s'", pattern,
		         (int)n, s, sorted_set(r));
}

static void mutate(char *out, size_t *n, const char *in, unsigned *seed)
{
	size_t len = strlen(in), i, o = 0;

	for (i = 0; i < len && o < 1000; i++) {
		unsigned d = next_rand(seed) % 16;

		if (d == 0)
			continue; /* dropped */
		if (d == 1 && o < 999)
			out[o++] = in[i]; /* doubled */
		if (d == 2 && in[i] >= 'a' && in[i] <= 'z')
			out[o++] = (char)(in[i] - 32);
		else if (d == 3 && i + 1 < len) {
			out[o++] = in[i + 1]; /* swapped */
			out[o++] = in[i++];
		} else
			out[o++] = in[i];
	}
	*n = o;
}

static void collect_strings(cJSON *node, char ***v, size_t *nr)
{
	cJSON *c;

	if (cJSON_IsString(node)) {
		*v = realloc(*v, (*nr + 1) * sizeof(**v));
		assert_non_null(*v);
		(*v)[(*nr)++] = node->valuestring;
		return;
	}
	cJSON_ArrayForEach(c, node) collect_strings(c, v, nr);
}

/* One regex of a rule against the strings of its examples. */
static void check_pattern(struct tally *t,
                          const char *pattern,
                          unsigned flags,
                          cJSON *examples)
{
	struct pyo_relit r;
	pcre2_code *re;
	pcre2_match_data *md;
	char **subjects = NULL, buf[1024];
	size_t nr = 0, i, k, n;
	unsigned seed = 7;
	/* \K moves the reported start: no prefix promise to check there */
	int err, prefix = (flags & PYO_RELIT_PREFIX) && !strstr(pattern, "\\K");
	PCRE2_SIZE off;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                   PCRE2_MULTILINE, &err, &off, NULL);
	if (!re)
		fail_msg("%s: does not compile", pattern);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	assert_int_equal(pyo_relit_extract(&r, pattern, 0, flags), 0);
	t->patterns++;
	if (r.nr) {
		t->with_lits++;
		t->with_prefix += prefix;
		collect_strings(examples, &subjects, &nr);
		for (i = 0; i < nr; i++) {
			check_subject(t, pattern, re, md, &r, prefix,
			              subjects[i], strlen(subjects[i]));
			for (k = 0; k < 40; k++) {
				mutate(buf, &n, subjects[i], &seed);
				check_subject(t, pattern, re, md, &r, prefix,
				              buf, n);
			}
		}
	}
	free(subjects);
	pyo_relit_release(&r);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

/* Every "regex", "pattern", "content" and "negative_pattern" string. */
static void walk_rules(struct tally *t, cJSON *node, cJSON *examples)
{
	static const char *const keys[] = { "regex", "pattern", "content",
		                            "negative_pattern" };
	cJSON *ex = cJSON_GetObjectItemCaseSensitive(node, "examples");
	cJSON *c;
	size_t k;

	if (cJSON_IsObject(node) && ex)
		examples = ex;
	for (k = 0; cJSON_IsObject(node) && k < 4; k++) {
		cJSON *p = cJSON_GetObjectItemCaseSensitive(node, keys[k]);

		cJSON *one;

		if (!examples)
			continue;
		if (cJSON_IsString(p)) {
			check_pattern(t, p->valuestring, 0, examples);
			check_pattern(t, p->valuestring, PYO_RELIT_NO_SPACE,
			              examples);
			check_pattern(t, p->valuestring,
			              PYO_RELIT_NO_SPACE | PYO_RELIT_PREFIX,
			              examples);
		}
		if (!cJSON_IsArray(p))
			continue;
		cJSON_ArrayForEach(one, p)
		{
			if (cJSON_IsString(one))
				check_pattern(t, one->valuestring, 0, examples);
		}
	}
	cJSON_ArrayForEach(c, node)
	{
		if (!c->string || strcmp(c->string, "examples"))
			walk_rules(t, c, examples);
	}
}

static void test_shipped_rules(void **state)
{
	static const char *const files[] = { "ml",          "frameworks",
		                             "concurrency", "service",
		                             "paths",       "heuristics" };
	const char *src = getenv("SRC_DIR");
	struct tally t = { 0 };
	size_t i;

	(void)state;
	assert_non_null(src);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		FILE *f;
		char *text;
		long len;
		cJSON *doc;

		snprintf(path, sizeof(path), "%s/rules/%s.json", src, files[i]);
		f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		text = malloc((size_t)len + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
		text[len] = '\0';
		fclose(f);
		doc = cJSON_Parse(text);
		assert_non_null(doc);
		walk_rules(&t, doc, NULL);
		cJSON_Delete(doc);
		free(text);
	}
	/* not vacuous: most regexes have literals, and many texts match */
	print_message("%zu regexes, %zu with literals (%zu prefix sets), %zu "
	              "matching texts\n",
	              t.patterns, t.with_lits, t.with_prefix, t.matched);
	assert_true(t.patterns > 300);
	assert_true(t.with_lits * 10 > t.patterns * 8);
	assert_true(t.matched > 5000);
	assert_true(t.with_prefix > 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_prefix_sets),
		cmocka_unit_test(test_gives_up),
		cmocka_unit_test(test_kwset),
		cmocka_unit_test(test_shipped_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
