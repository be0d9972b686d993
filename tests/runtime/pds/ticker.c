// SPDX-License-Identifier: BSD-2-Clause
// A hardware interrupt delivered as a notification: five timer expiries,
// each acknowledged with microkit_irq_ack.  Without the ack the interrupt
// stays active in the GIC and the second tick never comes.
#include <microkit.h>
#include "pd_timer.h"

#define TIMER_IRQ 3
#define TICKS     5

static unsigned ticks;

void init(void)
{
    pd_timer_arm_us(1000);
}

void notified(microkit_channel ch)
{
    if (ch != TIMER_IRQ)
        return;
    ticks++;
    sg_printf("ticker: irq %u tick %u\n", ch, ticks);
    if (ticks == TICKS) {
        pd_timer_stop();
        microkit_irq_ack(ch);
        sg_printf("ticker: %u interrupts delivered and acked\n", ticks);
        sg_dbg_exit(0);
    }
    pd_timer_arm_us(1000); // re-arming clears the level before the ack
    microkit_irq_ack(ch);
}
