#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pyorgo/common.h"
#include "banned.h"

static _Thread_local char last_error[1024];

__attribute__((format(printf, 1, 0))) static void set_message(const char *fmt,
                                                              va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
}

int pyo_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(fmt, ap);
	va_end(ap);
	return PYO_ERROR;
}

int pyo_error_setc(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(fmt, ap);
	va_end(ap);
	return code;
}

int pyo_error_oom(void)
{
	return pyo_error_set("out of memory");
}

const char *pyo_error_last(void)
{
	return last_error;
}

void pyo_error_clear(void)
{
	last_error[0] = '\0';
}

const char *pyo_error_name(int code)
{
	switch (code) {
	case PYO_OK:
		return "ok";
	case PYO_ENOTFOUND:
		return "not_found";
	case PYO_EINVALID:
		return "invalid";
	case PYO_ERULES:
		return "rules";
	case PYO_EREPO:
		return "repository";
	case PYO_EUNBORN:
		return "no_commits";
	default:
		return "error";
	}
}

const char *pyo_version(void)
{
	return PYORGO_VERSION;
}
