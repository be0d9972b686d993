// SPDX-License-Identifier: BSD-2-Clause
// Hypercalls from PDs (hvc #0), see <sysgen/hypercall.h>.
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "pd.h"

void syscall_handle(struct pd *p);

#endif
