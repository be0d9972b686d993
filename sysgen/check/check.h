// SPDX-License-Identifier: BSD-2-Clause
// Pass 2, check: every semantic rule over the model (unique names, sizes
// and alignments, what fits the board, files that exist, the runtime's
// limits, and each device class's own rules).  All errors are reported
// through diag; the caller stops the pipeline if there were any.
#ifndef SYSGEN_CHECK_CHECK_H
#define SYSGEN_CHECK_CHECK_H

#include "model/model.h"

// One rule: a name (for docs and tests/errors) and the function that
// reports every place it is broken.
struct check_rule {
    const char *name;
    void (*fn)(struct system *sys);
};

// Needs partition starts (place_partitions) to check the disk.
void check_system(struct system *sys);

#endif
