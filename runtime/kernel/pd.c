// SPDX-License-Identifier: BSD-2-Clause
// PD life cycle: created runnable at boot from boot info, switched on and off
// its core, given events, and stopped for good when it faults.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "pd.h"
#include "semihost.h"
#include "lib/string.h"

struct pd pds[SG_MAX_PDS];
unsigned npds;
const struct sg_bootinfo *bootinfo;

// EL1h with D, A, I, F masked: a PD never takes interrupts itself (they go to
// EL2), and starts at its ELF entry point.
#define SPSR_EL1H_MASKED 0x3c5ull
// SCTLR_EL1 reset value with the MMU and caches off: HCR_EL2.DC supplies
// the identity map with cacheable memory.
#define SCTLR_EL1_RES1 0x30d00800ull

void pd_init_all(const struct sg_bootinfo *bi)
{
    bootinfo = bi;
    npds = bi->npds;
    for (unsigned i = 0; i < npds; i++) {
        struct pd *p = &pds[i];
        const struct sg_pd_info *info = &bi->pds[i];
        memset(p, 0, sizeof(*p));
        if (info->cpu >= ncpus) { // the host linker never writes this; do not trust it blindly
            kprintf("KERN|PANIC: %s is placed on core %u of %u\n", info->name,
                    (unsigned)info->cpu, ncpus);
            semihost_exit(3);
        }
        p->info = info;
        p->ctx.spsr = SPSR_EL1H_MASKED;
        p->el1.sctlr = SCTLR_EL1_RES1;
        p->cnthctl = CNTHCTL_EL1PCTEN;
        for (unsigned id = 0; id < SG_MAX_ENDS; id++)
            if (info->ends[id].kind == SG_END_IRQ && info->ends[id].irq == INTID_PTIMER)
                p->cnthctl |= CNTHCTL_EL1PCEN;
        if (info->kind == SG_KIND_VCPU) {
            // Waits, stopped, until its VMM restarts it.
            p->is_vcpu = true;
            p->hcr = HCR_GUEST;
            p->cptr = CPTR_EL2_RES1;
            p->state = PD_STOPPED;
            kprintf("KERN|INFO: vcpu %s: priority %u, vmm %s\n", info->name,
                    (unsigned)info->priority, bi->pds[info->parent].name);
            continue;
        }
        p->ipcbuf = (struct sg_ipcbuf *)info->ipcbuf_pa;
        p->ctx.elr = info->entry;
        p->ctx.x[0] = info->ipcbuf_va;
        p->el1.sp_el1 = info->stack_top;
        p->hcr = HCR_PD;
        p->cptr = CPTR_EL2_RES1 | CPTR_TFP;
        p->state = PD_RUNNABLE;
        kprintf("KERN|INFO: pd %s: priority %u, entry %lx\n", info->name, (unsigned)info->priority,
                info->entry);
    }
}

// Registers every thread may change, switched on every change of thread.
static void el1_save(struct el1_regs *r)
{
    r->sp_el1 = read_sp_el1();
    r->sp_el0 = read_sp_el0();
    r->vbar = read_vbar_el1();
    r->elr = read_elr_el1();
    r->spsr = read_spsr_el1();
    r->esr = read_esr_el1();
    r->far = read_far_el1();
    r->tpidr = read_tpidr_el1();
    r->tpidr_el0 = read_tpidr_el0();
    r->tpidrro_el0 = read_tpidrro_el0();
    r->cpacr = read_cpacr_el1();
    r->cntkctl = read_cntkctl_el1();
    r->par = read_par_el1();
    r->csselr = read_csselr_el1();
    r->cntv_ctl = read_cntv_ctl_el0();
    r->cntv_cval = read_cntv_cval_el0();
}

static void el1_load(const struct el1_regs *r)
{
    write_sp_el1(r->sp_el1);
    write_sp_el0(r->sp_el0);
    write_vbar_el1(r->vbar);
    write_elr_el1(r->elr);
    write_spsr_el1(r->spsr);
    write_esr_el1(r->esr);
    write_far_el1(r->far);
    write_tpidr_el1(r->tpidr);
    write_tpidr_el0(r->tpidr_el0);
    write_tpidrro_el0(r->tpidrro_el0);
    write_cpacr_el1(r->cpacr);
    write_cntkctl_el1(r->cntkctl);
    write_par_el1(r->par);
    write_csselr_el1(r->csselr);
    write_cntv_cval_el0(r->cntv_cval);
    write_cntv_ctl_el0(r->cntv_ctl);
}

// The stage-1 controls.  PDs cannot write them (HCR_EL2.TVM traps), so
// all PDs hold the same values and only a switch to or from a vCPU needs
// to move them.
static void el1_save_vm(struct el1_regs *r)
{
    r->sctlr = read_sctlr_el1();
    r->ttbr0 = read_ttbr0_el1();
    r->ttbr1 = read_ttbr1_el1();
    r->tcr = read_tcr_el1();
    r->mair = read_mair_el1();
    r->amair = read_amair_el1();
    r->contextidr = read_contextidr_el1();
    r->afsr0 = read_afsr0_el1();
    r->afsr1 = read_afsr1_el1();
}

static void el1_load_vm(const struct el1_regs *r)
{
    write_sctlr_el1(r->sctlr);
    write_ttbr0_el1(r->ttbr0);
    write_ttbr1_el1(r->ttbr1);
    write_tcr_el1(r->tcr);
    write_mair_el1(r->mair);
    write_amair_el1(r->amair);
    write_contextidr_el1(r->contextidr);
    write_afsr0_el1(r->afsr0);
    write_afsr1_el1(r->afsr1);
}

void pd_load(struct pd *next)
{
    struct cpu *me = this_cpu();
    struct pd *prev = me->loaded;
    if (prev == next)
        return;
    if (prev)
        el1_save(&prev->el1);
    el1_load(&next->el1);
    if (!prev || prev->is_vcpu || next->is_vcpu) {
        if (prev && prev->is_vcpu)
            el1_save_vm(&prev->el1);
        el1_load_vm(&next->el1);
    }
    if ((prev && prev->is_vcpu) || next->is_vcpu) {
        write_cptr_el2(CPTR_EL2_RES1); // TFP traps EL2 too: lift it to switch
        isb();
        if (prev && prev->is_vcpu)
            fpsimd_save(&prev->fp);
        if (next->is_vcpu)
            fpsimd_restore(&next->fp);
    }
    write_cptr_el2(next->cptr);
    write_hcr_el2(next->hcr);
    write_cnthctl_el2(next->cnthctl);
    write_vmpidr_el2(next->is_vcpu ? (1ull << 31) | next->info->child_id : read_mpidr_el1());
    // Each thread has its own VMID, so no TLB maintenance is needed here.
    write_vttbr_el2(next->info->vttbr);
    isb();
    me->loaded = next;
}

void pd_park(void)
{
    struct cpu *me = this_cpu();
    struct pd *p = me->loaded;
    if (!p)
        return;
    el1_save(&p->el1);
    if (p->is_vcpu) {
        el1_save_vm(&p->el1);
        write_cptr_el2(CPTR_EL2_RES1);
        isb();
        fpsimd_save(&p->fp);
    }
    me->loaded = 0;
}

bool pd_loaded_elsewhere(const struct pd *p)
{
    return p->info->cpu != cpu_index() && cpus[p->info->cpu].loaded == p;
}

// Another core's thread changed: let that core look again.
static void kick(const struct pd *p)
{
    if (p->info->cpu != cpu_index())
        cpu_kick(p->info->cpu);
}

void pd_wake(struct pd *p)
{
    p->state = PD_RUNNABLE;
    kick(p);
}

void pd_stop(struct pd *p)
{
    p->state = PD_STOPPED;
    if (pd_loaded_elsewhere(p))
        kick(p); // it runs there until that core takes the interrupt
}

void pd_touch(const struct pd *p)
{
    if (p->state == PD_RUNNABLE)
        kick(p);
}

struct pd *pd_child(struct pd *parent, uint64_t id)
{
    for (unsigned i = 0; i < npds; i++)
        if (pds[i].info->parent == (uint8_t)(parent - pds) && pds[i].info->child_id == id &&
            id < 64)
            return &pds[i];
    return 0;
}

void pd_take_call(struct pd *s, struct pd *caller)
{
    uint64_t n = caller->call_msginfo & 0x7f;
    if (n > SG_MAX_MRS)
        n = SG_MAX_MRS;
    memcpy(s->ipcbuf->mr, caller->ipcbuf->mr, n * sizeof(uint64_t));
    s->ctx.x[0] = SG_EV_PPCALL;
    s->ctx.x[1] = caller->call_badge;
    s->ctx.x[2] = caller->call_msginfo;
    s->caller = caller;
    pd_wake(s);
}

// The highest-priority call waiting for `s`, if any.
static struct pd *waiting_call(const struct pd *s)
{
    struct pd *best = 0;
    for (unsigned i = 0; i < npds; i++) {
        struct pd *q = &pds[i];
        if (q->state == PD_CALLING && q->callee == s && s->caller != q &&
            (!best || q->info->priority > best->info->priority))
            best = q;
    }
    return best;
}

void pd_deliver_or_wait(struct pd *p)
{
    struct pd *q;
    if (p->fault_pending) {
        unsigned child = (unsigned)__builtin_ctzll(p->fault_pending);
        p->fault_pending &= ~(1ull << child);
        for (unsigned i = 0; i < npds; i++) {
            struct pd *c = &pds[i];
            if (c->info->parent == (uint8_t)(p - pds) && c->info->child_id == child) {
                p->ipcbuf->mr[0] = c->fault_esr;
                p->ipcbuf->mr[1] = c->fault_addr;
                p->ipcbuf->mr[2] = c->fault_pc;
                p->ipcbuf->mr[3] = c->fault_kind;
            }
        }
        p->ctx.x[0] = SG_EV_FAULT;
        p->ctx.x[1] = child;
        p->ctx.x[2] = 4; // msginfo: label 0, four message registers
        pd_wake(p);
    } else if ((q = waiting_call(p)) != 0) {
        pd_take_call(p, q);
    } else if (p->pending) {
        p->ctx.x[0] = SG_EV_NOTIFY;
        p->ctx.x[1] = p->pending;
        p->pending = 0;
        pd_wake(p);
    } else {
        p->state = PD_WAITING;
    }
}

void pd_signal(struct pd *p, uint64_t bits)
{
    p->pending |= bits;
    if (p->state == PD_WAITING)
        pd_deliver_or_wait(p);
}

static const char *fault_name(uint64_t kind, uint64_t esr)
{
    if (kind == SG_FAULT_STAGE2)
        return esr_ec(esr) == EC_IABT_LOWER ? "instruction fetch outside its maps"
               : (esr & (1u << 6))          ? "write outside its maps"
                                            : "read outside its maps";
    switch (esr_ec(esr)) {
    case EC_UNKNOWN:
        return "undefined instruction";
    case EC_PC_ALIGN:
        return "misaligned pc";
    case EC_SP_ALIGN:
        return "misaligned sp";
    case EC_DABT_CUR:
        return "alignment or data fault";
    case EC_SMC64:
        return "smc";
    case EC_SYSREG:
        return "forbidden system register access";
    default:
        return "exception";
    }
}

void pd_fault(struct pd *p, uint64_t kind, uint64_t esr, uint64_t addr, uint64_t pc)
{
    if (!p->is_vcpu)
        kprintf("KERN|FAULT: pd %s: %s at address %lx, pc %lx (esr %lx); pd stopped\n",
                p->info->name, fault_name(kind, esr), addr, pc, esr);
    p->state = PD_STOPPED;
    p->fault_esr = esr;
    p->fault_addr = addr;
    p->fault_pc = pc;
    p->fault_kind = kind;
    // Callers blocked on this PD would wait forever: fail their calls.
    for (unsigned i = 0; i < npds; i++) {
        struct pd *q = &pds[i];
        if (q->state == PD_CALLING && q->callee == p) {
            q->ctx.x[0] = (uint64_t)(int64_t)SG_E_BUSY;
            q->callee = 0;
            pd_wake(q);
        }
    }
    p->caller = 0;
    if (p->info->parent != SG_NO_PARENT) {
        struct pd *parent = &pds[p->info->parent];
        parent->fault_pending |= 1ull << p->info->child_id;
        if (parent->state == PD_WAITING)
            pd_deliver_or_wait(parent);
    }
}
