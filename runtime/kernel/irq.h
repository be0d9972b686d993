// SPDX-License-Identifier: BSD-2-Clause
// Hardware interrupts: the timeslice tick, and device interrupts turned into
// notifications of the PD that owns them.
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <sysgen/bootinfo.h>

void irq_init(const struct sg_bootinfo *bi);
struct pd;
// Take every pending interrupt; true if the timeslice expired.  `cur` is
// the thread whose EL1 state (and so virtual timer) is loaded, or NULL.
bool irq_handle_pending(struct pd *cur);

#endif
