// SPDX-License-Identifier: BSD-2-Clause
// CNTHP, the timer EL1 cannot touch, fires on each core at the end of its
// timeslice or earlier when a guest sleeping in WFI there has a timer
// deadline sooner.  The frequency is read from CNTFRQ_EL0 (set by
// firmware), never assumed.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "gic.h"
#include "timer.h"

static uint64_t ticks_per_slice;
static uint32_t sched_irq;

void timer_init(const struct sg_bootinfo *bi)
{
    uint64_t freq = read_cntfrq_el0();
    ticks_per_slice = freq / 1000000 * bi->timeslice_us;
    if (!ticks_per_slice)
        ticks_per_slice = freq / 100;
    sched_irq = bi->sched_irq;
    kprintf("KERN|INFO: timer %lu Hz, timeslice %u us\n", freq, bi->timeslice_us);
}

void timer_cpu_init(void)
{
    struct cpu *me = this_cpu();
    me->slice_end = read_cntpct_el0() + ticks_per_slice;
    timer_program(UINT64_MAX);
    write_cnthp_ctl_el2(1); // enabled, not masked
    gic_enable(sched_irq, false, me->index);
}

bool timer_slice_over(void)
{
    struct cpu *me = this_cpu();
    uint64_t now = read_cntpct_el0();
    if (now < me->slice_end)
        return false;
    me->slice_end = now + ticks_per_slice;
    return true;
}

void timer_program(uint64_t cval)
{
    uint64_t end = this_cpu()->slice_end;
    write_cnthp_cval_el2(cval < end ? cval : end);
    isb();
}

void timer_idle(uint64_t cval)
{
    write_cnthp_cval_el2(cval);
    isb();
}

void timer_resume(void)
{
    this_cpu()->slice_end = read_cntpct_el0() + ticks_per_slice;
    timer_program(read_cnthp_cval_el2());
}

void timer_wake_by(uint64_t cval)
{
    if (cval < read_cnthp_cval_el2())
        timer_program(cval);
}
