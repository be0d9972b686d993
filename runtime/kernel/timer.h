// SPDX-License-Identifier: BSD-2-Clause
// The EL2 physical timer (CNTHP), one per core: the scheduler's timeslice
// tick, and the wake-up of guests sleeping in WFI, whose own timers are not
// loaded.  Every call but timer_init acts on the calling core's timer.
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>

void timer_init(const struct sg_bootinfo *bi);
void timer_cpu_init(void);
// The CNTHP interrupt came: true if the timeslice is over (the next one
// starts now).
bool timer_slice_over(void);
// Fire no later than counter value `cval` (a sleeping guest's deadline).
void timer_wake_by(uint64_t cval);
// Program the next interrupt: the end of the slice or `cval`, if earlier.
void timer_program(uint64_t cval);
// An idle core has no slice to end: wake it only at `cval` (a sleeping
// guest's deadline, or never).  timer_resume starts a fresh slice.
void timer_idle(uint64_t cval);
void timer_resume(void);

#endif
