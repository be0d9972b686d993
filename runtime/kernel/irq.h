// SPDX-License-Identifier: BSD-2-Clause
// Hardware interrupts: the timeslice tick, and device interrupts turned into
// notifications of the PD that owns them.
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <sysgen/bootinfo.h>

// The owner table, and every SPI routed to its PD's core.
void irq_init(const struct sg_bootinfo *bi);
// This core's interrupts: the PPIs its PDs own, and the kernel's own.
void irq_cpu_init(const struct sg_bootinfo *bi, unsigned core);
// Take every interrupt pending on this core; true if the timeslice expired.
bool irq_handle_pending(void);
// Wake this core's vCPUs asleep in WFI whose timer deadline passed; the
// earliest deadline of those still asleep (UINT64_MAX if none).
uint64_t vtimer_check_sleepers(unsigned core);

#endif
