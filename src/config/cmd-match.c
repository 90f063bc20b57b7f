/*
 * DOC: the token-graph matcher
 *
 * Matching a line means finding the one path through one command graph of
 * the node that the words spell.  The matcher walks all graphs of the node
 * in lock step, one word at a time (a breadth-first simulation of the
 * union of the graphs):
 *
 *   live := { start of every command in the node }
 *   for each word w:
 *       next := { (t, rank) : t follows a live state, rank(t, w) > NONE }
 *       next empty            -> error at w, explained from the successors
 *                                of 'live' (the "expected one of" list)
 *       w abbreviates several different keywords, and nothing matches w
 *       better (no exact keyword, no value token) -> ambiguous
 *       live := next
 *   complete paths := final states of 'live' + LINE states (which took the
 *   rest of the line); none -> "incomplete command".
 *
 * Keeping every path alive until the end, instead of committing at each
 * word, is what lets "attach tap netns ns1" bind netns as a keyword while
 * "attach tap mytap" binds the device name, without declaring any
 * precedence by hand.  Several complete paths are ranked word by word
 * (enum cmd_rank): at the first word where they differ the better match
 * wins, so a spelled-out keyword beats a placeholder, which beats an
 * abbreviation; a full tie goes to the command installed first.
 *
 * Cost: graphs are acyclic and small, every state consumes a word, so the
 * number of states is bounded by (words x tokens); a hard cap protects
 * against pathological grammars.
 */
#include "config/cmd-graph.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mac.h"
#include "lib/strbuf.h"
#include "lib/vlanset.h"

#define CMD_MATCH_MAX_STATES 16384

/* Parses a decimal number (optional '-'), capped so it cannot overflow:
 * anything longer than 15 digits is out of every range we declare. */
static bool cmd_parse_num(const char *s, long *v)
{
	const char *p = s + (*s == '-');
	size_t digits = strspn(p, "0123456789");

	if (digits == 0 || p[digits] != '\0' || digits > 15)
		return false;
	*v = strtol(s, NULL, 10);
	return true;
}

static bool cmd_ipv4_prefix_ok(const char *word)
{
	const char *slash = strchr(word, '/');
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;
	long len;

	if (!slash || (size_t)(slash - word) >= sizeof(addr))
		return false;
	memcpy(addr, word, (size_t)(slash - word));
	addr[slash - word] = '\0';
	return inet_pton(AF_INET, addr, &a) == 1 &&
	       slash[1] != '-' && cmd_parse_num(slash + 1, &len) &&
	       len >= 0 && len <= 32;
}

static enum cmd_rank cmd_keyword_match(const struct cmd_tok *tok, const char *word)
{
	if (!strcasecmp(word, tok->text))
		return CMD_RANK_EXACT;
	if (!strncasecmp(word, tok->text, strlen(word)))
		return CMD_RANK_PARTIAL;
	return CMD_RANK_NONE;
}

/* True if 'word' is a valid value for the typed token. */
static bool cmd_value_ok(const struct cmd_tok *tok, const char *word)
{
	uint64_t set[VLANSET_WORDS];
	uint8_t mac[6];
	struct in_addr a;
	long v;

	switch (tok->kind) {
	case CMD_TOK_RANGE:
		return cmd_parse_num(word, &v) && v >= tok->min && v <= tok->max;
	case CMD_TOK_MAC:
		return mac_parse(word, mac) == 0;
	case CMD_TOK_VLANLIST:
		return vlanset_parse(word, set, NULL, 0) == 0;
	case CMD_TOK_IPV4:
		return inet_pton(AF_INET, word, &a) == 1;
	case CMD_TOK_IPV4_PREFIX:
		return cmd_ipv4_prefix_ok(word);
	case CMD_TOK_IFNAME:
		return strlen(word) < CFG_NAME_MAX;
	default:
		return true;
	}
}

enum cmd_rank cmd_tok_match(const struct cmd_tok *tok, const char *word)
{
	switch (tok->kind) {
	case CMD_TOK_START:
		return CMD_RANK_NONE;
	case CMD_TOK_KEYWORD:
		return cmd_keyword_match(tok, word);
	case CMD_TOK_WORD:
	case CMD_TOK_LINE:
	case CMD_TOK_IFNAME:
		return cmd_value_ok(tok, word) ? CMD_RANK_FREE : CMD_RANK_NONE;
	default:
		return cmd_value_ok(tok, word) ? CMD_RANK_TYPED : CMD_RANK_NONE;
	}
}

/* The value's name for messages: its help text up to " (". */
static char *cmd_tok_noun(const struct cmd_tok *tok)
{
	const char *help = tok->help && *tok->help ? tok->help : "value";
	const char *paren = strstr(help, " (");

	return strndup(help, paren ? (size_t)(paren - help) : strlen(help));
}

static char *cmd_range_error(const struct cmd_tok *tok, const char *word)
{
	char *noun = cmd_tok_noun(tok), *msg;

	if (!noun || asprintf(&msg, "invalid %s '%s' (expected %ld-%ld)", noun,
			      word, tok->min, tok->max) < 0)
		msg = NULL;
	free(noun);
	return msg;
}

static char *cmd_vlanlist_error(const char *word)
{
	uint64_t set[VLANSET_WORDS];
	char why[96];
	char *msg;

	vlanset_parse(word, set, why, sizeof(why));
	return asprintf(&msg, "invalid VLAN list '%s' (%s)", word, why) < 0 ? NULL : msg;
}

char *cmd_tok_error(const struct cmd_tok *tok, const char *word)
{
	const char *fmt = "invalid value '%s'";
	char *msg;

	switch (tok->kind) {
	case CMD_TOK_RANGE:
		return cmd_range_error(tok, word);
	case CMD_TOK_VLANLIST:
		return cmd_vlanlist_error(word);
	case CMD_TOK_MAC:
		fmt = "invalid MAC address '%s' (expected aa:bb:cc:dd:ee:ff or aabb.ccdd.eeff)";
		break;
	case CMD_TOK_IPV4:
		fmt = "invalid IPv4 address '%s' (expected A.B.C.D)";
		break;
	case CMD_TOK_IPV4_PREFIX:
		fmt = "invalid IPv4 prefix '%s' (expected A.B.C.D/M)";
		break;
	case CMD_TOK_IFNAME: {
		size_t len = strlen(word);

		return asprintf(&msg, "interface name '%.*s%s' is too long "
				"(at most %d characters)", len > 40 ? 37 : (int)len,
				word, len > 40 ? "..." : "", CFG_NAME_MAX - 1) < 0 ? NULL : msg;
	}
	default:
		break;
	}
	return asprintf(&msg, fmt, word) < 0 ? NULL : msg;
}

bool cmd_tok_could_match(const struct cmd_tok *tok, const char *partial)
{
	const char *chars;

	switch (tok->kind) {
	case CMD_TOK_KEYWORD:
		return cmd_keyword_match(tok, partial) != CMD_RANK_NONE;
	case CMD_TOK_RANGE:
		chars = "-0123456789";
		break;
	case CMD_TOK_MAC:
		chars = "0123456789abcdefABCDEF:.-";
		break;
	case CMD_TOK_VLANLIST:
		chars = "0123456789,-";
		break;
	case CMD_TOK_IPV4:
	case CMD_TOK_IPV4_PREFIX:
		chars = "0123456789./";
		break;
	default:
		return true;
	}
	return partial[strspn(partial, chars)] == '\0';
}

static bool cmd_match_push(struct cmd_match *m, const struct cmd_state *s)
{
	if (m->n_states == CMD_MATCH_MAX_STATES) {
		m->status = CMD_MATCH_TOO_COMPLEX;
		return false;
	}
	if (m->n_states == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct cmd_state *v = realloc(m->states, cap * sizeof(*v));

		if (!v) {
			m->status = CMD_MATCH_NOMEM;
			return false;
		}
		m->states = v;
		m->cap = cap;
	}
	m->states[m->n_states++] = *s;
	return true;
}

static bool cmd_match_done(struct cmd_match *m, size_t state)
{
	size_t *v = realloc(m->done, (m->n_done + 1) * sizeof(*v));

	if (!v) {
		m->status = CMD_MATCH_NOMEM;
		return false;
	}
	m->done = v;
	m->done[m->n_done++] = state;
	return true;
}

static void cmd_match_start(struct cmd_match *m, enum cmd_node node)
{
	for (size_t i = 0; i < cmd_n_graphs; i++) {
		struct cmd_state s = { cmd_graphs[i], &cmd_graphs[i]->start, -1, -1,
				       CMD_RANK_NONE };

		if (cmd_graphs[i]->def->node == node && !cmd_match_push(m, &s))
			return;
	}
	m->live_hi = m->n_states;
}

/* Extends every live state by word 'w'. */
static void cmd_match_extend(struct cmd_match *m, size_t w)
{
	const char *word = m->line->words[w].text;

	for (size_t i = m->live_lo; i < m->live_hi; i++) {
		const struct cmd_tok *tok = m->states[i].tok;

		for (size_t j = 0; j < tok->n_next; j++) {
			struct cmd_state s = { m->states[i].graph, tok->next[j],
					       (int)i, (int)w,
					       cmd_tok_match(tok->next[j], word) };

			if (s.rank == CMD_RANK_NONE)
				continue;
			if (!cmd_match_push(m, &s))
				return;
			if (s.tok->kind == CMD_TOK_LINE &&
			    !cmd_match_done(m, m->n_states - 1))
				return;
		}
	}
}

/* A word is ambiguous when it abbreviates two different keywords and
 * nothing matches it better. */
static bool cmd_match_ambiguous(const struct cmd_match *m, size_t lo, size_t hi)
{
	const char *partial = NULL;
	bool several = false;

	for (size_t i = lo; i < hi; i++) {
		const struct cmd_state *s = &m->states[i];

		if (s->rank != CMD_RANK_PARTIAL)
			return false;
		if (partial && strcasecmp(partial, s->tok->text))
			several = true;
		partial = s->tok->text;
	}
	return several;
}

enum cmd_match_status cmd_match_words(struct cmd_match *m, enum cmd_node node,
				      const struct lexer_line *line,
				      size_t n_words)
{
	memset(m, 0, sizeof(*m));
	m->line = line;
	cmd_match_start(m, node);
	for (size_t w = 0; w < n_words && m->status == CMD_MATCH_OK; w++) {
		size_t lo = m->n_states;

		cmd_match_extend(m, w);
		if (m->status != CMD_MATCH_OK)
			break;
		if (lo == m->n_states && m->n_done) {
			/* The rest belongs to a LINE argument; paths that
			 * stopped short of the end are not matches. */
			m->live_lo = m->live_hi = m->n_states;
			break;
		}
		m->fail_word = w;
		m->fail_lo = m->live_lo;
		m->fail_hi = m->live_hi;
		if (lo == m->n_states)
			m->status = CMD_MATCH_NO_MATCH;
		else if (cmd_match_ambiguous(m, lo, m->n_states))
			m->status = CMD_MATCH_AMBIGUOUS;
		m->live_lo = lo;
		m->live_hi = m->n_states;
	}
	return m->status;
}

void cmd_match_free(struct cmd_match *m)
{
	free(m->states);
	free(m->done);
	memset(m, 0, sizeof(*m));
}

void cmd_match_successors(const struct cmd_match *m, size_t lo, size_t hi,
			  bool skip_hidden,
			  void (*fn)(const struct cmd_tok *tok, void *arg),
			  void *arg)
{
	for (size_t i = lo; i < hi; i++) {
		const struct cmd_state *s = &m->states[i];

		if (skip_hidden && (s->graph->def->flags & CMD_F_HIDDEN))
			continue;
		for (size_t j = 0; j < s->tok->n_next; j++)
			fn(s->tok->next[j], arg);
	}
}

/* The "expected one of" list: distinct display texts, in graph order. */
struct cmd_expect {
	struct strbuf text;
	const struct cmd_tok *first_value;	/* first non-keyword token */
	const char **seen;
	size_t n_seen;
};

static void cmd_expect_add(const struct cmd_tok *tok, void *arg)
{
	struct cmd_expect *e = arg;

	for (size_t i = 0; i < e->n_seen; i++)
		if (!strcmp(e->seen[i], tok->text))
			return;
	const char **v = realloc(e->seen, (e->n_seen + 1) * sizeof(*v));
	if (!v) {
		e->text.failed = true;
		return;
	}
	e->seen = v;
	e->seen[e->n_seen++] = tok->text;
	if (tok->kind != CMD_TOK_KEYWORD && !e->first_value)
		e->first_value = tok;
	strbuf_printf(&e->text, "%s%s", e->text.len ? ", " : "", tok->text);
}

static void cmd_expect_collect(struct cmd_expect *e, const struct cmd_match *m,
			       size_t lo, size_t hi)
{
	memset(e, 0, sizeof(*e));
	strbuf_init(&e->text);
	cmd_match_successors(m, lo, hi, false, cmd_expect_add, e);
}

/* True if the live states in [lo, hi) have matched no command word yet
 * (at most a leading "no"): the failing word names the command. */
static bool cmd_match_at_command(const struct cmd_match *m, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++)
		if (m->states[i].tok->kind != CMD_TOK_START &&
		    !m->states[i].tok->negation)
			return false;
	return true;
}

static int cmd_sort_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *cmd_ambiguous_msg(const struct cmd_match *m)
{
	const char *word = m->line->words[m->fail_word].text;
	const char *what = cmd_match_at_command(m, m->fail_lo, m->fail_hi) ?
			   "command" : "keyword";
	struct cmd_expect e;
	char *msg;

	cmd_expect_collect(&e, m, m->fail_lo, m->fail_hi);
	strbuf_reset(&e.text);
	size_t n = 0;
	for (size_t i = 0; i < e.n_seen; i++)
		if (!strncasecmp(word, e.seen[i], strlen(word)))
			e.seen[n++] = e.seen[i];
	if (n)
		qsort(e.seen, n, sizeof(*e.seen), cmd_sort_strings);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&e.text, "%s%s", i ? ", " : "", e.seen[i]);
	if (strbuf_failed(&e.text) ||
	    asprintf(&msg, "ambiguous %s '%s' (could be: %s)", what, word,
		     strbuf_str(&e.text)) < 0)
		msg = NULL;
	strbuf_free(&e.text);
	free(e.seen);
	return msg;
}

/* Explains why no token accepts the failing word. */
static void cmd_no_match_msg(const struct cmd_match *m, struct cmd_result *res)
{
	const char *word = m->line->words[m->fail_word].text;
	struct cmd_expect e;
	char *msg;
	int rc;

	cmd_expect_collect(&e, m, m->fail_lo, m->fail_hi);
	if (cmd_match_at_command(m, m->fail_lo, m->fail_hi))
		rc = asprintf(&msg, "unknown command '%s'", word);
	else if (e.first_value)
		rc = (msg = cmd_tok_error(e.first_value, word)) ? 0 : -1;
	else if (e.n_seen)
		rc = asprintf(&msg, "unknown keyword '%s'", word);
	else
		rc = asprintf(&msg, "unexpected word '%s' after the end of the command",
			      word);
	res->msg = rc < 0 ? NULL : msg;
	if (e.n_seen && !cmd_match_at_command(m, m->fail_lo, m->fail_hi))
		res->expected = strbuf_detach(&e.text);
	strbuf_free(&e.text);
	free(e.seen);
}

static void cmd_incomplete_msg(const struct cmd_match *m, struct cmd_result *res)
{
	struct cmd_expect e;

	cmd_expect_collect(&e, m, m->live_lo, m->live_hi);
	res->col = lexer_end_col(m->line);
	res->msg = strdup("incomplete command");
	res->expected = strbuf_detach(&e.text);
	free(e.seen);
}

/* Fills ranks[w] for the path ending at 'state' (a LINE covers the rest). */
static void cmd_path_ranks(const struct cmd_match *m, size_t state,
			   enum cmd_rank *ranks)
{
	size_t n = m->line->n_words;

	for (int i = (int)state; m->states[i].parent >= 0; i = m->states[i].parent) {
		const struct cmd_state *s = &m->states[i];
		size_t end = s->tok->kind == CMD_TOK_LINE ? n : (size_t)s->word + 1;

		for (size_t w = (size_t)s->word; w < end; w++)
			ranks[w] = s->rank;
	}
}

/* Returns >0 if path a is a better match than path b. */
static int cmd_path_compare(const struct cmd_match *m, size_t a, size_t b,
			    enum cmd_rank *ra, enum cmd_rank *rb)
{
	cmd_path_ranks(m, a, ra);
	cmd_path_ranks(m, b, rb);
	for (size_t w = 0; w < m->line->n_words; w++)
		if (ra[w] != rb[w])
			return (int)ra[w] - (int)rb[w];
	return (int)m->states[b].graph->order - (int)m->states[a].graph->order;
}

static void cmd_consider(const struct cmd_match *m, size_t cand, long *best,
			 enum cmd_rank *ra, enum cmd_rank *rb)
{
	if (*best < 0 || cmd_path_compare(m, cand, (size_t)*best, ra, rb) > 0)
		*best = (long)cand;
}

/* Picks the best complete path; -1 if none (or ENOMEM). */
static long cmd_match_best(const struct cmd_match *m)
{
	size_t n = m->line->n_words;
	enum cmd_rank *ra = calloc(n, sizeof(*ra)), *rb = calloc(n, sizeof(*rb));
	long best = -1;

	for (size_t i = m->live_lo; ra && rb && i < m->live_hi; i++)
		if (m->states[i].tok->final && m->states[i].tok->kind != CMD_TOK_LINE)
			cmd_consider(m, i, &best, ra, rb);
	for (size_t i = 0; ra && rb && i < m->n_done; i++)
		cmd_consider(m, m->done[i], &best, ra, rb);
	free(ra);
	free(rb);
	return best;
}

void cmd_match_explain(const struct cmd_match *m, struct cmd_result *res)
{
	switch (m->status) {
	case CMD_MATCH_OK:
		cmd_incomplete_msg(m, res);
		break;
	case CMD_MATCH_NO_MATCH:
		res->col = m->line->words[m->fail_word].col;
		cmd_no_match_msg(m, res);
		break;
	case CMD_MATCH_AMBIGUOUS:
		res->col = m->line->words[m->fail_word].col;
		res->msg = cmd_ambiguous_msg(m);
		break;
	case CMD_MATCH_TOO_COMPLEX:
		res->msg = strdup("command too complex to match");
		break;
	case CMD_MATCH_NOMEM:
		break;
	}
	if (!res->col)
		res->col = 1;
	if (!res->msg)
		res->msg = strdup("out of memory");
}

int cmd_match_line(struct cmd_match *m, enum cmd_node node,
		   const struct lexer_line *line, size_t *last,
		   struct cmd_result *res)
{
	if (cmd_match_words(m, node, line, line->n_words) == CMD_MATCH_OK) {
		long best = cmd_match_best(m);

		if (best >= 0) {
			*last = (size_t)best;
			return 0;
		}
	}
	cmd_match_explain(m, res);
	return -1;
}
