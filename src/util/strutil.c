#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#	include <emmintrin.h>
#endif

#include "pyorgo/common.h"
#include "strutil.h"
#include "banned.h"

char *pyo_strndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = malloc(n + 1);
	if (!p) {
		pyo_error_oom();
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pyo_strdup(const char *s)
{
	return s ? pyo_strndup(s, strlen(s)) : NULL;
}

const char *pyo_path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *pyo_path_ext(const char *path)
{
	const char *base = pyo_path_basename(path);
	const char *dot = strrchr(base, '.');

	return dot && dot != base ? dot : "";
}

int pyo_str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

int pyo_str_startswith(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int pyo_str_under(const char *s, const char *prefix, char sep)
{
	size_t n = strlen(prefix);

	return !strncmp(s, prefix, n) && (!s[n] || s[n] == sep);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int pyo_strcasecmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

/*
 * Sixteen places at a time: where the needle's first and last bytes both
 * are, then the bytes between (W. Mula's SIMD substring search). A memchr
 * on the first byte stopped at every 'i' of a text when looking for
 * "import".
 */
const char *
pyo_memmem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	const char *p, *end;

	if (!nlen)
		return hay;
	if (hlen < nlen)
		return NULL;
	if (nlen == 1)
		return memchr(hay, needle[0], hlen);
	end = hay + hlen - nlen + 1;
	p = hay;
#if defined(__SSE2__)
	{
		const __m128i first = _mm_set1_epi8(needle[0]);
		const __m128i last = _mm_set1_epi8(needle[nlen - 1]);

		for (; end - p >= 16; p += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)p);
			__m128i b = _mm_loadu_si128(
			        (const __m128i *)(p + nlen - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
			        _mm_and_si128(_mm_cmpeq_epi8(a, first),
			                      _mm_cmpeq_epi8(b, last)));

			while (m) {
				unsigned k = (unsigned)__builtin_ctz(m);

				if (!memcmp(p + k + 1, needle + 1, nlen - 2))
					return p + k;
				m &= m - 1;
			}
		}
	}
#endif
	for (; p < end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p)
			return NULL;
		if (!memcmp(p, needle, nlen))
			return p;
	}
	return NULL;
}

int pyo_parse_u64(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int pyo_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || *s == ' ')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int glob_at(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			if (*p == '/')
				p++;
			/* `**` matches zero or more whole segments */
			for (;;) {
				if (glob_at(p, s))
					return 1;
				s = strchr(s, '/');
				if (!s)
					return 0;
				s++;
			}
		}
		if (*p == '*') {
			for (;; s++) {
				if (glob_at(p + 1, s))
					return 1;
				if (!*s || *s == '/')
					return 0;
			}
		}
		if (!*s)
			return 0;
		if (*p == '?') {
			if (*s == '/')
				return 0;
			continue;
		}
		if (*p != *s)
			return 0;
	}
	return !*s;
}

int pyo_glob_match(const char *pattern, const char *path)
{
	return glob_at(pattern, path);
}
