// SPDX-License-Identifier: BSD-2-Clause
// The EL2 physical timer (CNTHP): the scheduler's timeslice tick.
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <sysgen/bootinfo.h>

void timer_init(const struct sg_bootinfo *bi);
void timer_rearm(void);

#endif
