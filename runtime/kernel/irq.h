// SPDX-License-Identifier: BSD-2-Clause
// Hardware interrupts: the timeslice tick, and device interrupts turned into
// notifications of the PD that owns them.
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <sysgen/bootinfo.h>

void irq_init(const struct sg_bootinfo *bi);
// Take every pending interrupt; true if the timeslice expired.
bool irq_handle_pending(void);

#endif
