/*
 * DOC: libFuzzer target for the config parser
 *
 * Feeds arbitrary bytes to cfg_load_string() (lexer, token-graph matcher,
 * every config command handler, validation and error formatting) and, when
 * the text loads, checks the printer's contract on it: the canonical form
 * parses back to an equal config.  Everything is freed, so leaks show up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "config/cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The printed form must load again and compare equal. */
static void fuzz_round_trip(const struct cfg *c)
{
	struct strbuf errs = STRBUF_INIT;
	char *text = cfg_print(c);
	struct cfg *again = text ? cfg_load_string("printed", text, &errs) : NULL;

	if (text && (!again || !cfg_equal(c, again)))
		abort();
	cfg_free(again);
	free(text);
	strbuf_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf errs = STRBUF_INIT;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';	/* an embedded NUL just ends the text early */
	struct cfg *c = cfg_load_string("fuzz.conf", text, &errs);
	if (c)
		fuzz_round_trip(c);
	cfg_free(c);
	strbuf_free(&errs);
	free(text);
	return 0;
}
