// SPDX-License-Identifier: BSD-2-Clause
/* What the default guest's init.c and net_setup.c share. */
#ifndef GUEST_UTIL_H
#define GUEST_UTIL_H

#include <sys/types.h>

/* One line "sysgen-init: ..." on stderr (the console). */
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sleep_ms(long ms);
/* Up to SIZE - 1 bytes of PATH into BUF, NUL-terminated; -1 if it cannot be
 * opened.  A device-tree string property ends at its own NUL. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* Wait up to MS milliseconds for PATH to appear: 1 if it did, else 0. */
int wait_for_node(const char *path, long ms);

#endif
