/*
 * mailmap.c: git's .mailmap rules (mailmap.c in git 2.39), re-done so that
 * the history stage matches `git log --use-mailmap` and `git
 * check-mailmap`: emails and names compare case-insensitively (ASCII), a
 * later simple line overrides only the fields it gives, a name-specific
 * line wins over the simple one for the same email.
 */
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "mailmap.h"
#include "strmap.h"
#include "strutil.h"
#include "vec.h"
#include "banned.h"

struct mm_info {
	char *name, *email; /* NULL: keep the commit's */
};

struct mm_named {
	char *old_name;
	struct mm_info to;
};

struct mm_entry {
	struct mm_info simple;
	struct mm_named *named;
	size_t nr, alloc;
};

struct pyo_mailmap {
	struct pyo_strmap by_email; /* lower-cased commit email -> entry */
};

/* git's isspace (sane_ctype): space, \t, \n, \r */
static int mm_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * git's parse_name_and_email(): finds "<email>" in `buf`, trims the name
 * before it, NUL-terminates both in place. Returns what follows the '>'
 * when it is not empty, else NULL; `*email` is NULL when no email.
 */
static char *
parse_name_email(char *buf, char **name, char **email, int allow_empty_email)
{
	char *left, *right;
	size_t ns = 0, ne;

	*name = *email = NULL;
	if (!(left = strchr(buf, '<')) || !(right = strchr(left + 1, '>')))
		return NULL;
	if (!allow_empty_email && left + 1 == right)
		return NULL;
	ne = (size_t)(left - buf);
	while (ns < ne && mm_space(buf[ns]))
		ns++;
	while (ne > ns && mm_space(buf[ne - 1]))
		ne--;
	*name = ne > ns ? buf + ns : NULL;
	*email = left + 1;
	if (ne > ns)
		buf[ne] = '\0';
	*right++ = '\0';
	return *right ? right : NULL;
}

static int set_str(char **dst, const char *src)
{
	char *s = pyo_strdup(src);

	if (!s)
		return PYO_ERROR;
	free(*dst);
	*dst = s;
	return 0;
}

static void entry_free(void *p)
{
	struct mm_entry *e = p;
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nr; i++) {
		free(e->named[i].old_name);
		free(e->named[i].to.name);
		free(e->named[i].to.email);
	}
	free(e->named);
	free(e->simple.name);
	free(e->simple.email);
	free(e);
}

static struct mm_entry *entry_for(struct pyo_mailmap *mm, const char *email)
{
	struct pyo_strmap_entry *slot;
	size_t len = strlen(email), i;
	char *key = malloc(len + 1);

	if (!key) {
		pyo_error_oom();
		return NULL;
	}
	for (i = 0; i < len; i++)
		key[i] = lower(email[i]);
	key[len] = '\0';
	slot = pyo_strmap_slot(&mm->by_email, key, len);
	free(key);
	if (!slot)
		return NULL;
	if (!slot->value && !(slot->value = calloc(1, sizeof(struct mm_entry))))
		pyo_error_oom();
	return slot->value;
}

/* git's add_mapping() */
static int add_mapping(struct pyo_mailmap *mm,
                       const char *new_name,
                       const char *new_email,
                       const char *old_name,
                       const char *old_email)
{
	struct mm_entry *e;
	struct mm_named *n = NULL;
	size_t i;

	if (!old_email) {
		old_email = new_email;
		new_email = NULL;
	}
	if (!(e = entry_for(mm, old_email)))
		return PYO_ERROR;
	if (!old_name) {
		if (new_name && set_str(&e->simple.name, new_name) < 0)
			return PYO_ERROR;
		if (new_email && set_str(&e->simple.email, new_email) < 0)
			return PYO_ERROR;
		return 0;
	}
	for (i = 0; i < e->nr && !n; i++)
		if (!pyo_strcasecmp(e->named[i].old_name, old_name))
			n = &e->named[i];
	if (!n) {
		if (PYO_ARRAY_GROW(e->named, e->nr, e->alloc) < 0)
			return PYO_ERROR;
		n = &e->named[e->nr];
		memset(n, 0, sizeof(*n));
		if (set_str(&n->old_name, old_name) < 0)
			return PYO_ERROR;
		e->nr++;
	}
	/* a repeated line replaces the earlier one entirely, as in git */
	free(n->to.name);
	free(n->to.email);
	n->to.name = n->to.email = NULL;
	if ((new_name && set_str(&n->to.name, new_name) < 0) ||
	    (new_email && set_str(&n->to.email, new_email) < 0))
		return PYO_ERROR;
	return 0;
}

static int read_line(struct pyo_mailmap *mm, char *line)
{
	char *name1, *email1, *name2 = NULL, *email2 = NULL, *rest;

	if (line[0] == '#')
		return 0;
	if ((rest = parse_name_email(line, &name1, &email1, 0)))
		parse_name_email(rest, &name2, &email2, 1);
	if (!email1)
		return 0;
	return add_mapping(mm, name1, email1, name2, email2);
}

int pyo_mailmap_parse(struct pyo_mailmap **out, const char *data, size_t len)
{
	struct pyo_mailmap *mm = calloc(1, sizeof(*mm));
	const char *end, *eol;
	char *line = NULL;
	size_t cap = 0, n;
	int error = 0;

	if (!mm)
		return pyo_error_oom();
	end = memchr(data, '\0', len);
	if (end)
		len = (size_t)(end - data);
	end = data + len;
	while (data < end) {
		eol = memchr(data, '\n', (size_t)(end - data));
		n = (size_t)((eol ? eol : end) - data);
		if (n + 1 > cap) {
			char *p = realloc(line, n + 1);

			if (!p) {
				error = pyo_error_oom();
				goto done;
			}
			line = p;
			cap = n + 1;
		}
		memcpy(line, data, n);
		line[n] = '\0';
		if ((error = read_line(mm, line)) < 0)
			goto done;
		data += n + (eol ? 1 : 0);
	}
	*out = mm;
	mm = NULL;
done:
	free(line);
	pyo_mailmap_free(mm);
	return error;
}

void pyo_mailmap_free(struct pyo_mailmap *mm)
{
	if (!mm)
		return;
	pyo_strmap_clear(&mm->by_email, entry_free);
	free(mm);
}

size_t pyo_mailmap_count(const struct pyo_mailmap *mm)
{
	return mm ? mm->by_email.nr : 0;
}

static const struct mm_entry *lookup_email(const struct pyo_mailmap *mm,
                                           const char *email)
{
	char stack[256], *key = stack;
	const struct mm_entry *e;
	size_t len = strlen(email), i;

	if (len >= sizeof(stack) && !(key = malloc(len + 1)))
		return NULL;
	for (i = 0; i < len; i++)
		key[i] = lower(email[i]);
	key[len] = '\0';
	e = pyo_strmap_get(&mm->by_email, key, len);
	if (key != stack)
		free(key);
	return e;
}

int pyo_mailmap_resolve(const struct pyo_mailmap *mm,
                        const char **out_name,
                        const char **out_email,
                        const char *name,
                        const char *email)
{
	const struct mm_entry *e;
	const struct mm_info *to;
	size_t i;

	*out_name = name;
	*out_email = email;
	if (!mm || !mm->by_email.nr || !(e = lookup_email(mm, email)))
		return 0;
	to = &e->simple;
	for (i = 0; i < e->nr; i++)
		if (!pyo_strcasecmp(e->named[i].old_name, name)) {
			to = &e->named[i].to;
			break;
		}
	if (!to->name && !to->email)
		return 0;
	if (to->name)
		*out_name = to->name;
	if (to->email)
		*out_email = to->email;
	return 1;
}
