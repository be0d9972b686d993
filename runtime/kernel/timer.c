// SPDX-License-Identifier: BSD-2-Clause
// Periodic timeslice tick from CNTHP, the timer EL1 cannot touch.  The
// frequency is read from CNTFRQ_EL0 (set by firmware), never assumed.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "gic.h"
#include "timer.h"

static uint64_t ticks_per_slice;

void timer_init(const struct sg_bootinfo *bi)
{
    uint64_t freq = read_cntfrq_el0();
    ticks_per_slice = freq / 1000000 * bi->timeslice_us;
    if (!ticks_per_slice)
        ticks_per_slice = freq / 100;
    timer_rearm();
    write_cnthp_ctl_el2(1); // enabled, not masked
    gic_enable(bi->sched_irq, false);
    kprintf("KERN|INFO: timer %lu Hz, timeslice %u us\n", freq, bi->timeslice_us);
}

void timer_rearm(void)
{
    write_cnthp_tval_el2(ticks_per_slice);
}
