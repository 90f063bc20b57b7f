/*
 * DOC: config tree life cycle, comparison and cross-reference checks
 *
 * struct cfg is plain data (cfg.h): two malloc()ed arrays hang off it,
 * everything else is inline, so copying is one memcpy plus two array
 * copies.  Comparison is field by field, never memcmp of whole structs:
 * string buffers may hold stale bytes after their NUL and structs have
 * padding.
 *
 * cfg_validate_each() holds every check the grammar cannot make because it
 * needs the whole tree; the loader maps each problem back to a file line,
 * the control socket prints them as they are.
 */
#include "config/cfg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mac.h"
#include "lib/strbuf.h"
#include "lib/vlanset.h"

struct cfg *cfg_new(void)
{
	struct cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	snprintf(c->hostname, sizeof(c->hostname), "okapi");
	c->log_dest = LOG_DEST_STDOUT;
	c->log_level = LOG_LVL_INFO;
	c->mac_aging = SW_AGING_DEFAULT;
	c->mac_max = SW_FDB_DEFAULT_MAX;
	c->busy_poll_us = DP_BUSY_POLL_DEFAULT;
	return c;
}

static void *cfg_memdup(const void *p, size_t size)
{
	void *q;

	if (size == 0)
		return NULL;
	q = malloc(size);
	if (q)
		memcpy(q, p, size);
	return q;
}

struct cfg *cfg_dup(const struct cfg *c)
{
	struct cfg *d = cfg_memdup(c, sizeof(*c));

	if (!d)
		return NULL;
	d->ifaces = cfg_memdup(c->ifaces, c->n_ifaces * sizeof(*c->ifaces));
	d->static_macs = cfg_memdup(c->static_macs,
				    c->n_static_macs * sizeof(*c->static_macs));
	if ((c->n_ifaces && !d->ifaces) || (c->n_static_macs && !d->static_macs)) {
		cfg_free(d);
		return NULL;
	}
	return d;
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	free(c->ifaces);
	free(c->static_macs);
	free(c);
}

static bool cfg_attach_equal(const struct port_attach *a, const struct port_attach *b)
{
	return a->type == b->type && !strcmp(a->device, b->device) &&
	       !strcmp(a->netns, b->netns) && !strcmp(a->path, b->path);
}

static bool cfg_psec_equal(const struct sw_port_config *a, const struct sw_port_config *b)
{
	if (a->psec.enabled != b->psec.enabled || a->psec.maximum != b->psec.maximum ||
	    a->psec.violation != b->psec.violation || a->psec.sticky != b->psec.sticky ||
	    a->psec.n_macs != b->psec.n_macs)
		return false;
	for (unsigned i = 0; i < a->psec.n_macs; i++)
		if (memcmp(a->psec.macs[i].mac, b->psec.macs[i].mac, 6) ||
		    a->psec.macs[i].sticky != b->psec.macs[i].sticky)
			return false;
	return true;
}

static bool cfg_sw_equal(const struct sw_port_config *a, const struct sw_port_config *b)
{
	return a->mode == b->mode && a->access_vlan == b->access_vlan &&
	       a->native_vlan == b->native_vlan &&
	       !memcmp(a->allowed, b->allowed, sizeof(a->allowed)) &&
	       a->mtu == b->mtu && a->shutdown == b->shutdown &&
	       cfg_psec_equal(a, b);
}

static bool cfg_iface_equal(const struct cfg_iface *a, const struct cfg_iface *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->description, b->description) &&
	       cfg_attach_equal(&a->attach, &b->attach) &&
	       cfg_sw_equal(&a->sw, &b->sw) && a->allowed_all == b->allowed_all;
}

static bool cfg_static_equal(const struct cfg_static_mac *a, const struct cfg_static_mac *b)
{
	return !memcmp(a->mac, b->mac, 6) && a->vlan == b->vlan &&
	       !strcmp(a->iface, b->iface);
}

static bool cfg_vlans_equal(const struct cfg *a, const struct cfg *b)
{
	for (unsigned v = 0; v < 4096; v++)
		if (a->vlan_defined[v] != b->vlan_defined[v] ||
		    strcmp(a->vlan_name[v], b->vlan_name[v]))
			return false;
	return true;
}

bool cfg_equal(const struct cfg *a, const struct cfg *b)
{
	if (strcmp(a->hostname, b->hostname) || a->log_dest != b->log_dest ||
	    strcmp(a->log_file, b->log_file) || a->log_level != b->log_level ||
	    a->mac_aging != b->mac_aging || a->mac_max != b->mac_max ||
	    a->busy_poll_us != b->busy_poll_us ||
	    a->n_ifaces != b->n_ifaces || a->n_static_macs != b->n_static_macs ||
	    !cfg_vlans_equal(a, b))
		return false;
	for (unsigned i = 0; i < a->n_ifaces; i++)
		if (!cfg_iface_equal(&a->ifaces[i], &b->ifaces[i]))
			return false;
	for (unsigned i = 0; i < a->n_static_macs; i++)
		if (!cfg_static_equal(&a->static_macs[i], &b->static_macs[i]))
			return false;
	return true;
}

struct cfg_iface *cfg_iface_find(const struct cfg *c, const char *name)
{
	for (unsigned i = 0; i < c->n_ifaces; i++)
		if (!strcmp(c->ifaces[i].name, name))
			return &c->ifaces[i];
	return NULL;
}

struct cfg_iface *cfg_iface_get(struct cfg *c, const char *name)
{
	struct cfg_iface *i = cfg_iface_find(c, name);

	if (i)
		return i;
	if (strlen(name) >= CFG_NAME_MAX)
		return NULL;
	i = realloc(c->ifaces, (c->n_ifaces + 1) * sizeof(*i));
	if (!i)
		return NULL;
	c->ifaces = i;
	i = &c->ifaces[c->n_ifaces++];
	memset(i, 0, sizeof(*i));
	snprintf(i->name, sizeof(i->name), "%s", name);
	i->attach.type = PORT_TYPE_NONE;
	sw_port_config_init(&i->sw);
	/* "all" is VLANs 1-4094 exactly, whatever the reserved bits 0 and
	 * 4095 hold, so that "allowed vlan all" and the default compare
	 * equal. */
	vlanset_fill(i->sw.allowed);
	i->allowed_all = true;
	return i;
}

void cfg_iface_delete(struct cfg *c, const char *name)
{
	struct cfg_iface *i = cfg_iface_find(c, name);
	unsigned kept = 0;

	if (!i)
		return;
	for (unsigned s = 0; s < c->n_static_macs; s++)
		if (strcmp(c->static_macs[s].iface, name))
			c->static_macs[kept++] = c->static_macs[s];
	c->n_static_macs = kept;
	size_t idx = (size_t)(i - c->ifaces);
	memmove(i, i + 1, (c->n_ifaces - idx - 1) * sizeof(*i));
	c->n_ifaces--;
}

/* Reports one problem; the message is formatted here so every check can
 * be a one-liner. */
struct cfg_checker {
	void (*fn)(const struct cfg_problem *p, void *arg);
	void *arg;
	int count;
	bool nomem;
};

static void cfg_report(struct cfg_checker *ck, struct cfg_problem p,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cfg_report(struct cfg_checker *ck, struct cfg_problem p,
		       const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	int rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		ck->nomem = true;
		return;
	}
	p.msg = msg;
	ck->count++;
	ck->fn(&p, ck->arg);
	free(msg);
}

static void cfg_check_statics(const struct cfg *c, struct cfg_checker *ck)
{
	char buf[MAC_STR_SIZE];

	for (unsigned i = 0; i < c->n_static_macs; i++) {
		const struct cfg_static_mac *s = &c->static_macs[i];
		struct cfg_problem p = { CFG_SUBJ_STATIC_MAC, s->iface, s->mac, s->vlan, NULL };

		if (!cfg_iface_find(c, s->iface))
			cfg_report(ck, p, "static MAC %s vlan %u: interface '%s' does not exist",
				   mac_format(s->mac, buf), s->vlan, s->iface);
		if (i == c->mac_max)
			cfg_report(ck, p, "%u static MAC entries exceed the MAC table limit %u",
				   c->n_static_macs, c->mac_max);
	}
}

/* One claim on something only one port may have (a kernel device, a
 * socket path, a secure MAC), for duplicate detection by sorting: O(n log
 * n) where pairwise comparison would be quadratic in big configs. */
struct cfg_claim {
	int kind;		/* claims of different kinds never clash */
	const char *key;	/* device name or path; NULL for a MAC */
	const uint8_t *mac;
	unsigned iface;		/* index: the first claimant keeps it */
	unsigned seq;
};

static int cfg_claim_cmp(const void *a, const void *b)
{
	const struct cfg_claim *x = a, *y = b;
	int d = x->kind - y->kind;

	if (!d)
		d = x->key ? strcmp(x->key, y->key) : memcmp(x->mac, y->mac, 6);
	if (!d)
		d = x->iface != y->iface ? (x->iface < y->iface ? -1 : 1) : 0;
	return d ? d : (x->seq < y->seq ? -1 : 1);
}

static bool cfg_claim_same(const struct cfg_claim *x, const struct cfg_claim *y)
{
	return x->kind == y->kind &&
	       (x->key ? !strcmp(x->key, y->key) : !memcmp(x->mac, y->mac, 6));
}

enum { CFG_CLAIM_DEVICE, CFG_CLAIM_PATH, CFG_CLAIM_MAC };

static bool cfg_attach_uses_device(const struct port_attach *a)
{
	return a->type == PORT_TYPE_TAP || a->type == PORT_TYPE_INTERNAL ||
	       a->type == PORT_TYPE_PACKET;
}

static void cfg_claim_add(struct cfg_claim *v, size_t *n, int kind,
			  const char *key, const uint8_t *mac, unsigned iface)
{
	v[*n] = (struct cfg_claim){ kind, key, mac, iface, (unsigned)*n };
	(*n)++;
}

/* Two ports on one kernel device or one socket would steal each other's
 * frames (the namespace of a TAP does not help: it is created in ours
 * first), and a secure MAC belongs to one port, as on IOS. */
static size_t cfg_claims_collect(const struct cfg *c, struct cfg_claim *v)
{
	size_t n = 0;

	for (unsigned i = 0; i < c->n_ifaces; i++) {
		const struct cfg_iface *f = &c->ifaces[i];

		if (cfg_attach_uses_device(&f->attach))
			cfg_claim_add(v, &n, CFG_CLAIM_DEVICE, f->attach.device, NULL, i);
		else if (f->attach.type == PORT_TYPE_QEMU)
			cfg_claim_add(v, &n, CFG_CLAIM_PATH, f->attach.path, NULL, i);
		for (unsigned m = 0; m < f->sw.psec.n_macs; m++)
			cfg_claim_add(v, &n, CFG_CLAIM_MAC, NULL, f->sw.psec.macs[m].mac, i);
	}
	return n;
}

/* Reports 'dup', a later claim on what 'owner' already has. */
static void cfg_claim_report(const struct cfg *c, const struct cfg_claim *owner,
			     const struct cfg_claim *dup, struct cfg_checker *ck)
{
	const char *who = c->ifaces[owner->iface].name, *name = c->ifaces[dup->iface].name;
	struct cfg_problem p = { CFG_SUBJ_ATTACH, name, NULL, 0, NULL };
	char buf[MAC_STR_SIZE];

	if (dup->kind == CFG_CLAIM_DEVICE)
		cfg_report(ck, p, "device '%s' is already attached by interface %s", dup->key, who);
	else if (dup->kind == CFG_CLAIM_PATH)
		cfg_report(ck, p, "socket path '%s' is already attached by interface %s",
			   dup->key, who);
	else if (owner->iface != dup->iface)
		cfg_report(ck, (struct cfg_problem){ CFG_SUBJ_SECURE_MAC, name, dup->mac, 0, NULL },
			   "secure MAC %s is already configured on interface %s",
			   mac_format(dup->mac, buf), who);
}

static void cfg_check_claims(const struct cfg *c, struct cfg_checker *ck)
{
	size_t cap = c->n_ifaces;
	struct cfg_claim *v;

	for (unsigned i = 0; i < c->n_ifaces; i++)
		cap += c->ifaces[i].sw.psec.n_macs;
	if (!cap)
		return;
	v = calloc(cap, sizeof(*v));
	if (!v) {
		ck->nomem = true;
		return;
	}
	size_t n = cfg_claims_collect(c, v), owner = 0;
	qsort(v, n, sizeof(*v), cfg_claim_cmp);
	for (size_t i = 1; i < n; i++) {
		if (!cfg_claim_same(&v[owner], &v[i]))
			owner = i;
		else
			cfg_claim_report(c, &v[owner], &v[i], ck);
	}
	free(v);
}

static void cfg_check_psec(const struct cfg *c, unsigned n, struct cfg_checker *ck)
{
	const struct cfg_iface *i = &c->ifaces[n];

	if (i->sw.psec.n_macs <= i->sw.psec.maximum)
		return;
	struct cfg_problem p = { CFG_SUBJ_SECURE_MAC, i->name,
				 i->sw.psec.macs[i->sw.psec.maximum].mac, 0, NULL };
	cfg_report(ck, p, "interface %s has %u secure MAC addresses, "
		   "more than port-security maximum %u",
		   i->name, i->sw.psec.n_macs, i->sw.psec.maximum);
}

int cfg_validate_each(const struct cfg *c,
		      void (*fn)(const struct cfg_problem *p, void *arg),
		      void *arg)
{
	struct cfg_checker ck = { fn, arg, 0, false };

	cfg_check_claims(c, &ck);
	for (unsigned n = 0; n < c->n_ifaces; n++)
		cfg_check_psec(c, n, &ck);
	cfg_check_statics(c, &ck);
	return ck.nomem ? -ENOMEM : ck.count;
}

static void cfg_validate_line(const struct cfg_problem *p, void *arg)
{
	struct strbuf *b = arg;

	if (b)
		strbuf_printf(b, "%s\n", p->msg);
}

int cfg_validate(const struct cfg *c, char **errs)
{
	struct strbuf b = STRBUF_INIT;

	if (errs && *errs) {
		strbuf_puts(&b, *errs);
		free(*errs);
		*errs = NULL;
	}
	int n = cfg_validate_each(c, cfg_validate_line, errs ? &b : NULL);
	if (n < 0)
		strbuf_puts(&b, "out of memory while validating the configuration\n");
	if (errs)
		*errs = strbuf_detach(&b);
	strbuf_free(&b);
	return n < 0 ? 1 : n;
}
