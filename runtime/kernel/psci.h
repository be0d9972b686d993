// SPDX-License-Identifier: BSD-2-Clause
// PSCI for guests: the calls a Linux guest makes through hvc or smc.
#ifndef KERNEL_PSCI_H
#define KERNEL_PSCI_H

#include "pd.h"

void psci_handle(struct pd *vcpu);

#endif
