// SPDX-License-Identifier: BSD-2-Clause
// Every exception from a PD comes through trap_entry(): synchronous traps
// are dispatched by exception class, interrupts by the GIC, and then the
// core's scheduler decides who runs next, all under the kernel lock.  If
// none of the core's threads can run, the core idles here: it parks the
// thread it had loaded, drops the lock and waits for an interrupt (masked:
// the GIC is polled after each WFI).
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "ctx.h"
#include "irq.h"
#include "lock.h"
#include "pd.h"
#include "psci.h"
#include "sched.h"
#include "semihost.h"
#include "syscall.h"
#include "timer.h"
#include "vgic.h"

static void stage2_abort(struct pd *p, uint64_t esr)
{
    uint64_t ipa = ((read_hpfar_el2() >> 4) << 12) | (read_far_el2() & 0xfff);
    pd_fault(p, SG_FAULT_STAGE2, esr, ipa, p->ctx.elr);
}

// Each returns true if the thread gave its turn away (WFI/WFE), so that
// others of its priority run next.
// Debug (op0 = 2) and PMU (op0 = 3, CRn = 9, and the event registers at
// CRn = 14, CRm >= 8) system registers trap (MDCR_EL2): they read as zero
// and ignore writes, so nobody gets a cycle counter or breakpoints.
static bool debug_or_pmu_raz_wi(struct ctx *c, uint64_t esr)
{
    unsigned op0 = (esr >> 20) & 3, crn = (esr >> 10) & 0xf, op1 = (esr >> 14) & 7;
    unsigned crm = (esr >> 1) & 0xf, rt = (esr >> 5) & 0x1f;
    bool read = esr & 1;
    bool pmu = op0 == 3 && (crn == 9 || (crn == 14 && op1 == 3 && crm >= 8)); // not the timers
    if (op0 != 2 && !pmu)
        return false;
    if (read && rt != 31)
        c->x[rt] = 0;
    c->elr += 4;
    return true;
}

static bool sync_from_pd(struct pd *p)
{
    uint64_t esr = read_esr_el2();
    switch (esr_ec(esr)) {
    case EC_HVC64:
        syscall_handle(p);
        break;
    case EC_WFX: // an idle PD gives its turn away
        p->ctx.elr += 4;
        return true;
    case EC_IABT_LOWER:
    case EC_DABT_LOWER:
        stage2_abort(p, esr);
        break;
    case EC_SYSREG:
        if (debug_or_pmu_raz_wi(&p->ctx, esr))
            break;
        pd_fault(p, SG_FAULT_EL1, esr, 0, p->ctx.elr);
        break;
    default: // SMC, trapped system registers, anything else: the PD's bug
        pd_fault(p, SG_FAULT_EL1, esr, read_far_el2(), p->ctx.elr);
        break;
    }
    return false;
}

// A guest's traps: PSCI is the kernel's, WFI yields, everything else (MMIO
// to emulate, system registers) stops the vCPU and goes to its VMM.
static bool sync_from_vcpu(struct pd *v)
{
    uint64_t esr = read_esr_el2();
    switch (esr_ec(esr)) {
    case EC_SMC64:
        v->ctx.elr += 4; // a trapped SMC returns to itself; HVC to the next instruction
        psci_handle(v);
        break;
    case EC_HVC64:
        psci_handle(v);
        break;
    case EC_WFX:
        v->ctx.elr += 4;
        // WFI with nothing to take: sleep until an interrupt is raised for
        // it.  Its timer runs in hardware only while it is loaded, so CNTHP
        // takes over its deadline (irq.c wakes it).  WFE (a spinlock
        // waiting for a sibling vCPU that is not running) just yields.
        if (!(esr & 1) && !vgic_has_work(v)) {
            v->el1.cntv_ctl = read_cntv_ctl_el0();
            v->el1.cntv_cval = read_cntv_cval_el0();
            v->state = PD_WFI;
            if ((v->el1.cntv_ctl & 3) == 1) // enabled, not masked
                timer_wake_by(v->el1.cntv_cval);
        }
        return true;
    case EC_IABT_LOWER:
    case EC_DABT_LOWER: {
        uint64_t ipa = ((read_hpfar_el2() >> 4) << 12) | (read_far_el2() & 0xfff);
        if (esr_ec(esr) == EC_DABT_LOWER && vgic_mmio(v, esr, ipa))
            break;
        v->fault_va = read_far_el2(); // for SG_SYS_VCPU_ABORT
        pd_fault(v, SG_FAULT_STAGE2, esr, ipa, v->ctx.elr);
        break;
    }
    case EC_SYSREG:
        if (vgic_sysreg(v, esr) || debug_or_pmu_raz_wi(&v->ctx, esr))
            break;
        pd_fault(v, SG_FAULT_VCPU_TRAP, esr, 0, v->ctx.elr);
        break;
    default:
        pd_fault(v, SG_FAULT_VCPU_TRAP, esr, read_far_el2(), v->ctx.elr);
        break;
    }
    return false;
}

struct pd *idle_until_runnable(void)
{
    for (bool idled = false;; idled = true) {
        uint64_t deadline = vtimer_check_sleepers(cpu_index()); // may wake some
        struct pd *next = sched_pick(0, false);
        if (next) {
            if (idled)
                timer_resume();
            return next;
        }
        if (!sched_any_alive()) {
            kprintf("KERN|INFO: no PD can run any more, halting\n");
            semihost_exit(0);
        }
        pd_park();
        timer_idle(deadline);
        lock_give(&kernel_lock);
        wfi();
        lock_take(&kernel_lock);
        irq_handle_pending();
    }
}

struct ctx *trap_entry(struct ctx *c, uint64_t kind)
{
    lock_take(&kernel_lock);
    struct pd *cur = pd_of_ctx(c);
    bool rotate = false;
    if (cur->is_vcpu)
        vgic_save(cur);
    switch (kind) {
    case TRAP_SYNC:
        rotate = cur->is_vcpu ? sync_from_vcpu(cur) : sync_from_pd(cur);
        break;
    case TRAP_IRQ:
    case TRAP_FIQ:
        rotate = irq_handle_pending();
        break;
    default:
        pd_fault(cur, SG_FAULT_EL1, read_esr_el2(), 0, cur->ctx.elr);
        break;
    }
    struct pd *next = sched_pick(cur, rotate);
    if (!next)
        next = idle_until_runnable();
    return enter(next);
}

struct ctx *enter(struct pd *next)
{
    pd_load(next);
    if (next->is_vcpu)
        vgic_restore(next);
    lock_give(&kernel_lock);
    return &next->ctx;
}
