/*
 * DOC: config/CLI line tokenizer
 *
 * Splits one line of config or CLI input into words, with FRR's lexical
 * rules (CONFIG-REFERENCE.md section 0):
 *   - words are separated by blanks (space, tab, CR, VT, FF);
 *   - '!' or '#' starts a comment only as the first character of a word,
 *     so "description a!b" keeps "a!b" and "description a !b" ends at "a";
 *   - there is no quoting: a LINE argument takes the raw rest of the line.
 * Each word records its 1-based column (bytes) for error messages, and the
 * raw text from any word to the end of the last word is available for
 * LINE arguments (inner spacing preserved).
 *
 * Pure: no I/O.
 */
#ifndef OKAPI_LEXER_H
#define OKAPI_LEXER_H

#include <stdbool.h>
#include <stddef.h>

struct lexer_word {
	const char *text;	/* NUL-terminated copy of the word */
	int col;		/* 1-based column in the line */
};

struct lexer_line {
	const char *line;	/* the input line (borrowed) */
	size_t n_words;
	struct lexer_word *words;	/* malloc()ed */
	char *buf;			/* storage of the word texts */
	size_t end;		/* offset just past the last word */
	bool trailing_blank;	/* a blank follows the last word (or the
				 * line is blank): the user is starting a new
				 * word, which matters for TAB and "?" */
};

/* Splits 'line' (up to its NUL or first '\n').  'line' must outlive 'out'.
 * Returns 0 or -ENOMEM (then 'out' holds nothing to free). */
int lexer_split(const char *line, struct lexer_line *out);

/* Raw text from word i to the end of the last word, malloc()ed; NULL on
 * ENOMEM or if i is out of range. */
char *lexer_rest(const struct lexer_line *l, size_t i);

/* Column just after the last word plus one blank: where a missing word
 * would start. */
int lexer_end_col(const struct lexer_line *l);

/* NULL-safe; leaves 'l' empty. */
void lexer_free(struct lexer_line *l);

/* True for the characters lexer_split treats as word separators. */
bool lexer_is_blank(char c);

#endif
