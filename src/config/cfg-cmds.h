/*
 * DOC: internals shared by the config command handlers and the loader
 *
 * The config commands are split by node and topic (cfg-cmds.c: global,
 * vlan and navigation; cfg-cmds-iface.c: interface, attach, switchport;
 * cfg-cmds-psec.c: port security); cmd_install_config_commands() in
 * cfg-cmds.c installs all of them.
 *
 * Handlers that configure something cfg_validate() may later complain
 * about (an attachment, a secure MAC, a static MAC) record where it was
 * configured with cfg_load_note(); the file loader keeps those positions in
 * a side table (not in struct cfg) to put file:line:col on validation
 * errors.  Outside a file load the call does nothing.
 */
#ifndef OKAPI_CFG_CMDS_H
#define OKAPI_CFG_CMDS_H

#include <stddef.h>

#include "config/cfg.h"
#include "config/cmd.h"

extern const struct cmd_def cfg_cmds_global[];
extern const size_t cfg_cmds_global_count;
extern const struct cmd_def cfg_cmds_iface[];
extern const size_t cfg_cmds_iface_count;
extern const struct cmd_def cfg_cmds_psec[];
extern const size_t cfg_cmds_psec_count;

/* The interface of the interface node (created again if a "no interface"
 * removed it meanwhile).  NULL after reporting ENOMEM with cmd_error(). */
struct cfg_iface *cfg_cmd_iface(struct cmd_ctx *ctx);

/* Copies 'value' into dst[size] or reports, at argument 'arg',
 * "WHAT 'value' is too long (at most size-1 characters)" (a value over 40
 * characters is quoted shortened to 37 and "...").  Returns 0 or -1 (after cmd_error). */
int cfg_cmd_copy(struct cmd_ctx *ctx, const char *arg, const char *what,
		 char *dst, size_t size, const char *value);

/* Records that 'subject' (fields subject, iface, mac, vlan; msg unused)
 * was configured by the line being loaded, at column 'col'.  No-op unless
 * ctx is the context of a running cfg_load_*(). */
void cfg_load_note(const struct cmd_ctx *ctx, const struct cfg_problem *subject,
		   int col);

/* Help text of the leading "no" of negated forms, shared by every
 * command table. */
#define NO_STR "Negate a command or set its defaults\n"

#endif
