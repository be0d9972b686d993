// SPDX-License-Identifier: BSD-2-Clause
// GICv3 at EL2: the distributor, each core's redistributor, and the system
// register CPU interface in split priority-drop/deactivate mode (EOImode 1),
// so that a device interrupt stays active, and silent, until its PD acks it
// (on the core it is routed to: its PD's).
#ifndef KERNEL_GIC_H
#define KERNEL_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>

#define GIC_SPURIOUS 1023

struct cpu;

void gic_dist_init(const struct sg_bootinfo *bi);
void gic_cpu_init(struct cpu *c);
// An SGI or PPI (intid < 32): on this core, `core` unused.  An SPI: routed
// to `core`.
void gic_enable(uint32_t intid, bool edge, unsigned core);
uint32_t gic_ack(void);
void gic_drop(uint32_t intid);       // priority drop: other interrupts may come
void gic_deactivate(uint32_t intid); // this one may come again
// If SGI_WAKE (the highest priority) is pending here, take it and finish
// it; anything else stays pending.
void gic_take_wake(void);

#endif
