/*
 * DOC: the unit tests' tiny harness
 *
 * CHECK(cond) or CHECK(cond, fmt, ...) records a failure with the file,
 * line, function and expression (plus the optional message) and goes on,
 * so one run reports every failing case of a table.  A test's main()
 * returns failures != 0.
 */
#ifndef OKAPI_TEST_CHECK_H
#define OKAPI_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int failures;

static inline void __attribute__((format(printf, 5, 6)))
check_failed(const char *file, int line, const char *func, const char *expr,
	     const char *fmt, ...)
{
	va_list ap;

	failures++;
	fprintf(stderr, "FAIL %s:%d: %s: %s:", file, line, func, expr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* The " " keeps the format non-empty when no message is given. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			check_failed(__FILE__, __LINE__, __func__, #cond, \
				     " " __VA_ARGS__);			\
	} while (0)

#endif
