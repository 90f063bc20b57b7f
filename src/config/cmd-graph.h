/*
 * DOC: the compiled command graph (internal to cmd*.c)
 *
 * cmd_install() compiles each struct cmd_def syntax string into a small
 * directed acyclic graph of tokens (cmd-syntax.c):
 *
 *   "attach tap [DEVICE] [netns NAMESPACE]"
 *
 *   start -> attach -> tap -+-> DEVICE -+-> netns -> NAMESPACE*
 *                           |   (*)     |
 *                           +-----------+
 *                  (* = final: the command may end after this token)
 *
 * "<a|b>" fans out to each alternative and joins after it; "[x]" adds an
 * edge around x.  A CMD_F_NEGATABLE command gets an extra "no" token from
 * 'start' to the first tokens.  There are no cycles, so the number of
 * paths is finite and a line never matches more tokens than the longest
 * path has.
 *
 * The matcher (cmd-match.c) walks the graphs of every command in a node
 * at once, word by word, keeping every partial path alive until the line
 * ends (see the essay there).  Help and completion (cmd-help.c) stop one
 * word short and list the successors.
 */
#ifndef OKAPI_CMD_GRAPH_H
#define OKAPI_CMD_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "config/cmd.h"
#include "config/lexer.h"

enum cmd_tok_kind {
	CMD_TOK_START,		/* pseudo token before the first word */
	CMD_TOK_KEYWORD,	/* literal, abbreviable */
	CMD_TOK_RANGE,		/* (min-max) */
	CMD_TOK_WORD,		/* WORD, DEVICE, PATH, any other placeholder */
	CMD_TOK_LINE,		/* LINE: the rest of the line */
	CMD_TOK_MAC,
	CMD_TOK_IFNAME,
	CMD_TOK_VLANLIST,
	CMD_TOK_IPV4,		/* A.B.C.D */
	CMD_TOK_IPV4_PREFIX,	/* A.B.C.D/M */
};

/* How well a word matches a token; higher is better.  When two complete
 * paths match a line, the first word where their ranks differ decides
 * (FRR's disambiguate_tokens idea). */
enum cmd_rank {
	CMD_RANK_NONE = 0,
	CMD_RANK_FREE = 1,	/* free text: WORD, LINE, IFNAME */
	CMD_RANK_PARTIAL = 2,	/* keyword abbreviation: beats free text, so
				 * "sh int br" is "show interface brief" as
				 * in vtysh, not an interface named "br" */
	CMD_RANK_TYPED = 3,	/* range, MAC, VLAN list, address */
	CMD_RANK_EXACT = 4,	/* keyword spelled out */
};

struct cmd_tok {
	enum cmd_tok_kind kind;
	const char *text;	/* "vlan", "(1-4094)", "MAC", "DEVICE" */
	const char *bind;	/* argument name the token binds */
	bool weak_bind;		/* a keyword bound to its own text: an
				 * explicit binding of the same name wins */
	const char *help;
	long min, max;		/* CMD_TOK_RANGE */
	bool final;		/* the command may end after this token */
	bool negation;		/* a leading "no" */
	size_t n_next;
	struct cmd_tok **next;
};

struct cmd_graph {
	const struct cmd_def *def;
	size_t order;		/* installation order, the last tie-break */
	struct cmd_tok start;
};

/* Compiles def; fatalx() on a malformed syntax or help (a programming
 * error found at start-up, when commands are installed). */
struct cmd_graph *cmd_graph_compile(const struct cmd_def *def);

/* The installed graphs, in installation order. */
extern struct cmd_graph **cmd_graphs;
extern size_t cmd_n_graphs;

/* Rank of 'word' for 'tok' (CMD_RANK_NONE if it does not match). */
enum cmd_rank cmd_tok_match(const struct cmd_tok *tok, const char *word);
/* Why 'word' is not a valid value for the non-keyword 'tok' (malloc()ed;
 * NULL on ENOMEM). */
char *cmd_tok_error(const struct cmd_tok *tok, const char *word);
/* True if a value token could still match once 'partial' is completed
 * (for "?" on a partial word). */
bool cmd_tok_could_match(const struct cmd_tok *tok, const char *partial);

/*
 * Matcher state.  states[] is an arena of path nodes: each state is a
 * token reached at a word, linked to its predecessor, so all live paths
 * share their common prefixes.
 */
struct cmd_state {
	const struct cmd_graph *graph;
	const struct cmd_tok *tok;
	int parent;		/* index in states[], -1 at the start */
	int word;		/* index of the word matched, -1 at the start */
	enum cmd_rank rank;
};

enum cmd_match_status {
	CMD_MATCH_OK,		/* live states after the words */
	CMD_MATCH_NOMEM,
	CMD_MATCH_NO_MATCH,	/* no token accepts word 'fail_word' */
	CMD_MATCH_AMBIGUOUS,	/* 'fail_word' abbreviates several keywords */
	CMD_MATCH_TOO_COMPLEX,	/* state limit (pathological grammar) */
};

struct cmd_match {
	const struct lexer_line *line;
	struct cmd_state *states;
	size_t n_states, cap;
	size_t live_lo, live_hi;	/* states of the last word matched */
	size_t *done;		/* LINE states: they took the rest */
	size_t n_done;
	enum cmd_match_status status;
	size_t fail_word;
	size_t fail_lo, fail_hi;	/* live states before fail_word */
};

/* Matches the first n_words words of 'line' against every command of
 * 'node'.  Returns the status (also in m->status).  Free with
 * cmd_match_free(). */
enum cmd_match_status cmd_match_words(struct cmd_match *m, enum cmd_node node,
				      const struct lexer_line *line,
				      size_t n_words);
void cmd_match_free(struct cmd_match *m);

/* Matches a whole line and picks the best complete path, whose last state
 * is stored in *last.  Returns 0, or -1 with res->col/msg/expected set. */
int cmd_match_line(struct cmd_match *m, enum cmd_node node,
		   const struct lexer_line *line, size_t *last,
		   struct cmd_result *res);

/* Fills res (col, msg, expected) with why the match in m failed: its
 * status, or "incomplete command" for a successful walk that ended on no
 * final token. */
void cmd_match_explain(const struct cmd_match *m, struct cmd_result *res);

/* Calls fn for each token that may follow the states in [lo, hi) of m
 * (duplicates included); tokens of hidden commands are skipped if
 * skip_hidden. */
void cmd_match_successors(const struct cmd_match *m, size_t lo, size_t hi,
			  bool skip_hidden,
			  void (*fn)(const struct cmd_tok *tok, void *arg),
			  void *arg);

/* Help text of the "no" token added to negatable commands. */
extern const char cmd_no_help[];

#endif
