/*
 * DOC: config file loader
 *
 * Feeds a file to the command matcher line by line, starting in the
 * config node, exactly as if it were typed into "configure terminal"
 * (cmd_execute_nested(): a line that fails in a block is retried in the
 * parent nodes, FRR style).  "end", or "exit" at the top level, would
 * leave config mode; in a file the next line simply continues at the top
 * level.
 *
 * Errors do not stop the load: every bad line is reported, BIRD style,
 *
 *   okapi.conf:12:25: error: invalid VLAN id '5000' (expected 1-4094)
 *    switchport access vlan 5000
 *                           ^
 *   expected one of: (1-4094)
 *
 * and the result is then discarded.  Only a file whose lines all parsed
 * goes through cfg_validate_each(); its cross-reference problems are
 * reported at the line that configured the offending setting.  Those
 * positions are collected by the handlers through cfg_load_note() into
 * this loader's side table, keyed by setting; struct cfg itself carries
 * no source positions, because configs built by okapictl have none.
 */
#include "config/cfg-cmds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mac.h"

#define CFG_LOAD_MAX_SIZE (16u << 20)

struct cfg_srcpos {
	char *key;
	unsigned line;
	size_t line_off;	/* offset of the line in the text */
	int col;
};

struct cfg_loader {
	const char *name;
	const char *text;
	struct strbuf *errs;
	struct cmd_ctx ctx;
	unsigned line;		/* 1-based number of the current line */
	size_t line_off;
	struct cfg_srcpos *pos;
	size_t n_pos;
	int n_errors;
};

/* The load in progress (control thread only; loads do not nest). */
static struct cfg_loader *cfg_loading;

static void cfg_load_key(char *buf, size_t size, const struct cfg_problem *p)
{
	char mac[MAC_STR_SIZE];

	switch (p->subject) {
	case CFG_SUBJ_ATTACH:
		snprintf(buf, size, "attach %s", p->iface);
		break;
	case CFG_SUBJ_SECURE_MAC:
		snprintf(buf, size, "psec %s %s", p->iface, mac_format(p->mac, mac));
		break;
	case CFG_SUBJ_STATIC_MAC:
		snprintf(buf, size, "static %s %u", mac_format(p->mac, mac), p->vlan);
		break;
	}
}

void cfg_load_note(const struct cmd_ctx *ctx, const struct cfg_problem *subject,
		   int col)
{
	struct cfg_loader *ld = cfg_loading;
	char key[CFG_NAME_MAX + 64];

	if (!ld || ctx != &ld->ctx)
		return;
	cfg_load_key(key, sizeof(key), subject);
	struct cfg_srcpos *v = realloc(ld->pos, (ld->n_pos + 1) * sizeof(*v));
	char *k = strdup(key);
	if (!v || !k) {
		free(k);
		if (v)
			ld->pos = v;
		return;	/* the error then lacks a position, nothing worse */
	}
	ld->pos = v;
	v = &ld->pos[ld->n_pos++];
	v->key = k;
	v->line = ld->line;
	v->line_off = ld->line_off;
	v->col = col;
}

/* The latest note for the problem's setting, or NULL. */
static const struct cfg_srcpos *cfg_load_find(const struct cfg_loader *ld,
					      const struct cfg_problem *p)
{
	char key[CFG_NAME_MAX + 64];

	cfg_load_key(key, sizeof(key), p);
	for (size_t i = ld->n_pos; i-- > 0;)
		if (!strcmp(ld->pos[i].key, key))
			return &ld->pos[i];
	return NULL;
}

/* Source line, a caret under column 'col' (tabs kept so it lines up). */
static void cfg_load_show_line(struct strbuf *b, const char *line, int col)
{
	size_t len = strcspn(line, "\n");

	while (len && line[len - 1] == '\r')
		len--;
	strbuf_add(b, line, len);
	strbuf_putc(b, '\n');
	for (int i = 0; i < col - 1; i++)
		strbuf_putc(b, (size_t)i < len && line[i] == '\t' ? '\t' : ' ');
	strbuf_puts(b, "^\n");
}

static void cfg_load_error(struct cfg_loader *ld, unsigned line, size_t off,
			   int col, const char *msg, const char *expected)
{
	ld->n_errors++;
	strbuf_printf(ld->errs, "%s:%u:%d: error: %s\n", ld->name, line, col, msg);
	cfg_load_show_line(ld->errs, ld->text + off, col);
	if (expected && *expected)
		strbuf_printf(ld->errs, "expected one of: %s\n", expected);
}

/* True for the banner lines "show running-config" prints before the config
 * ("Building configuration...", "Current configuration:", IOS's
 * "Current configuration : 1234 bytes"), so its output, pasted into a file
 * as FRR and IOS users do, loads as it is. */
static bool cfg_load_is_banner(const char *line)
{
	static const char *const banners[] = {
		"Building configuration", "Current configuration",
	};

	line += strspn(line, " \t");
	for (size_t i = 0; i < sizeof(banners) / sizeof(banners[0]); i++)
		if (!strncmp(line, banners[i], strlen(banners[i])))
			return true;
	return false;
}

static void cfg_load_line(struct cfg_loader *ld)
{
	struct cmd_result res;

	if (ld->ctx.node == CMD_NODE_CONFIG &&
	    cfg_load_is_banner(ld->text + ld->line_off))
		return;
	if (cmd_execute_nested(&ld->ctx, ld->text + ld->line_off, &res) < 0)
		cfg_load_error(ld, ld->line, ld->line_off, res.col, res.msg,
			       res.expected);
	cmd_result_free(&res);
	if (ld->ctx.node == CMD_NODE_EXEC)
		ld->ctx.node = CMD_NODE_CONFIG;
}

/* A validation problem waiting to be reported in line order. */
struct cfg_load_problem {
	const struct cfg_srcpos *pos;	/* NULL: no known line */
	size_t seq;
	char *msg;
};

struct cfg_load_problems {
	struct cfg_loader *ld;
	struct cfg_load_problem *v;
	size_t n;
	bool nomem;
};

static void cfg_load_problem(const struct cfg_problem *p, void *arg)
{
	struct cfg_load_problems *ps = arg;
	struct cfg_load_problem *v = realloc(ps->v, (ps->n + 1) * sizeof(*v));
	char *msg = strdup(p->msg);

	if (v)
		ps->v = v;
	if (!v || !msg) {
		free(msg);
		ps->nomem = true;
		return;
	}
	v = &ps->v[ps->n];
	v->pos = cfg_load_find(ps->ld, p);
	v->seq = ps->n++;
	v->msg = msg;
}

static int cfg_load_problem_cmp(const void *a, const void *b)
{
	const struct cfg_load_problem *x = a, *y = b;
	unsigned lx = x->pos ? x->pos->line : ~0u, ly = y->pos ? y->pos->line : ~0u;
	int cx = x->pos ? x->pos->col : 0, cy = y->pos ? y->pos->col : 0;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->seq < y->seq ? -1 : 1;
}

/* Runs cfg_validate_each() and reports its problems sorted by line, at
 * the line that configured each offending setting. */
static void cfg_load_validate(struct cfg_loader *ld)
{
	struct cfg_load_problems ps = { .ld = ld };

	if (cfg_validate_each(ld->ctx.cfg, cfg_load_problem, &ps) < 0)
		ps.nomem = true;
	if (ps.n)
		qsort(ps.v, ps.n, sizeof(*ps.v), cfg_load_problem_cmp);
	for (size_t i = 0; i < ps.n; i++) {
		const struct cfg_srcpos *pos = ps.v[i].pos;

		if (pos) {
			cfg_load_error(ld, pos->line, pos->line_off, pos->col, ps.v[i].msg, NULL);
		} else {
			ld->n_errors++;
			strbuf_printf(ld->errs, "%s: error: %s\n", ld->name, ps.v[i].msg);
		}
		free(ps.v[i].msg);
	}
	free(ps.v);
	if (ps.nomem) {
		ld->n_errors++;
		strbuf_printf(ld->errs, "%s: error: out of memory\n", ld->name);
	}
}

static void cfg_load_run(struct cfg_loader *ld)
{
	const char *p = ld->text;

	for (ld->line = 1;; ld->line++) {
		ld->line_off = (size_t)(p - ld->text);
		cfg_load_line(ld);
		p = strchr(p, '\n');
		if (!p || !*++p)
			break;
	}
	if (ld->n_errors == 0)
		cfg_load_validate(ld);
}

static void cfg_loader_free(struct cfg_loader *ld)
{
	for (size_t i = 0; i < ld->n_pos; i++)
		free(ld->pos[i].key);
	free(ld->pos);
	free(ld->ctx.err_msg);
}

struct cfg *cfg_load_string(const char *name, const char *text,
			    struct strbuf *errs)
{
	struct strbuf out = STRBUF_INIT;
	struct cfg_loader ld = {
		.name = name, .text = text, .errs = errs ? errs : &out,
		.ctx = { .node = CMD_NODE_CONFIG, .cfg = cfg_new() },
	};

	if (!ld.ctx.cfg) {
		strbuf_printf(ld.errs, "%s: error: out of memory\n", name);
		strbuf_free(&out);
		return NULL;
	}
	cmd_install_config_commands();
	cfg_loading = &ld;
	cfg_load_run(&ld);
	cfg_loading = NULL;
	if (ld.n_errors || strbuf_failed(ld.errs)) {
		cfg_free(ld.ctx.cfg);
		ld.ctx.cfg = NULL;
	}
	cfg_loader_free(&ld);
	strbuf_free(&out);
	return ld.ctx.cfg;
}

/* Reads the whole file into a NUL-terminated buffer; NULL with errno set
 * (EFBIG: larger than CFG_LOAD_MAX_SIZE). */
static char *cfg_read_file(const char *path, size_t *len)
{
	struct strbuf b = STRBUF_INIT;
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;
	int err;

	if (!f)
		return NULL;
	errno = 0;
	while (b.len <= CFG_LOAD_MAX_SIZE && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&b, chunk, n);
	err = ferror(f) ? (errno ? errno : EIO) : strbuf_failed(&b) ? ENOMEM :
	      b.len > CFG_LOAD_MAX_SIZE ? EFBIG : 0;
	fclose(f);
	*len = b.len;
	if (err) {
		strbuf_free(&b);
		errno = err;
		return NULL;
	}
	return strbuf_detach(&b);
}

/* Reports the line of the first NUL byte; the rest of the loader works on
 * C strings and would silently stop there. */
static bool cfg_check_nul(const char *path, const char *text, size_t len,
			  struct strbuf *errs)
{
	const char *nul = memchr(text, '\0', len);
	unsigned line = 1;

	if (!nul)
		return true;
	for (const char *p = text; p < nul; p++)
		line += *p == '\n';
	strbuf_printf(errs, "%s:%u: error: NUL byte in a text file\n", path, line);
	return false;
}

struct cfg *cfg_load_file(const char *path, struct strbuf *errs)
{
	struct strbuf discard = STRBUF_INIT;
	size_t len;
	char *text = cfg_read_file(path, &len);
	struct cfg *c = NULL;

	if (!errs)
		errs = &discard;
	if (!text) {
		strbuf_printf(errs, "%s: cannot read: %s\n", path,
			      errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
	} else if (cfg_check_nul(path, text, len, errs)) {
		c = cfg_load_string(path, text, errs);
	}
	free(text);
	strbuf_free(&discard);
	return c;
}
