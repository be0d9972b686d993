// SPDX-License-Identifier: BSD-2-Clause
// GICv3 at EL2: the distributor, this CPU's redistributor, and the system
// register CPU interface in split priority-drop/deactivate mode (EOImode 1),
// so that a device interrupt stays active, and silent, until its PD acks it.
#ifndef KERNEL_GIC_H
#define KERNEL_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>

#define GIC_SPURIOUS 1023

void gic_init(const struct sg_bootinfo *bi);
void gic_enable(uint32_t intid, bool edge);
uint32_t gic_ack(void);
void gic_drop(uint32_t intid);       // priority drop: other interrupts may come
void gic_deactivate(uint32_t intid); // this one may come again

#endif
