// SPDX-License-Identifier: BSD-2-Clause
// The high-priority observer of two equal-priority spinners: its timer
// interrupt must preempt them, and by then both must have counted (the
// timeslice shares the CPU between equals).
#include <microkit.h>
#include "pd_timer.h"

#define TIMER_IRQ 3
#define TICKS     20

uint64_t counter_a, counter_b; // vaddrs, patched by sysgen
static unsigned ticks;
static bool seen_counting;

void init(void)
{
    pd_timer_arm_us(1000);
}

void notified(microkit_channel ch)
{
    if (ch != TIMER_IRQ)
        return;
    uint64_t a = *(volatile uint64_t *)counter_a, b = *(volatile uint64_t *)counter_b;
    ++ticks;
    // The spinners never wait: once one has counted, the monitor running at
    // all means the kernel preempted it.
    if (a + b && !seen_counting) {
        seen_counting = true;
        sg_printf("monitor: preempted the spinners at tick %u (a=%lu b=%lu)\n", ticks, a, b);
    }
    if (ticks < TICKS) {
        pd_timer_arm_us(1000);
        microkit_irq_ack(ch);
        return;
    }
    pd_timer_stop();
    sg_printf("monitor: after %u ticks a=%lu b=%lu\n", ticks, a, b);
    if (a && b)
        sg_printf("monitor: both equal-priority spinners ran\n");
    sg_dbg_exit(a && b ? 0 : 1);
}
