// SPDX-License-Identifier: BSD-2-Clause
// Pass 2, check: read the YAML tree into the typed model and apply every
// semantic rule.  All errors are reported (diag.h); the caller stops the
// pipeline if diag_error_count() grew.
#ifndef SYSGEN_CHECK_H
#define SYSGEN_CHECK_H

#include "model/model.h"

// Build the system from `tree` (loaded from `path`).  Never NULL; takes
// ownership of `tree`.  Partition offsets are resolved here, because
// checking the disk needs them.
struct system *check_system(const char *path, struct node *tree);
void system_free(struct system *sys);

// Guest RAM the board leaves for guests and shared regions.
uint64_t board_pool_size(const struct board *b);
// Count of protection domains the system implies (layout builds exactly these).
size_t system_pd_count(const struct system *sys);
// Channel and IRQ ids the guest's VMM needs (layout asserts the same count).
size_t vmm_channel_count(const struct system *sys, const struct guest *g);

#endif
