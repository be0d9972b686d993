// SPDX-License-Identifier: BSD-2-Clause
// Interrupt routing: an owner table from INTID to (PD, id), filled from the
// irq ends in boot info.  A device interrupt is priority-dropped at once but
// left active until the PD calls microkit_irq_ack, so a level-triggered
// device cannot storm the kernel while its driver is busy.
#include <stdint.h>
#include "console.h"
#include "gic.h"
#include "irq.h"
#include "pd.h"
#include "timer.h"

#define MAX_INTID 1020

static struct {
    uint8_t valid, pd, id;
} owner[MAX_INTID];

static uint32_t sched_irq;

void irq_init(const struct sg_bootinfo *bi)
{
    sched_irq = bi->sched_irq;
    for (unsigned i = 0; i < bi->npds; i++) {
        for (unsigned id = 0; id < SG_MAX_ENDS; id++) {
            const struct sg_end *e = &bi->pds[i].ends[id];
            if (e->kind != SG_END_IRQ || e->irq >= MAX_INTID || e->irq == sched_irq)
                continue; // the host linker refuses these; do not trust it blindly
            owner[e->irq].valid = 1;
            owner[e->irq].pd = (uint8_t)i;
            owner[e->irq].id = (uint8_t)id;
            gic_enable(e->irq, (e->flags & SG_END_EDGE) != 0);
        }
    }
}

bool irq_handle_pending(void)
{
    bool tick = false;
    for (;;) {
        uint32_t intid = gic_ack();
        if (intid >= MAX_INTID)
            return tick; // spurious: nothing (more) pending
        gic_drop(intid);
        if (intid == sched_irq) {
            timer_rearm();
            gic_deactivate(intid);
            tick = true;
        } else if (owner[intid].valid) {
            pd_signal(&pds[owner[intid].pd], 1ull << owner[intid].id);
        } else {
            kprintf("KERN|WARN: interrupt %u has no owner\n", intid);
            gic_deactivate(intid);
        }
    }
}
