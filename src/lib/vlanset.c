/*
 * DOC: VLAN set parsing and formatting (see vlanset.h)
 *
 * The parser reads one element at a time ("N" or "N-M"), each a decimal
 * number checked against 1-4094 before it touches the bitmap, so a bad
 * element is reported with the exact number that was wrong.
 */
#include "lib/vlanset.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vlanset_clear(uint64_t *set)
{
	memset(set, 0, VLANSET_WORDS * sizeof(*set));
}

void vlanset_fill(uint64_t *set)
{
	memset(set, 0xff, VLANSET_WORDS * sizeof(*set));
	vlanset_remove(set, 0);
	vlanset_remove(set, 4095);
}

unsigned vlanset_count(const uint64_t *set)
{
	unsigned n = 0;

	for (unsigned vid = VLANSET_MIN; vid <= VLANSET_MAX; vid++)
		n += vlanset_test(set, vid);
	return n;
}

bool vlanset_is_full(const uint64_t *set)
{
	return vlanset_count(set) == VLANSET_MAX;
}

bool vlanset_is_empty(const uint64_t *set)
{
	return vlanset_count(set) == 0;
}

void vlanset_union(uint64_t *dst, const uint64_t *src)
{
	for (size_t i = 0; i < VLANSET_WORDS; i++)
		dst[i] |= src[i];
}

void vlanset_subtract(uint64_t *dst, const uint64_t *src)
{
	for (size_t i = 0; i < VLANSET_WORDS; i++)
		dst[i] &= ~src[i];
}

static int vlanset_fail(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int vlanset_fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	if (err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Reads a decimal VLAN id at *p and advances *p.  Returns the id (which may
 * be out of range, capped at 99999 so it cannot overflow) or -1 if *p does
 * not start with a digit. */
static long vlanset_number(const char **p)
{
	long v = 0;

	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9') {
		if (v < 99999)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/* Parses one "N" or "N-M" element at *p into 'set'. */
static int vlanset_element(const char **p, uint64_t *set, char *err,
			   size_t err_size)
{
	long lo = vlanset_number(p), hi = lo;

	if (lo >= 0 && **p == '-') {
		(*p)++;
		hi = vlanset_number(p);
	}
	if (lo < 0 || hi < 0)
		return vlanset_fail(err, err_size,
				    "expected VLAN ids like 10,20,30-40");
	long bad = lo < VLANSET_MIN || lo > VLANSET_MAX ? lo : hi;
	if (bad < VLANSET_MIN || bad > VLANSET_MAX)
		return vlanset_fail(err, err_size,
				    "VLAN %ld is out of range %d-%d", bad,
				    VLANSET_MIN, VLANSET_MAX);
	if (hi < lo)
		return vlanset_fail(err, err_size,
				    "range %ld-%ld is reversed", lo, hi);
	for (long v = lo; v <= hi; v++)
		vlanset_add(set, (unsigned)v);
	return 0;
}

int vlanset_parse(const char *s, uint64_t *set, char *err, size_t err_size)
{
	vlanset_clear(set);
	for (;;) {
		if (vlanset_element(&s, set, err, err_size) < 0)
			return -EINVAL;
		if (*s == '\0')
			return 0;
		if (*s != ',')
			return vlanset_fail(err, err_size,
					    "expected VLAN ids like 10,20,30-40");
		s++;
	}
}

/* Appends "lo", "lo,hi" or "lo-hi" (with a leading comma unless first). */
static size_t vlanset_put_run(char *buf, size_t size, size_t len,
			      unsigned lo, unsigned hi)
{
	const char *sep = len ? "," : "";
	char *dst = len < size ? buf + len : NULL;
	size_t room = len < size ? size - len : 0;
	int n;

	if (hi == lo)
		n = snprintf(dst, room, "%s%u", sep, lo);
	else if (hi == lo + 1)
		n = snprintf(dst, room, "%s%u,%u", sep, lo, hi);
	else
		n = snprintf(dst, room, "%s%u-%u", sep, lo, hi);
	return len + (size_t)n;
}

size_t vlanset_format(const uint64_t *set, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (unsigned vid = VLANSET_MIN; vid <= VLANSET_MAX; vid++) {
		if (!vlanset_test(set, vid))
			continue;
		unsigned hi = vid;
		while (hi < VLANSET_MAX && vlanset_test(set, hi + 1))
			hi++;
		len = vlanset_put_run(buf, size, len, vid, hi);
		vid = hi;
	}
	return len;
}
