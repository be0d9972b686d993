// SPDX-License-Identifier: BSD-2-Clause
/* The default guest's host name and network, from its device tree. */
#ifndef GUEST_NET_SETUP_H
#define GUEST_NET_SETUP_H

/* Set the host name to NAME, bring up lo, and eth0 as /chosen/sysgen,ip
 * says (if it says anything).  SELF: this program's path, udhcpc's script
 * for ip: dhcp. */
void net_setup(const char *name, const char *self);

/* Called as udhcpc's script with EVENT (argv[1]): apply the lease in the
 * environment.  Returns the script's exit status. */
int net_setup_dhcp_event(const char *event);

#endif
