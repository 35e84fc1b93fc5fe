/*
 * common.h: error codes and the thread-local error message shared by every
 * stage of the pipeline. The engine never prints or exits; it returns one of
 * these codes and leaves the details in pyo_error_last().
 */
#ifndef PYORGO_COMMON_H
#define PYORGO_COMMON_H

#include <stddef.h>
#include <stdint.h>

enum pyo_error_code {
	PYO_OK = 0,
	PYO_ERROR = -1,     /* runtime failure (I/O, out of memory, ...) */
	PYO_ENOTFOUND = -3, /* no such repository, revision, rule, ... */
	PYO_EINVALID = -4,  /* invalid input or configuration */
	PYO_ERULES = -5,    /* a rule file is broken */
	PYO_EREPO = -6,     /* the repository cannot be read */
	PYO_EUNBORN = -7,   /* the repository has no commits */
};

/* A stable name for a code: "not_found", "invalid", "rules", ... */
const char *pyo_error_name(int code);

/* Sets the calling thread's error message; returns PYO_ERROR. */
int pyo_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, but returns `code`. */
int pyo_error_setc(int code, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Sets "out of memory" and returns PYO_ERROR. */
int pyo_error_oom(void);
/* Borrowed, thread-local; never NULL ("" when no error is set). */
const char *pyo_error_last(void);
void pyo_error_clear(void);

/* Receives a warning (for example about one file); the scan goes on. */
typedef void (*pyo_warn_cb)(void *payload, const char *message);

/* Tool version, e.g. "0.1.0". */
const char *pyo_version(void);

#endif
