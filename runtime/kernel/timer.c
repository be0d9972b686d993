// SPDX-License-Identifier: BSD-2-Clause
// CNTHP, the timer EL1 cannot touch, fires at the end of each timeslice or
// earlier when a guest sleeping in WFI has a timer deadline sooner.  The
// frequency is read from CNTFRQ_EL0 (set by firmware), never assumed.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "gic.h"
#include "timer.h"

static uint64_t ticks_per_slice, slice_end;

void timer_init(const struct sg_bootinfo *bi)
{
    uint64_t freq = read_cntfrq_el0();
    ticks_per_slice = freq / 1000000 * bi->timeslice_us;
    if (!ticks_per_slice)
        ticks_per_slice = freq / 100;
    slice_end = read_cntpct_el0() + ticks_per_slice;
    timer_program(UINT64_MAX);
    write_cnthp_ctl_el2(1); // enabled, not masked
    gic_enable(bi->sched_irq, false);
    kprintf("KERN|INFO: timer %lu Hz, timeslice %u us\n", freq, bi->timeslice_us);
}

bool timer_slice_over(void)
{
    uint64_t now = read_cntpct_el0();
    if (now < slice_end)
        return false;
    slice_end = now + ticks_per_slice;
    return true;
}

void timer_program(uint64_t cval)
{
    write_cnthp_cval_el2(cval < slice_end ? cval : slice_end);
    isb();
}

void timer_wake_by(uint64_t cval)
{
    if (cval < read_cnthp_cval_el2())
        timer_program(cval);
}
