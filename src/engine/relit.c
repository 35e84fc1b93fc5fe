/*
 * relit.c: the literals a regular expression requires (relit.h).
 *
 * Each piece of the pattern gets two sets of strings:
 * - exact: every string the piece can match, when there are few and
 *   they are short ("colou?r" -> color, colour); unknown otherwise;
 * - req: strings one of which every match of the piece contains.
 * A sequence multiplies the exact sets of its pieces while they stay
 * small (a run), and its req is the best of its runs and of its pieces'
 * req sets; an alternation's req is the union of its branches' req.
 * A set holding "" requires nothing. Zero-width items (anchors,
 * lookarounds) are the exact set {""}.
 * - pre: strings one of which every match of the piece starts with: a
 *   sequence's first run (or, when it starts with an inexact piece, that
 *   piece's pre), an alternation's union; none after an optional piece.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "relit.h"
#include "relit_int.h"
#include "pyorgo/common.h"
#include "strutil.h"
#include "banned.h"

static void parse_alt(struct ctx *c, struct info *out);

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* One literal byte as an atom. */
static void atom_byte(struct ctx *c, struct info *out, char ch)
{
	if ((c->flags & PYO_RELIT_NO_SPACE) && is_space((unsigned char)ch))
		return; /* any character: nothing known */
	out->exact.ok = 1;
	relit_set_add(c, &out->exact, &ch, 1);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/*
 * An escape after '\' (c->p at the letter): the byte it stands for, -1
 * for a character type (\d, \w, ...: not exact), -2 for a zero-width
 * assertion, or -3 (c->fail set) for what is not understood.
 */
static int escape(struct ctx *c)
{
	int ch = (unsigned char)*c->p++, v = 0, d;

	switch (ch) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case 'f':
		return '\f';
	case 'e':
		return 0x1b;
	case 'a':
		return 0x07;
	case 'd':
	case 'D':
	case 'w':
	case 'W':
	case 's':
	case 'S':
	case 'h':
	case 'H':
	case 'v':
	case 'V':
	case 'R':
	case 'N':
	case 'X':
	case 'C':
		return -1;
	case 'p':
	case 'P':
		if (c->p < c->end && *c->p == '{') {
			while (c->p < c->end && *c->p != '}')
				c->p++;
			c->p += c->p < c->end;
		} else if (c->p < c->end) {
			c->p++;
		}
		return -1;
	case 'b':
	case 'B':
	case 'A':
	case 'z':
	case 'Z':
	case 'G':
	case 'K':
		return -2;
	case 'x':
		if (c->p < c->end && *c->p == '{') {
			for (c->p++; c->p < c->end && *c->p != '}'; c->p++) {
				if ((d = hexval((unsigned char)*c->p)) < 0 ||
				    v > 0xff)
					break;
				v = v * 16 + d;
			}
			if (c->p >= c->end || *c->p != '}')
				break;
			c->p++;
		} else {
			int k;

			for (k = 0; k < 2 && c->p < c->end &&
			            (d = hexval((unsigned char)*c->p)) >= 0;
			     k++, c->p++)
				v = v * 16 + d;
		}
		if (v >= 0x80) /* a code point, not a byte, in UTF mode */
			break;
		return v;
	default:
		if (!isalnum(ch))
			return ch; /* an escaped punctuation is itself */
	}
	c->fail = 1;
	return -3;
}

/* A class [...]: exact when it is a few plain characters. */
static void atom_class(struct ctx *c, struct info *out)
{
	unsigned char in[256] = { 0 };
	int negated = 0, exact = 1, prev = -1, first = 1;
	size_t n = 0, i;

	if (c->p < c->end && *c->p == '^') {
		negated = 1;
		c->p++;
	}
	while (c->p < c->end && (*c->p != ']' || first)) {
		int ch = (unsigned char)*c->p++;

		first = 0;
		if (ch == '[' && c->p < c->end && *c->p == ':') {
			const char *e = strstr(c->p, ":]");

			if (!e || e >= c->end) {
				c->fail = 1;
				return;
			}
			c->p = e + 2;
			exact = 0;
			prev = -1;
			continue;
		}
		if (ch == '\\') {
			if (c->p >= c->end) {
				c->fail = 1;
				return;
			}
			if (*c->p == 'b') { /* backspace, in a class */
				c->p++;
				ch = 0x08;
			} else if (*c->p == 'Q' || *c->p == 'E') {
				c->fail = 1;
				return;
			} else if ((ch = escape(c)) < 0) {
				if (c->fail)
					return;
				exact = 0;
				prev = -1;
				continue;
			}
		} else if (ch == '-' && prev >= 0 && c->p < c->end &&
		           *c->p != ']') {
			int hi = (unsigned char)*c->p++;

			if (hi == '\\') {
				if (c->p >= c->end || (hi = escape(c)) < 0) {
					if (c->fail)
						return;
					exact = 0;
					prev = -1;
					continue;
				}
			}
			for (ch = prev; ch <= hi; ch++)
				in[ch] = 1;
			prev = -1;
			continue;
		}
		in[ch] = 1;
		prev = ch;
	}
	if (c->p >= c->end) {
		c->fail = 1;
		return;
	}
	c->p++; /* ']' */
	for (i = 0; i < 256; i++)
		n += in[i];
	if (negated || !exact || n > CLASS_MAX || !n)
		return;
	for (i = 0; i < 256; i++)
		if (in[i])
			atom_byte(c, out, (char)i);
	if (n != out->exact.nr) /* a space left out under NO_SPACE */
		relit_set_free(&out->exact);
}

/* Inline flags "(?im-sx)" or "(?i:": returns 0, or -1 (fail) for x. */
static int read_flags(struct ctx *c)
{
	int on = 1;

	while (c->p < c->end && *c->p != ')' && *c->p != ':') {
		switch (*c->p++) {
		case '-':
			on = 0;
			break;
		case '^':
			break;
		case 'i':
			c->nocase |= on;
			break;
		case 'm':
		case 's':
		case 'n':
		case 'U':
		case 'J':
			break;
		default: /* x and xx change what a space means */
			return -1;
		}
	}
	return c->p < c->end ? 0 : -1;
}

/* A group after '(' up to its ')'. */
static void atom_group(struct ctx *c, struct info *out)
{
	int zero_width = 0;

	if (c->p < c->end && *c->p == '*') {
		c->fail = 1; /* (*VERB) and (*pla: ...) */
		return;
	}
	if (c->p < c->end && *c->p == '?') {
		const char *q = ++c->p;

		if (q >= c->end) {
			c->fail = 1;
			return;
		}
		if (*q == '#') {
			while (c->p < c->end && *c->p != ')')
				c->p++;
			if (c->p >= c->end) {
				c->fail = 1;
				return;
			}
			c->p++;
			relit_set_empty_string(c, &out->exact);
			return;
		}
		if (*q == ':' || *q == '|' || *q == '>') {
			c->p++;
		} else if (*q == '=' || *q == '!') {
			c->p++;
			zero_width = 1;
		} else if (*q == '<' && q + 1 < c->end &&
		           (q[1] == '=' || q[1] == '!')) {
			c->p += 2;
			zero_width = 1;
		} else if (*q == '<' || *q == '\'' ||
		           (*q == 'P' && q + 1 < c->end && q[1] == '<')) {
			char close = *q == '\'' ? '\'' : '>';

			c->p = q + 1;
			while (c->p < c->end && *c->p != close)
				c->p++;
			if (c->p >= c->end) {
				c->fail = 1;
				return;
			}
			c->p++;
		} else if (isalpha((unsigned char)*q) || *q == '-' ||
		           *q == '^') {
			if (read_flags(c) < 0) {
				c->fail = 1;
				return;
			}
			if (*c->p++ == ')') { /* (?i): to the group's end */
				relit_set_empty_string(c, &out->exact);
				return;
			}
		} else {
			c->fail = 1; /* (?R) (?1) (?&n) (?( (?C (?P= ... */
			return;
		}
	}
	parse_alt(c, out);
	if (c->fail)
		return;
	if (c->p >= c->end || *c->p != ')') {
		c->fail = 1;
		return;
	}
	c->p++;
	if (zero_width) {
		relit_info_free(out);
		relit_set_empty_string(c, &out->exact);
	}
}

/* One item without its quantifier; c->p past it. */
static void parse_atom(struct ctx *c, struct info *out)
{
	int ch = (unsigned char)*c->p++;

	switch (ch) {
	case '^':
	case '$':
		relit_set_empty_string(c, &out->exact);
		return;
	case '.':
		return;
	case '[':
		atom_class(c, out);
		return;
	case '(':
		atom_group(c, out);
		return;
	case '*':
	case '+':
	case '?':
		c->fail = 1;
		return;
	case '\\':
		if (c->p >= c->end) {
			c->fail = 1;
			return;
		}
		if (*c->p == 'Q') {
			/* a quantifier after \Q..\E applies to its last byte:
			 * not worth reading */
			c->fail = 1;
			return;
		}
		if (*c->p == 'E') {
			c->p++;
			relit_set_empty_string(c, &out->exact);
			return;
		}
		if (isdigit((unsigned char)*c->p) || *c->p == 'g' ||
		    *c->p == 'k' || *c->p == 'c' || *c->p == 'o') {
			c->fail = 1; /* back references, \c, \o, octal */
			return;
		}
		ch = escape(c);
		if (ch == -2)
			relit_set_empty_string(c, &out->exact);
		else if (ch >= 0)
			atom_byte(c, out, (char)ch);
		return;
	default:
		atom_byte(c, out, (char)ch);
	}
}

/* Reads "{n}", "{n,}", "{n,m}" at c->p; 0 when it is not a quantifier. */
static int read_braces(struct ctx *c, long *lo, long *hi)
{
	const char *q = c->p + 1;
	char *e;

	/* "{,n}" is a literal before PCRE2 10.43 and a quantifier since, and
	 * spaces may stand inside the braces in 10.43: not read */
	for (e = (char *)(uintptr_t)q; e < c->end && *e != '}' && e - q < 32;
	     e++)
		if (*e == ' ' || (*e == ',' && e == q)) {
			c->fail = 1;
			return 0;
		}
	if (q >= c->end || !isdigit((unsigned char)*q))
		return 0;
	*lo = strtol(q, &e, 10);
	*hi = *lo;
	if (e < c->end && *e == ',') {
		q = e + 1;
		*hi = -1;
		if (q < c->end && isdigit((unsigned char)*q))
			*hi = strtol(q, &e, 10);
		else
			e = (char *)(uintptr_t)q;
	}
	if (e >= c->end || *e != '}')
		return 0;
	c->p = e + 1;
	return 1;
}

/* Applies a quantifier after an atom, if there is one. */
static void parse_quant(struct ctx *c, struct info *in)
{
	long lo, hi;
	size_t k;

	if (c->p >= c->end)
		return;
	if (*c->p == '?') {
		lo = 0;
		hi = 1;
		c->p++;
	} else if (*c->p == '*') {
		lo = 0;
		hi = -1;
		c->p++;
	} else if (*c->p == '+') {
		lo = 1;
		hi = -1;
		c->p++;
	} else if (*c->p != '{' || !read_braces(c, &lo, &hi)) {
		return;
	}
	if (c->p < c->end && (*c->p == '?' || *c->p == '+'))
		c->p++; /* lazy or possessive */
	if (in->exact.ok && !relit_score(&in->req) && relit_score(&in->exact))
		relit_set_copy(c, &in->req, &in->exact);
	if (lo == 0) {
		relit_set_free(&in->req);
		relit_set_free(&in->pre);
		if (hi == 1 && in->exact.ok)
			relit_set_add(c, &in->exact, "", 0);
		else if (hi == 0) {
			relit_set_free(&in->exact);
			relit_set_empty_string(c, &in->exact);
		} else
			relit_set_free(&in->exact);
		return;
	}
	if (lo == hi && lo <= 8 && in->exact.ok) {
		struct lset one = { NULL, 0, 0 };

		relit_set_copy(c, &one, &in->exact);
		for (k = 1; k < (size_t)lo && in->exact.ok; k++)
			if (!relit_set_cross(c, &in->exact, &in->exact, &one))
				relit_set_free(&in->exact);
		relit_set_free(&one);
		return;
	}
	if (in->exact.ok && relit_score(&in->exact))
		relit_set_copy(c, &in->rep, &in->exact);
	relit_set_free(&in->exact);
}

/* A branch: items up to '|' or ')' or the end. */
/* Sets the pre of a sequence whose first run ends with `run`, before
 * the inexact piece `it`. */
static void first_run_pre(struct ctx *c,
                          struct lset *pre,
                          const struct lset *run,
                          const struct info *it)
{
	if (run->ok && run->nr == 1 && run->v[0].n == 0) {
		if (it->pre.ok)
			relit_set_copy(c, pre, &it->pre);
	} else if (relit_score(run)) {
		relit_set_copy(c, pre, run);
	}
}

static void parse_seq(struct ctx *c, struct info *out)
{
	struct lset run = { NULL, 0, 0 }, best = { NULL, 0, 0 };
	int all_exact = 1;

	relit_set_empty_string(c, &run);
	while (c->p < c->end && *c->p != '|' && *c->p != ')' && !c->fail) {
		struct info it = { { NULL, 0, 0 }, { NULL, 0, 0 } };

		parse_atom(c, &it);
		if (!c->fail)
			parse_quant(c, &it);
		if (!c->fail && !(it.exact.ok &&
		                  relit_set_cross(c, &run, &run, &it.exact))) {
			/* the run ends here (with a repetition's first) */
			if (it.rep.ok)
				(void)relit_set_cross(c, &run, &run, &it.rep);
			if (all_exact)
				first_run_pre(c, &out->pre, &run, &it);
			relit_take_better(c, &best, &run);
			all_exact = 0;
			relit_set_free(&run);
			if (it.exact.ok) {
				relit_set_copy(c, &run, &it.exact);
			} else if (it.rep.ok) {
				/* the run goes on into the first repetition,
				 * and a new one starts with the last */
				relit_set_copy(c, &run, &it.rep);
			} else {
				relit_take_better(c, &best, &it.req);
				relit_set_empty_string(c, &run);
			}
		}
		relit_info_free(&it);
	}
	relit_take_better(c, &best, &run);
	if (all_exact) {
		if (relit_score(&run))
			relit_set_copy(c, &out->pre, &run);
		out->exact = run;
	} else {
		relit_set_free(&run);
	}
	out->req = best;
}

static void parse_alt(struct ctx *c, struct info *out)
{
	int first = 1;

	for (;;) {
		struct info br = { { NULL, 0, 0 }, { NULL, 0, 0 } };

		parse_seq(c, &br);
		if (c->fail) {
			relit_info_free(&br);
			return;
		}
		if (!relit_score(&br.req))
			relit_set_free(&br.req);
		if (first) {
			*out = br;
			first = 0;
		} else {
			relit_set_union(c, &out->exact, &br.exact);
			relit_set_union(c, &out->req, &br.req);
			relit_set_union(c, &out->pre, &br.pre);
			relit_info_free(&br);
		}
		if (c->p >= c->end || *c->p != '|')
			return;
		c->p++;
	}
}

int pyo_relit_extract(struct pyo_relit *out,
                      const char *pattern,
                      uint32_t options,
                      unsigned flags)
{
	struct ctx c = { pattern, pattern + strlen(pattern), flags, 0, 0, 0 };
	struct info in = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct lset *want = flags & PYO_RELIT_PREFIX ? &in.pre : &in.req;
	size_t i;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (options & (PCRE2_EXTENDED | PCRE2_EXTENDED_MORE | PCRE2_LITERAL))
		return 0;
	c.nocase = !!(options & PCRE2_CASELESS);
	parse_alt(&c, &in);
	if (c.oom) {
		error = pyo_error_oom();
		goto done;
	}
	if (c.fail || c.p != c.end || !relit_score(want))
		goto done;
	if (c.nocase)
		relit_lower_all(&c, want);
	if (flags & PYO_RELIT_PREFIX)
		relit_minimize_prefixes(want);
	else
		relit_minimize(want);
	if (!relit_score(want))
		goto done;
	out->lit = calloc(want->nr, sizeof(*out->lit));
	out->len = calloc(want->nr, sizeof(*out->len));
	if (!out->lit || !out->len) {
		error = pyo_error_oom();
		goto done;
	}
	for (i = 0; i < want->nr; i++) {
		if (!(out->lit[i] = malloc((size_t)want->v[i].n + 1))) {
			error = pyo_error_oom();
			goto done;
		}
		memcpy(out->lit[i], want->v[i].s, want->v[i].n);
		out->lit[i][want->v[i].n] = '\0';
		out->len[i] = want->v[i].n;
		out->nr++;
	}
	out->nocase = c.nocase;
done:
	relit_info_free(&in);
	if (error < 0)
		pyo_relit_release(out);
	return error;
}
