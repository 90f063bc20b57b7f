/*
 * DOC: applying configuration (see daemon.h)
 *
 * daemon_apply() is the one path every configuration change takes: the
 * startup file, "okapictl reload", SIGHUP and each live configure-terminal
 * line.  It works in three phases so that nothing is half applied:
 *
 *   1. validate the new tree and allocate everything that can fail
 *      (per-interface arrays, new ports: TAP creation, namespace moves and
 *      socket binds happen here, on the control thread, while the worker
 *      keeps forwarding);
 *   2. quiesce the worker, swap ports in and out of the switch, push new
 *      per-port settings, static MACs and FDB limits - no step here can
 *      fail - and resume;
 *   3. close the ports that left, free the old tree.
 *
 * An interface whose attach settings did not change keeps its port and
 * switch slot (and so its learned MACs): that is why a ping across
 * untouched ports loses nothing during a reload.
 *
 * A port that cannot be opened (device missing, namespace not there yet)
 * stays in the config, is reported, and is retried every RETRY_MS.
 */
#include "core/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/cmd.h"
#include "core/event.h"
#include "core/log.h"

#define RETRY_MS 5000

/* Per-interface state while a new config is being applied. */
struct apply_state {
	unsigned n;
	int *slots;
	struct port **ports;
	char **errors;
	bool *kept;		/* indexed by the OLD config's interfaces */
};

static bool attach_equal(const struct port_attach *a, const struct port_attach *b)
{
	return a->type == b->type && !strcmp(a->device, b->device) &&
	       !strcmp(a->netns, b->netns) && !strcmp(a->path, b->path);
}

static int old_index(const struct cfg *old, const char *name)
{
	for (unsigned j = 0; j < old->n_ifaces; j++)
		if (!strcmp(old->ifaces[j].name, name))
			return (int)j;
	return -1;
}

static void apply_state_free(struct apply_state *st)
{
	free(st->slots);
	free(st->ports);
	free(st->errors);
	free(st->kept);
}

static int apply_state_alloc(struct apply_state *st, unsigned n, unsigned n_old)
{
	st->n = n;
	st->slots = calloc(n ? n : 1, sizeof(*st->slots));
	st->ports = calloc(n ? n : 1, sizeof(*st->ports));
	st->errors = calloc(n ? n : 1, sizeof(*st->errors));
	st->kept = calloc(n_old ? n_old : 1, sizeof(*st->kept));
	if (!st->slots || !st->ports || !st->errors || !st->kept) {
		apply_state_free(st);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++)
		st->slots[i] = -1;
	return 0;
}

/* True if 'a' names the same device or socket as an attach in the running
 * config that this apply removes: opening it now would find it busy, so it
 * is opened after the old port is closed (attach_missing_ports). */
static bool attach_conflicts_with_old(const struct daemon *d,
				      const struct apply_state *st,
				      const struct port_attach *a)
{
	for (unsigned j = 0; j < d->running->n_ifaces; j++) {
		const struct port_attach *o = &d->running->ifaces[j].attach;

		if (st->kept[j] || o->type == PORT_TYPE_NONE)
			continue;
		if (a->type == PORT_TYPE_QEMU ? (o->type == PORT_TYPE_QEMU &&
						 !strcmp(a->path, o->path))
					      : (o->type != PORT_TYPE_QEMU &&
						 !strcmp(a->device, o->device)))
			return true;
	}
	return false;
}

static void log_attached(const struct cfg_iface *ifc)
{
	log_info("interface %s: attached %s %s", ifc->name,
		 port_type_name(ifc->attach.type),
		 ifc->attach.type == PORT_TYPE_QEMU ? ifc->attach.path
						    : ifc->attach.device);
}

/* Opens the port of interface 'ifc'; on failure records the reason in
 * *errorp (and in 'errs' when given). */
static struct port *open_port(const struct cfg_iface *ifc, char **errorp,
			      struct strbuf *errs)
{
	char *err = NULL;
	struct port *p = port_open(ifc->name, &ifc->attach, ifc->sw.mtu, &err);

	if (p) {
		log_attached(ifc);
		return p;
	}
	if (!*errorp || strcmp(*errorp, err ? err : "")) {
		log_warnx("interface %s: %s (will retry)", ifc->name,
			  err ? err : "attach failed");
		if (errs)
			strbuf_printf(errs, "%% interface %s: %s (will retry)\n",
				      ifc->name, err ? err : "attach failed");
	}
	free(*errorp);
	*errorp = err ? err : strdup("attach failed");
	return NULL;
}

/* Phase 1: marks the kept interfaces and opens the ports of interfaces
 * that are new or re-attached, except those that must wait for an old
 * port to close. */
static void open_new_ports(struct daemon *d, const struct cfg *next,
			   struct apply_state *st, struct strbuf *errs)
{
	for (unsigned i = 0; i < next->n_ifaces; i++) {
		const struct cfg_iface *ifc = &next->ifaces[i];
		int j = old_index(d->running, ifc->name);

		if (j >= 0 && attach_equal(&d->running->ifaces[j].attach, &ifc->attach))
			st->kept[j] = true;
	}
	for (unsigned i = 0; i < next->n_ifaces; i++) {
		const struct cfg_iface *ifc = &next->ifaces[i];
		int j = old_index(d->running, ifc->name);

		if ((j >= 0 && st->kept[j]) || ifc->attach.type == PORT_TYPE_NONE ||
		    attach_conflicts_with_old(d, st, &ifc->attach))
			continue;
		st->ports[i] = open_port(ifc, &st->errors[i], errs);
	}
}

static bool sw_config_equal(const struct sw_port_config *a,
			    const struct sw_port_config *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Phase 2, under quiesce: moves kept ports over and updates their config. */
static void update_kept_ports(struct daemon *d, struct sw *sw,
			      const struct cfg *next, struct apply_state *st)
{
	for (unsigned i = 0; i < next->n_ifaces; i++) {
		const struct cfg_iface *ifc = &next->ifaces[i];
		int j = old_index(d->running, ifc->name);

		if (j < 0 || !st->kept[j])
			continue;
		st->slots[i] = d->slots[j];
		st->ports[i] = d->ports[j];
		st->errors[i] = d->attach_errors[j];
		d->attach_errors[j] = NULL;
		struct port *p = st->ports[i];

		if (!p || sw_config_equal(&d->running->ifaces[j].sw, &ifc->sw))
			continue;
		if (p->mtu != ifc->sw.mtu) {
			if (p->class->set_mtu && p->class->set_mtu(p, ifc->sw.mtu) < 0)
				log_warnx("interface %s: cannot set MTU %d on the device",
					  ifc->name, ifc->sw.mtu);
			p->mtu = ifc->sw.mtu;
		}
		sw_port_set_config(sw, st->slots[i], &ifc->sw);
	}
}

static void add_new_ports(struct sw *sw, const struct cfg *next,
			  struct apply_state *st, struct strbuf *errs)
{
	for (unsigned i = 0; i < next->n_ifaces; i++) {
		if (st->slots[i] >= 0 || !st->ports[i])
			continue;
		int slot = sw_port_add(sw, st->ports[i], &next->ifaces[i].sw);

		if (slot < 0) {
			strbuf_printf(errs, "%% interface %s: switch is full\n",
				      next->ifaces[i].name);
			continue;	/* closed in phase 3 via st->ports[i] */
		}
		st->slots[i] = slot;
	}
}

/* Removes the old interfaces' ports that are not kept; returns them in
 * 'closing' (an array of n_old) for phase 3. */
static void remove_old_ports(struct daemon *d, struct sw *sw,
			     struct apply_state *st, struct port **closing)
{
	for (unsigned j = 0; j < d->running->n_ifaces; j++) {
		if (st->kept[j])
			continue;
		if (d->slots[j] >= 0)
			sw_port_remove(sw, d->slots[j]);
		closing[j] = d->ports[j];
		free(d->attach_errors[j]);
		d->attach_errors[j] = NULL;
	}
}

static void apply_static_macs(struct daemon *d, struct sw *sw,
			      const struct cfg *next, struct apply_state *st)
{
	const struct cfg *old = d->running;

	for (unsigned k = 0; k < old->n_static_macs; k++)
		sw_fdb_del_static(sw, old->static_macs[k].mac, old->static_macs[k].vlan);
	for (unsigned k = 0; k < next->n_static_macs; k++) {
		const struct cfg_static_mac *m = &next->static_macs[k];
		int i = old_index(next, m->iface);

		if (i < 0 || st->slots[i] < 0)
			continue;	/* added when the port attaches */
		if (sw_fdb_add_static(sw, m->mac, m->vlan, st->slots[i]) < 0)
			log_warnx("static MAC on %s: MAC table full", m->iface);
	}
}

void daemon_apply_log(struct daemon *d, const struct cfg *c)
{
	enum log_level lvl = d->log_level_override >= 0 ?
			     (enum log_level)d->log_level_override : c->log_level;

	if (log_configure(c->log_dest, c->log_file, lvl) < 0)
		log_warn("cannot open log file %s", c->log_file);
}

static void attach_missing_ports(struct daemon *d, struct strbuf *errs);
static void schedule_retry(struct daemon *d);

int daemon_apply(struct daemon *d, struct cfg *next, struct strbuf *errs)
{
	struct apply_state st;
	char *verrs = NULL;

	if (cfg_validate(next, &verrs) > 0) {
		strbuf_puts(errs, verrs ? verrs : "invalid configuration\n");
		free(verrs);
		return -1;
	}
	free(verrs);
	unsigned n_old = d->running->n_ifaces;
	struct port **closing = calloc(n_old ? n_old : 1, sizeof(*closing));

	if (!closing || apply_state_alloc(&st, next->n_ifaces, n_old) < 0) {
		free(closing);
		strbuf_puts(errs, "% out of memory\n");
		return -1;
	}
	open_new_ports(d, next, &st, errs);

	dp_quiesce(d->dp);
	struct sw *sw = dp_switch(d->dp);

	update_kept_ports(d, sw, next, &st);
	remove_old_ports(d, sw, &st, closing);
	add_new_ports(sw, next, &st, errs);
	apply_static_macs(d, sw, next, &st);
	sw_fdb_set_aging(sw, next->mac_aging);
	sw_fdb_set_max(sw, next->mac_max);
	dp_resume(d->dp);
	dp_set_busy_poll(d->dp, next->busy_poll_us);

	for (unsigned j = 0; j < n_old; j++)
		port_close(closing[j]);
	for (unsigned i = 0; i < next->n_ifaces; i++)
		if (st.slots[i] < 0 && st.ports[i]) {
			port_close(st.ports[i]);
			st.ports[i] = NULL;
		}
	free(closing);
	if (strcmp(d->running->hostname, next->hostname))
		log_info("hostname changed to %s", next->hostname);
	daemon_apply_log(d, next);

	free(d->slots);
	free(d->ports);
	for (unsigned j = 0; j < n_old; j++)
		free(d->attach_errors[j]);
	free(d->attach_errors);
	free(st.kept);
	d->slots = st.slots;
	d->ports = st.ports;
	d->attach_errors = st.errors;
	cfg_free(d->running);
	d->running = next;
	attach_missing_ports(d, errs);
	return 0;
}

/* Opens and attaches every configured port that is not open yet: ports
 * deferred by apply, and ports whose attach failed before.  'errs' (may be
 * NULL) receives new failures. */
static void attach_missing_ports(struct daemon *d, struct strbuf *errs)
{
	const struct cfg *c = d->running;

	for (unsigned i = 0; i < c->n_ifaces; i++) {
		const struct cfg_iface *ifc = &c->ifaces[i];

		if (d->ports[i] || ifc->attach.type == PORT_TYPE_NONE)
			continue;
		struct port *p = open_port(ifc, &d->attach_errors[i], errs);

		if (!p)
			continue;
		dp_quiesce(d->dp);
		struct sw *sw = dp_switch(d->dp);
		int slot = sw_port_add(sw, p, &ifc->sw);

		for (unsigned k = 0; slot >= 0 && k < c->n_static_macs; k++)
			if (!strcmp(c->static_macs[k].iface, ifc->name))
				sw_fdb_add_static(sw, c->static_macs[k].mac,
						  c->static_macs[k].vlan, slot);
		dp_resume(d->dp);
		if (slot < 0) {
			port_close(p);
			continue;
		}
		d->slots[i] = slot;
		d->ports[i] = p;
		free(d->attach_errors[i]);
		d->attach_errors[i] = NULL;
	}
	schedule_retry(d);
}

static void retry_ports(void *arg)
{
	attach_missing_ports(arg, NULL);
}

static void schedule_retry(struct daemon *d)
{
	bool pending = false;

	for (unsigned i = 0; i < d->running->n_ifaces; i++)
		if (!d->ports[i] && d->running->ifaces[i].attach.type != PORT_TYPE_NONE)
			pending = true;
	if (!d->loop)
		return;
	if (pending && !d->retry_timer)
		event_timer_add(d->loop, &d->retry_timer, RETRY_MS, retry_ports, d);
	else if (!pending)
		event_timer_cancel(d->loop, &d->retry_timer);
}

int daemon_reload(struct daemon *d, struct strbuf *errs)
{
	struct cfg *next = cfg_load_file(d->config_path, errs);

	if (!next) {
		log_warnx("reload of %s failed; running configuration unchanged",
			  d->config_path);
		return -1;
	}
	if (daemon_apply(d, next, errs) < 0) {
		cfg_free(next);
		return -1;
	}
	log_info("configuration reloaded from %s", d->config_path);
	return 0;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes 'text' to 'path' so that a crash leaves either the old or the new
 * file, never a mix: temp file in the same directory, fsync, rename, fsync
 * of the directory. */
static int write_file_atomic(const char *path, const char *text)
{
	char tmp[4096], dir[4096];
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	snprintf(dir, sizeof(dir), "%s", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);

	if (fd < 0)
		return -errno;
	err = write_all(fd, text, strlen(text));
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int daemon_write_config(struct daemon *d)
{
	daemon_sync_sticky(d);
	char *text = cfg_print(d->running);

	if (!text)
		return -ENOMEM;
	struct strbuf b = STRBUF_INIT;

	strbuf_puts(&b, text);
	strbuf_puts(&b, "end\n");
	free(text);
	if (strbuf_failed(&b)) {
		strbuf_free(&b);
		return -ENOMEM;
	}
	int err = write_file_atomic(d->config_path, strbuf_str(&b));

	strbuf_free(&b);
	if (err)
		log_warnx("write memory to %s failed: %s", d->config_path, strerror(-err));
	else
		log_info("configuration written to %s", d->config_path);
	return err;
}

struct sticky_collect {
	struct cfg_iface *ifc;
	bool changed;
};

static void collect_sticky(const uint8_t mac[6], uint16_t vlan, void *arg)
{
	struct sticky_collect *sc = arg;
	struct sw_port_config *c = &sc->ifc->sw;
	(void)vlan;

	if (c->psec.n_macs >= sizeof(c->psec.macs) / sizeof(c->psec.macs[0]))
		return;
	memcpy(c->psec.macs[c->psec.n_macs].mac, mac, 6);
	c->psec.macs[c->psec.n_macs].sticky = true;
	c->psec.n_macs++;
	sc->changed = true;
}

void daemon_sync_sticky(struct daemon *d)
{
	struct cfg *next = cfg_dup(d->running);
	bool changed = false;

	if (!next)
		return;
	dp_quiesce(d->dp);
	struct sw *sw = dp_switch(d->dp);

	for (unsigned i = 0; i < next->n_ifaces; i++) {
		struct sticky_collect sc = { .ifc = &next->ifaces[i] };

		if (d->slots[i] < 0 || !sc.ifc->sw.psec.sticky)
			continue;
		sw_sticky_walk(sw, d->slots[i], collect_sticky, &sc);
		if (sc.changed)
			sw_port_set_config(sw, d->slots[i], &sc.ifc->sw);
		changed |= sc.changed;
	}
	dp_resume(d->dp);
	if (!changed) {
		cfg_free(next);
		return;
	}
	cfg_free(d->running);
	d->running = next;
}

int daemon_iface_slot(const struct daemon *d, const char *name)
{
	for (unsigned i = 0; i < d->running->n_ifaces; i++)
		if (!strcmp(d->running->ifaces[i].name, name))
			return d->slots[i];
	return -1;
}

void daemon_release_ports(struct daemon *d)
{
	if (!d->running)
		return;
	for (unsigned i = 0; i < d->running->n_ifaces; i++) {
		if (d->slots && d->slots[i] >= 0)
			sw_port_remove(dp_switch(d->dp), d->slots[i]);
		if (d->ports)
			port_close(d->ports[i]);
		if (d->attach_errors)
			free(d->attach_errors[i]);
	}
	free(d->slots);
	free(d->ports);
	free(d->attach_errors);
	d->slots = NULL;
	d->ports = NULL;
	d->attach_errors = NULL;
	if (d->loop)
		event_timer_cancel(d->loop, &d->retry_timer);
}
