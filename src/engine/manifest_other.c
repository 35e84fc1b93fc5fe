/*
 * manifest_other.c: other languages' manifests, read as presence signals:
 * package.json (cJSON), Cargo.toml (toml.c), pom.xml (a tag scan),
 * build.gradle(.kts) dependency lines, and Gemfile gem lines.
 */
#include <string.h>

#include <cJSON.h>

#include "pyorgo/manifest.h"
#include "buf.h"
#include "strutil.h"
#include "manifest_int.h"
#include "toml.h"
#include "banned.h"

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int add_simple(struct mf_ctx *ctx,
                      const char *eco,
                      const char *name,
                      size_t nlen,
                      const char *c,
                      size_t clen,
                      const char *group,
                      unsigned line,
                      int is_direct)
{
	struct mf_dep d = { 0 };

	d.ecosystem = eco;
	d.name = name;
	d.name_len = nlen;
	d.constraint = c;
	d.constraint_len = clen;
	d.group = group;
	d.line = line;
	d.is_direct = is_direct;
	return mf_add(ctx, &d);
}

/* package.json */

static const struct {
	const char *key, *group;
} npm_sections[] = {
	{ "dependencies", NULL },
	{ "devDependencies", "dev" },
	{ "optionalDependencies", "optional" },
	{ "peerDependencies", "peer" },
};

int mf_parse_package_json(struct mf_ctx *ctx, const char *data, size_t len)
{
	struct mf_json_lines jl = { data, len, 0, 0, 1 };
	const cJSON *sec, *dep;
	cJSON *doc;
	size_t i;
	int error = 0;

	doc = cJSON_ParseWithLength(data, len);
	if (!doc || !cJSON_IsObject(doc)) {
		mf_warn(ctx, 0, "not a JSON object; not read");
		cJSON_Delete(doc);
		return 0;
	}
	/* visit sections in file order, so line search stays linear */
	cJSON_ArrayForEach(sec, doc)
	{
		const char *group = NULL;

		if (!sec->string || !cJSON_IsObject(sec))
			continue;
		for (i = 0; i < sizeof(npm_sections) / sizeof(*npm_sections);
		     i++)
			if (!strcmp(sec->string, npm_sections[i].key))
				break;
		if (i == sizeof(npm_sections) / sizeof(*npm_sections))
			continue;
		group = npm_sections[i].group;
		mf_json_key_line(&jl, sec->string);
		cJSON_ArrayForEach(dep, sec)
		{
			const char *v =
			        cJSON_IsString(dep) ? dep->valuestring : NULL;
			unsigned line;

			if (!dep->string)
				continue;
			line = mf_json_key_line(&jl, dep->string);
			if ((error = add_simple(ctx, "npm", dep->string,
			                        strlen(dep->string), v,
			                        v ? strlen(v) : 0, group, line,
			                        1)) < 0)
				goto done;
		}
	}
done:
	cJSON_Delete(doc);
	return error;
}

/* Cargo.toml */

static int
cargo_table(struct mf_ctx *ctx, const struct pyo_toml *t, const char *group)
{
	size_t i, n;
	const char *c;
	int error;

	if (!t || pyo_toml_type(t) != PYO_TOML_TABLE)
		return 0;
	for (i = 0; i < pyo_toml_len(t); i++) {
		const char *name = pyo_toml_key_at(t, i);

		mf_poetry_constraint(pyo_toml_at(t, i), &c, &n);
		if ((error = add_simple(ctx, "cargo", name, strlen(name), c, n,
		                        group, pyo_toml_line(pyo_toml_at(t, i)),
		                        1)) < 0)
			return error;
	}
	return 0;
}

static int cargo_tables(struct mf_ctx *ctx, const struct pyo_toml *t)
{
	int error;

	if ((error = cargo_table(ctx, pyo_toml_get(t, "dependencies"), NULL)) <
	            0 ||
	    (error = cargo_table(ctx, pyo_toml_get(t, "dev-dependencies"),
	                         "dev")) < 0 ||
	    (error = cargo_table(ctx, pyo_toml_get(t, "build-dependencies"),
	                         "build")) < 0)
		return error;
	return 0;
}

int mf_parse_cargo(struct mf_ctx *ctx, const char *data, size_t len)
{
	const struct pyo_toml *target;
	struct pyo_toml *doc = NULL;
	size_t i;
	int error;

	if ((error = mf_toml(&doc, ctx, data, len)) < 0)
		return error;
	if ((error = cargo_tables(ctx, doc)) < 0 ||
	    (error = cargo_table(ctx,
	                         pyo_toml_path(doc, "workspace.dependencies"),
	                         "workspace")) < 0)
		goto done;
	target = pyo_toml_get(doc, "target");
	for (i = 0; i < pyo_toml_len(target); i++)
		if (pyo_toml_type(target) == PYO_TOML_TABLE &&
		    (error = cargo_tables(ctx, pyo_toml_at(target, i))) < 0)
			goto done;
done:
	pyo_toml_free(doc);
	return error;
}

/* pom.xml */

struct field {
	const char *s;
	size_t len;
};

static void trim(struct field *f)
{
	while (f->len && is_ws(*f->s)) {
		f->s++;
		f->len--;
	}
	while (f->len && is_ws(f->s[f->len - 1]))
		f->len--;
}

static int name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(s, name, n);
}

static int
pom_emit(struct mf_ctx *ctx, struct field *f, unsigned line, int managed)
{
	struct pyo_buf name = { 0 };
	const char *group = NULL;
	int error;

	trim(&f[0]);
	trim(&f[1]);
	trim(&f[2]);
	trim(&f[3]);
	if (!f[1].len)
		return 0;
	if (f[3].len && !name_is(f[3].s, f[3].len, "compile") &&
	    !name_is(f[3].s, f[3].len, "runtime"))
		group = name_is(f[3].s, f[3].len, "test")       ? "test"
		        : name_is(f[3].s, f[3].len, "provided") ? "provided"
		        : name_is(f[3].s, f[3].len, "import")   ? "import"
		                                                : "system";
	if (managed)
		group = "dependencyManagement";
	if (pyo_buf_put(&name, f[0].s, f[0].len) < 0 ||
	    pyo_buf_putc(&name, ':') < 0 ||
	    pyo_buf_put(&name, f[1].s, f[1].len) < 0) {
		pyo_buf_release(&name);
		return PYO_ERROR;
	}
	error = add_simple(ctx, "maven", name.ptr, name.len, f[2].s, f[2].len,
	                   group, line, !managed);
	pyo_buf_release(&name);
	return error;
}

int mf_parse_pom(struct mf_ctx *ctx, const char *data, size_t len)
{
	static const char *const fields[] = { "groupId", "artifactId",
		                              "version", "scope" };
	const char *p = data, *end = data + len;
	struct field f[4];
	size_t at = 0;
	unsigned line = 1, dep_line = 0;
	int in_dep = 0, sub = 0, managed = 0, error = 0;

	while (!error && (p = memchr(p, '<', (size_t)(end - p)))) {
		const char *name, *gt, *close;
		int closing = 0, self = 0;
		size_t n, i;

		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			close = pyo_memmem(p, (size_t)(end - p), "-->", 3);
			p = close ? close + 3 : end;
			continue;
		}
		if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
			close = pyo_memmem(p, (size_t)(end - p), "]]>", 3);
			p = close ? close + 3 : end;
			continue;
		}
		gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			break;
		name = p + 1;
		if (name < gt && *name == '/') {
			closing = 1;
			name++;
		}
		self = gt[-1] == '/';
		for (n = 0; name + n < gt && !is_ws(name[n]) && name[n] != '/';
		     n++)
			;
		if (name_is(name, n, "dependencyManagement"))
			managed += closing ? -1 : 1;
		if (name_is(name, n, "dependency") && !self) {
			if (!closing) {
				in_dep = 1;
				sub = 0;
				memset(f, 0, sizeof(f));
				dep_line = mf_line_at(data, (size_t)(p - data),
				                      &at, &line);
			} else if (in_dep) {
				in_dep = 0;
				error = pom_emit(ctx, f, dep_line, managed > 0);
			}
		} else if (in_dep && !self) {
			if (closing) {
				sub--;
			} else {
				for (i = 0; sub == 0 && i < 4; i++)
					if (name_is(name, n, fields[i])) {
						const char *t = memchr(
						        gt, '<',
						        (size_t)(end - gt));

						f[i].s = gt + 1;
						f[i].len =
						        t ? (size_t)(t - gt - 1)
						          : 0;
					}
				sub++;
			}
		}
		p = gt + 1;
	}
	return error;
}

/* build.gradle, build.gradle.kts */

static const char *const gradle_confs[] = {
	"implementation",
	"api",
	"compile",
	"compileOnly",
	"runtimeOnly",
	"developmentOnly",
	"annotationProcessor",
	"kapt",
	"ksp",
	"testImplementation",
	"testCompileOnly",
	"testRuntimeOnly",
	"testCompile",
	"androidTestImplementation",
};

static int
gradle_line(struct mf_ctx *ctx, const char *s, const char *end, unsigned line)
{
	const char *w = s, *q, *colon, *c = NULL;
	char quote;
	size_t i, n;

	while (s < end &&
	       ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		s++;
	n = (size_t)(s - w);
	for (i = 0; i < sizeof(gradle_confs) / sizeof(*gradle_confs); i++)
		if (name_is(w, n, gradle_confs[i]))
			break;
	if (!n || i == sizeof(gradle_confs) / sizeof(*gradle_confs))
		return 0;
	while (s < end && (is_ws(*s) || *s == '('))
		s++;
	if (end - s >= 9 && !memcmp(s, "platform(", 9))
		s += 9;
	if (s >= end || (*s != '"' && *s != '\''))
		return 0; /* project(":x"), files(...), a variable: no
		             coordinate */
	quote = *s++;
	q = memchr(s, quote, (size_t)(end - s));
	if (!q)
		return 0;
	colon = memchr(s, ':', (size_t)(q - s));
	if (!colon)
		return 0;
	c = memchr(colon + 1, ':', (size_t)(q - colon - 1));
	return add_simple(ctx, "maven", s, (size_t)((c ? c : q) - s),
	                  c ? c + 1 : NULL, c ? (size_t)(q - c - 1) : 0,
	                  !strncmp(w, "test", 4) ||
	                                  !strncmp(w, "androidTest", 11)
	                          ? "test"
	                          : NULL,
	                  line, 1);
}

int mf_parse_gradle(struct mf_ctx *ctx, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	unsigned line = 0;
	int error = 0, in_comment = 0;

	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *le = nl ? nl : end;

		line++;
		p = nl ? nl + 1 : end;
		while (s < le && is_ws(*s))
			s++;
		if (in_comment) {
			if (pyo_memmem(s, (size_t)(le - s), "*/", 2))
				in_comment = 0;
			continue;
		}
		if (le - s >= 2 && s[0] == '/' && s[1] == '*') {
			in_comment = !pyo_memmem(s, (size_t)(le - s), "*/", 2);
			continue;
		}
		error = gradle_line(ctx, s, le, line);
	}
	return error;
}

/* Gemfile */

#define GEM_DEPTH 32

/* The next quoted string or :symbol at or after *p on the line. */
static int next_word(const char **p, const char *end, struct field *out)
{
	const char *s = *p;

	while (s < end && (is_ws(*s) || *s == ','))
		s++;
	if (s < end && (*s == '"' || *s == '\'')) {
		const char *q = memchr(s + 1, *s, (size_t)(end - s - 1));

		if (!q)
			return 0;
		out->s = s + 1;
		out->len = (size_t)(q - s - 1);
		*p = q + 1;
		return 1;
	}
	if (s < end && *s == ':') {
		out->s = ++s;
		while (s < end && (is_ws(*s) == 0 && *s != ','))
			s++;
		out->len = (size_t)(s - out->s);
		*p = s;
		return 1;
	}
	return 0;
}

static int ends_with_do(const char *s, const char *end)
{
	const char *bar;

	if ((bar = memchr(s, '|', (size_t)(end - s))))
		end = bar;
	while (end > s && is_ws(end[-1]))
		end--;
	return end - s >= 3 && !memcmp(end - 2, "do", 2) && is_ws(end[-3]);
}

int mf_parse_gemfile(struct mf_ctx *ctx, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	char groups[GEM_DEPTH][64];
	int depth = 0, error = 0;
	unsigned line = 0;

	while (p < end && !error) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *le = nl ? nl : end;
		const char *group = depth ? groups[depth - 1] : NULL;

		line++;
		p = nl ? nl + 1 : end;
		while (s < le && is_ws(*s))
			s++;
		if (s < le && *s == '#')
			continue;
		while (le > s && is_ws(le[-1]))
			le--;
		if (le - s == 3 && !memcmp(s, "end", 3)) {
			if (depth)
				depth--;
			continue;
		}
		if (ends_with_do(s, le)) {
			struct field g = { 0 };
			const char *a = s + 5;

			if (depth == GEM_DEPTH) {
				mf_warn(ctx, line, "blocks nested too deep");
				return 0;
			}
			/* group :development, :test do; other blocks inherit */
			if (le - s > 6 && !memcmp(s, "group", 5) &&
			    is_ws(s[5]) && next_word(&a, le, &g) &&
			    g.len < 64) {
				memcpy(groups[depth], g.s, g.len);
				groups[depth][g.len] = '\0';
			} else if (group) {
				memmove(groups[depth], group,
				        strlen(group) + 1);
			} else {
				groups[depth][0] = '\0';
			}
			depth++;
			continue;
		}
		if (le - s > 4 && !memcmp(s, "gem", 3) && is_ws(s[3])) {
			struct field name = { 0 }, v;
			struct pyo_buf c = { 0 };
			const char *a = s + 3;

			if (!next_word(&a, le, &name) || !name.len)
				continue;
			while (next_word(&a, le, &v) && a[-1] != ',' &&
			       (a - v.s == (long)v.len + 1))
				if ((c.len && pyo_buf_putc(&c, ',') < 0) ||
				    pyo_buf_put(&c, v.s, v.len) < 0) {
					pyo_buf_release(&c);
					return PYO_ERROR;
				}
			error = add_simple(
			        ctx, "gem", name.s, name.len, c.ptr, c.len,
			        group && *group ? group : NULL, line, 1);
			pyo_buf_release(&c);
		}
	}
	return error;
}
