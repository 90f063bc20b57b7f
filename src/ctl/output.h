/*
 * DOC: show output, text and JSON
 *
 * A show command gathers its data once into a struct of show.h and passes
 * it to one printer of a struct output: output_text (the IOS/FRR layouts a
 * network engineer expects) or output_json (FRR-style camelCase keys, for
 * scripts and tests that compare JSON subsets).  A command picks the table
 * with output_select(json) and never tests "json" anywhere else, so the two
 * forms cannot drift apart in what they gather (bgpctl's show_output /
 * json_output idea, STYLE.md section 2).
 *
 * Every printer appends to a strbuf and cannot fail (allocation failure is
 * sticky in the strbuf and checked by the caller).  Pure: no I/O, no daemon.
 */
#ifndef OKAPI_OUTPUT_H
#define OKAPI_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "ctl/show.h"
#include "lib/strbuf.h"

struct output {
	/* "show interface [NAME]": detail per interface, or the brief table. */
	void (*interfaces)(struct strbuf *out, const struct show_ifaces *s,
			   bool brief);
	/* "show port-security": the summary table, or with 'detail' the
	 * per-interface block (when an interface was named). */
	void (*port_security)(struct strbuf *out, const struct show_ifaces *s,
			      bool detail);
	void (*vlans)(struct strbuf *out, const struct show_vlans *s);
	void (*macs)(struct strbuf *out, const struct show_macs *s);
	void (*mac_count)(struct strbuf *out, const struct show_mac_count *c);
	void (*version)(struct strbuf *out, const struct show_version *v);
	/* The running configuration, already in its canonical text form. */
	void (*running_config)(struct strbuf *out, const char *text);
};

extern const struct output output_text;
extern const struct output output_json;

static inline const struct output *output_select(bool json)
{
	return json ? &output_json : &output_text;
}

/* Shared formatting helpers (output.c). */

enum output_status {
	OUTPUT_STATUS_UP,
	OUTPUT_STATUS_DOWN,		/* no link, or not attached */
	OUTPUT_STATUS_ADMIN_DOWN,	/* "shutdown" */
	OUTPUT_STATUS_ERR_DISABLED,	/* port-security shutdown */
};

/* The summary status of an interface, from its config and live state. */
enum output_status output_iface_status(const struct show_iface *i);
/* "up", "down", "admin-down", "err-disabled". */
const char *output_status_name(enum output_status s);

/* "aabb.ccdd.eeff" (IOS) into buf[15]; "aa:bb:cc:dd:ee:ff" into buf[18]. */
void output_mac_dotted(const uint8_t mac[6], char buf[15]);
void output_mac_colon(const uint8_t mac[6], char buf[18]);

/* Appends a VLAN bitmap (bit per VLAN id, as in struct sw_port_config) as
 * "10,20,30-40"; "none" if empty. */
void output_vlan_list(struct strbuf *out, const uint64_t bits[4096 / 64]);

/* "access", "trunk". */
const char *output_mode_name(enum sw_mode m);
/* "shutdown", "restrict", "protect". */
const char *output_violation_name(enum sw_violation v);
/* "dynamic", "static", "secure", "sticky". */
const char *output_fdb_type_name(enum sw_fdb_type t);
/* Number of configured secure MACs with / without the sticky flag. */
unsigned output_psec_count(const struct sw_port_config *c, bool sticky);

#endif
