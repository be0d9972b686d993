// SPDX-License-Identifier: BSD-2-Clause
// Interrupt routing: an owner table from INTID to (PD, id), filled from the
// irq ends in boot info.  A device interrupt goes to the core its PD runs
// on; it is priority-dropped at once but left active until the PD calls
// microkit_irq_ack, so a level-triggered device cannot storm the kernel
// while its driver is busy.  SGI 0 is the kernel's own: another core
// changed something for a thread of this one.
#include <stdint.h>
#include "console.h"
#include "cpu.h"
#include "gic.h"
#include "irq.h"
#include "pd.h"
#include "timer.h"
#include "arch.h"
#include "vgic.h"

#define INTID_MAINTENANCE 25 // virtual CPU interface maintenance (list registers ran low)
#define INTID_VTIMER      27 // EL1 virtual timer: a guest's
#define CNTV_CTL_ENABLE   1ull
#define CNTV_CTL_IMASK    2ull

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
            if (e->irq >= 32)
                gic_enable(e->irq, (e->flags & SG_END_EDGE) != 0, bi->pds[i].cpu);
        }
    }
}

void irq_cpu_init(const struct sg_bootinfo *bi, unsigned core)
{
    // A PPI is each core's own: enabled where the PD that owns it runs.
    for (unsigned intid = 16; intid < 32; intid++)
        if (owner[intid].valid && bi->pds[owner[intid].pd].cpu == core)
            for (unsigned id = 0; id < SG_MAX_ENDS; id++) {
                const struct sg_end *e = &bi->pds[owner[intid].pd].ends[id];
                if (e->kind == SG_END_IRQ && e->irq == intid)
                    gic_enable(intid, (e->flags & SG_END_EDGE) != 0, core);
            }
    gic_enable(SGI_RESCHEDULE, true, core);
    gic_enable(SGI_WAKE, true, core);
    gic_enable(INTID_MAINTENANCE, false, core);
    gic_enable(INTID_VTIMER, false, core);
}

// The virtual timer of the loaded thread fired: mask it (the guest unmasks
// it when it programs the next event) and pass it on as virtual PPI 27.
static void vtimer_fired(struct pd *cur)
{
    write_cntv_ctl_el0(read_cntv_ctl_el0() | CNTV_CTL_IMASK);
    isb();
    if (cur && cur->is_vcpu)
        vgic_raise(cur, INTID_VTIMER);
    gic_deactivate(INTID_VTIMER);
}

// This core's vCPUs asleep in WFI have no timer in hardware: wake those
// whose deadline passed, and return the earliest deadline of those still
// asleep.
uint64_t vtimer_check_sleepers(unsigned core)
{
    uint64_t now = read_cntpct_el0(), next = UINT64_MAX; // CNTVOFF_EL2 is 0
    for (unsigned i = 0; i < npds; i++) {
        struct pd *v = &pds[i];
        uint64_t ctl = v->el1.cntv_ctl;
        if (v->info->cpu != core || v->state != PD_WFI || !(ctl & CNTV_CTL_ENABLE) ||
            (ctl & CNTV_CTL_IMASK))
            continue;
        if (now >= v->el1.cntv_cval) {
            v->el1.cntv_ctl |= CNTV_CTL_IMASK;
            vgic_raise(v, INTID_VTIMER);
        } else if (v->el1.cntv_cval < next) {
            next = v->el1.cntv_cval;
        }
    }
    return next;
}

bool irq_handle_pending(void)
{
    struct cpu *me = this_cpu();
    struct pd *cur = me->loaded;
    bool tick = false;
    for (;;) {
        uint32_t intid = gic_ack();
        if (intid >= MAX_INTID)
            return tick; // spurious: nothing (more) pending
        gic_drop(intid);
        if (intid == sched_irq) {
            tick |= timer_slice_over();
            timer_program(vtimer_check_sleepers(me->index));
            gic_deactivate(intid);
        } else if (intid == SGI_RESCHEDULE || intid == SGI_WAKE) {
            gic_deactivate(intid); // the scheduler runs next anyway; a late wake-up is news to nobody
        } else if (intid == INTID_VTIMER) {
            vtimer_fired(cur);
        } else if (intid == INTID_MAINTENANCE) {
            gic_deactivate(intid); // the vCPU's exit is the point: it gets refilled on entry
        } else if (owner[intid].valid) {
            pd_signal(&pds[owner[intid].pd], 1ull << owner[intid].id);
        } else {
            kprintf("KERN|WARN: interrupt %u has no owner\n", intid);
            gic_deactivate(intid);
        }
    }
}
