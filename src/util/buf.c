#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyorgo/common.h"
#include "buf.h"
#include "banned.h"

int pyo_buf_grow(struct pyo_buf *b, size_t extra)
{
	size_t want, alloc;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return pyo_error_oom();
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < want)
		alloc = alloc > SIZE_MAX / 2 ? want : alloc * 2;
	p = realloc(b->ptr, alloc);
	if (!p)
		return pyo_error_oom();
	b->ptr = p;
	b->alloc = alloc;
	return 0;
}

int pyo_buf_put(struct pyo_buf *b, const char *data, size_t len)
{
	if (pyo_buf_grow(b, len) < 0)
		return PYO_ERROR;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int pyo_buf_puts(struct pyo_buf *b, const char *s)
{
	return pyo_buf_put(b, s, strlen(s));
}

int pyo_buf_putc(struct pyo_buf *b, char c)
{
	return pyo_buf_put(b, &c, 1);
}

int pyo_buf_vprintf(struct pyo_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return pyo_error_set("cannot format string");
	if (pyo_buf_grow(b, (size_t)n) < 0)
		return PYO_ERROR;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int pyo_buf_printf(struct pyo_buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = pyo_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

void pyo_buf_clear(struct pyo_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void pyo_buf_release(struct pyo_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
}

char *pyo_buf_detach(struct pyo_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = b->alloc = 0;
	return p;
}
