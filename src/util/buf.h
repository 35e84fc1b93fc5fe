/* buf.h: a growable byte buffer, always NUL-terminated. */
#ifndef PYORGO_BUF_H
#define PYORGO_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pyo_buf {
	char *ptr;
	size_t len, alloc;
};

int pyo_buf_grow(struct pyo_buf *b, size_t extra);
int pyo_buf_put(struct pyo_buf *b, const char *data, size_t len);
int pyo_buf_puts(struct pyo_buf *b, const char *s);
int pyo_buf_putc(struct pyo_buf *b, char c);
int pyo_buf_printf(struct pyo_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int pyo_buf_vprintf(struct pyo_buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
/* Empties the buffer but keeps its memory. */
void pyo_buf_clear(struct pyo_buf *b);
/* Frees the memory; `b` is empty and reusable. */
void pyo_buf_release(struct pyo_buf *b);
/* Hands the string to the caller (free()); `b` is empty. Never NULL. */
char *pyo_buf_detach(struct pyo_buf *b);

#endif
