/*
 * DOC: line tokenizer (see lexer.h)
 *
 * Two passes over the line: the first finds word boundaries (and where a
 * comment cuts the line), the second copies the words into one buffer so a
 * whole line costs two allocations whatever its length.
 */
#include "config/lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool lexer_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool lexer_is_end(char c)
{
	return c == '\0' || c == '\n';
}

/* Counts the words of 'line' and the bytes they need (with their NULs). */
static size_t lexer_count(const char *line, size_t *bytes)
{
	size_t n = 0;
	const char *p = line;

	*bytes = 0;
	for (;;) {
		while (lexer_is_blank(*p))
			p++;
		if (lexer_is_end(*p) || *p == '!' || *p == '#')
			return n;
		const char *start = p;
		while (!lexer_is_end(*p) && !lexer_is_blank(*p))
			p++;
		*bytes += (size_t)(p - start) + 1;
		n++;
	}
}

/* Copies the words into l->buf and records their columns. */
static void lexer_fill(struct lexer_line *l)
{
	const char *p = l->line;
	char *dst = l->buf;

	for (size_t i = 0; i < l->n_words; i++) {
		while (lexer_is_blank(*p))
			p++;
		const char *start = p;
		while (!lexer_is_end(*p) && !lexer_is_blank(*p))
			p++;
		size_t len = (size_t)(p - start);
		memcpy(dst, start, len);
		dst[len] = '\0';
		l->words[i].text = dst;
		l->words[i].col = (int)(start - l->line) + 1;
		dst += len + 1;
	}
	l->end = (size_t)(p - l->line);
	l->trailing_blank = l->n_words == 0 || lexer_is_blank(*p);
}

int lexer_split(const char *line, struct lexer_line *out)
{
	size_t bytes;

	memset(out, 0, sizeof(*out));
	out->line = line;
	out->n_words = lexer_count(line, &bytes);
	out->words = calloc(out->n_words ? out->n_words : 1, sizeof(*out->words));
	out->buf = malloc(bytes ? bytes : 1);
	if (!out->words || !out->buf) {
		lexer_free(out);
		return -ENOMEM;
	}
	lexer_fill(out);
	return 0;
}

char *lexer_rest(const struct lexer_line *l, size_t i)
{
	if (i >= l->n_words)
		return NULL;
	size_t start = (size_t)l->words[i].col - 1;
	return strndup(l->line + start, l->end - start);
}

int lexer_end_col(const struct lexer_line *l)
{
	return l->n_words ? (int)l->end + 2 : 1;
}

void lexer_free(struct lexer_line *l)
{
	if (!l)
		return;
	free(l->words);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}
