/*
 * DOC: growable string buffer
 *
 * Output of show commands, config printing and error lists is built in a
 * struct strbuf.  Allocation failure is sticky: the buffer records it and
 * further appends are ignored, so callers check once at the end
 * (strbuf_failed) instead of after every append.  Pure: no I/O.
 */
#ifndef OKAPI_STRBUF_H
#define OKAPI_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;	/* NUL-terminated when non-NULL */
	size_t len;	/* characters, excluding the NUL */
	size_t cap;
	bool failed;	/* an allocation failed; content truncated */
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_init(struct strbuf *b);
void strbuf_add(struct strbuf *b, const char *s, size_t len);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *b);	/* empties, keeps memory */
/* Returns the string (never NULL: "" when empty) and leaves the buffer
 * empty; the caller frees the result.  NULL only if allocation failed. */
char *strbuf_detach(struct strbuf *b);
static inline const char *strbuf_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}
static inline bool strbuf_failed(const struct strbuf *b)
{
	return b->failed;
}
void strbuf_free(struct strbuf *b);

#endif
