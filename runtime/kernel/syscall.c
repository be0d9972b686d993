// SPDX-License-Identifier: BSD-2-Clause
// Hypercalls.  Every argument is untrusted: ids are checked against the
// calling PD's own channel table from boot info, lengths are clamped, and a
// bad call returns an SG_E_* code to the caller, never stops the kernel.
#include <stdint.h>
#include "console.h"
#include "gic.h"
#include "arch.h"
#include "pd.h"
#include "semihost.h"
#include "syscall.h"
#include "vgic.h"
#include "lib/string.h"

#define MSGINFO_COUNT(m) ((m)&0x7f)

static const struct sg_end *end_of(struct pd *p, uint64_t id, uint8_t kind)
{
    if (id >= SG_MAX_ENDS || p->info->ends[id].kind != kind)
        return 0;
    return &p->info->ends[id];
}

static void copy_mrs(struct pd *to, const struct pd *from, uint64_t msginfo)
{
    uint64_t n = MSGINFO_COUNT(msginfo);
    if (n > SG_MAX_MRS)
        n = SG_MAX_MRS;
    memcpy(to->ipcbuf->mr, from->ipcbuf->mr, n * sizeof(uint64_t));
}

static int64_t sys_dbg_puts(struct pd *p, uint64_t len)
{
    if (len > SG_DBG_MAX)
        len = SG_DBG_MAX;
    console_write(p->ipcbuf->dbg, len);
    return 0;
}

static int64_t sys_notify(struct pd *p, uint64_t id)
{
    const struct sg_end *e = end_of(p, id, SG_END_CHANNEL);
    if (!e)
        return SG_E_BADCH;
    if (!(e->flags & SG_END_NOTIFY))
        return SG_E_NOPERM;
    pd_signal(&pds[e->peer_pd], 1ull << e->peer_id);
    return 0;
}

static int64_t sys_irq_ack(struct pd *p, uint64_t id)
{
    const struct sg_end *e = end_of(p, id, SG_END_IRQ);
    if (!e)
        return SG_E_BADCH;
    gic_deactivate(e->irq);
    return 0;
}

// Returns 1 if the caller now waits for the reply (x0 is set by the reply).
static int sys_ppcall(struct pd *p, uint64_t id, uint64_t msginfo, int64_t *err)
{
    const struct sg_end *e = end_of(p, id, SG_END_CHANNEL);
    if (!e) {
        *err = SG_E_BADCH;
        return 0;
    }
    if (!(e->flags & SG_END_PP)) {
        *err = SG_E_NOPERM;
        return 0;
    }
    struct pd *server = &pds[e->peer_pd];
    // A server that has faulted, or is itself calling someone (who may be
    // stuck), fails the call rather than blocking the caller forever.  One
    // busy on another core takes it when it next waits.
    if (server->state != PD_WAITING && server->state != PD_RUNNABLE) {
        *err = SG_E_BUSY;
        return 0;
    }
    p->state = PD_CALLING;
    p->callee = server;
    p->call_msginfo = msginfo;
    p->call_badge = e->peer_id;
    if (server->state == PD_WAITING)
        pd_take_call(server, p);
    return 1;
}

static void sys_reply(struct pd *p, uint64_t msginfo)
{
    struct pd *caller = p->caller;
    if (!caller)
        return; // nothing to reply to: a plain wait
    copy_mrs(caller, p, msginfo);
    caller->ctx.x[0] = msginfo;
    caller->callee = 0;
    p->caller = 0;
    pd_wake(caller);
}

// The calling PD's child `id` as a vCPU, or NULL.
static struct pd *vcpu_of(struct pd *p, uint64_t id)
{
    struct pd *v = pd_child(p, id);
    return v && v->is_vcpu ? v : 0;
}

static int64_t sys_child_resume(struct pd *p, uint64_t id)
{
    struct pd *c = pd_child(p, id);
    if (!c)
        return SG_E_BADCH;
    if (c->state != PD_STOPPED || pd_loaded_elsewhere(c))
        return SG_E_BUSY;
    pd_wake(c);
    return 0;
}

static int64_t sys_vcpu_restart(struct pd *p, uint64_t id, uint64_t entry)
{
    struct pd *v = vcpu_of(p, id);
    if (!v)
        return SG_E_BADCH;
    if (pd_loaded_elsewhere(v))
        return SG_E_BUSY; // running on another core: stop it first
    v->ctx.elr = entry;
    v->ctx.spsr = 0x3c5; // EL1h, interrupts masked, as a CPU comes out of reset
    pd_wake(v);
    return 0;
}

static int64_t sys_vcpu_stop(struct pd *p, uint64_t id)
{
    struct pd *v = vcpu_of(p, id);
    if (!v)
        return SG_E_BADCH;
    pd_stop(v);
    return 0;
}

// Registers and events start afresh; memory is kept, as in Microkit.
static int64_t sys_pd_restart(struct pd *p, uint64_t id, uint64_t entry)
{
    struct pd *c = pd_child(p, id);
    if (!c || c->is_vcpu)
        return SG_E_BADCH;
    if (pd_loaded_elsewhere(c))
        return SG_E_BUSY; // running on another core: stop it first
    if (c->caller) { // it was serving a call: fail that call
        c->caller->ctx.x[0] = (uint64_t)(int64_t)SG_E_BUSY;
        c->caller->callee = 0;
        pd_wake(c->caller);
        c->caller = 0;
    }
    memset(&c->ctx, 0, sizeof(c->ctx));
    memset(&c->el1, 0, sizeof(c->el1));
    c->ctx.elr = entry ? entry : c->info->entry;
    c->ctx.spsr = 0x3c5;
    c->ctx.x[0] = c->info->ipcbuf_va;
    c->el1.sp_el1 = c->info->stack_top;
    c->el1.sctlr = 0x30d00800;
    c->pending = 0;
    c->fault_pending = 0;
    pd_wake(c);
    return 0;
}

static int64_t sys_pd_stop(struct pd *p, uint64_t id)
{
    struct pd *c = pd_child(p, id);
    if (!c || c->is_vcpu)
        return SG_E_BADCH;
    pd_stop(c);
    return 0;
}

// Deliver a stopped vCPU's last stage-2 fault to the guest as a
// synchronous external abort, the way hardware reports a bus error: the
// guest's EL1 vector table gets a data (or instruction) abort with DFSC
// 0b010000 at the faulting virtual address, and the guest decides (Linux:
// SIGBUS for a user access, an oops for its own).  The vCPU then runs.
static int64_t sys_vcpu_abort(struct pd *p, uint64_t id)
{
    struct pd *v = vcpu_of(p, id);
    if (!v)
        return SG_E_BADCH;
    uint32_t ec = esr_ec(v->fault_esr);
    if (v->state != PD_STOPPED || v->fault_kind != SG_FAULT_STAGE2 ||
        (ec != EC_DABT_LOWER && ec != EC_IABT_LOWER))
        return SG_E_BADARG;
    if (pd_loaded_elsewhere(v))
        return SG_E_BUSY;
    uint64_t mode = v->ctx.spsr & 0x1f;
    bool from_el0 = mode == 0x0;
    // Same EC the guest would see from its own stage 1: lower-EL classes
    // when it was at EL0, current-EL ones when at EL1.
    uint32_t gec = ec == EC_DABT_LOWER ? (from_el0 ? EC_DABT_LOWER : EC_DABT_CUR)
                                       : (from_el0 ? EC_IABT_LOWER : EC_IABT_CUR);
    uint64_t iss = 0x10;                                 // synchronous external abort
    if (ec == EC_DABT_LOWER)
        iss |= v->fault_esr & (1u << 6);                 // WnR
    v->el1.esr = (uint64_t)gec << 26 | 1u << 25 | iss;   // IL: a 32-bit instruction
    v->el1.far = v->fault_va;
    v->el1.elr = v->ctx.elr;
    v->el1.spsr = v->ctx.spsr;
    // Vector offsets: current EL with SP_EL0 0x000, with SP_ELx 0x200,
    // lower EL AArch64 0x400; synchronous is the first entry of each.
    uint64_t off = from_el0 ? 0x400 : mode == 0x4 ? 0x000 : 0x200;
    v->ctx.elr = v->el1.vbar + off;
    v->ctx.spsr = 0x3c5; // EL1h, DAIF masked, as exception entry leaves it
    pd_wake(v);
    return 0;
}

// A vCPU's saved registers: busy while they are live on another core.
static int64_t sys_vcpu_regs(struct pd *p, uint64_t id, bool write)
{
    struct pd *v = vcpu_of(p, id);
    if (!v)
        return SG_E_BADCH;
    if (pd_loaded_elsewhere(v))
        return SG_E_BUSY;
    struct sg_vcpu_regs *r = (struct sg_vcpu_regs *)p->ipcbuf->mr;
    if (write) {
        memcpy(v->ctx.x, r->x, sizeof(r->x));
        v->ctx.elr = r->pc;
        // Only EL1h/EL1t/EL0 AArch64 modes: a guest never gets EL2.
        uint64_t mode = r->spsr & 0x1f;
        if (mode != 0x5 && mode != 0x4 && mode != 0x0)
            return SG_E_BADARG;
        v->ctx.spsr = r->spsr;
        v->el1.sp_el1 = r->sp_el1;
        v->el1.sp_el0 = r->sp_el0;
    } else {
        memcpy(r->x, v->ctx.x, sizeof(r->x));
        r->pc = v->ctx.elr;
        r->spsr = v->ctx.spsr;
        r->sp_el1 = v->el1.sp_el1;
        r->sp_el0 = v->el1.sp_el0;
    }
    return 0;
}

void syscall_handle(struct pd *p)
{
    struct ctx *c = &p->ctx;
    uint64_t a0 = c->x[0];
    int64_t ret = 0;
    switch (c->x[8]) {
    case SG_SYS_DBG_PUTS:
        ret = sys_dbg_puts(p, a0);
        break;
    case SG_SYS_NOTIFY:
        ret = sys_notify(p, a0);
        break;
    case SG_SYS_IRQ_ACK:
        ret = sys_irq_ack(p, a0);
        break;
    case SG_SYS_PPCALL:
        if (sys_ppcall(p, a0, c->x[1], &ret))
            return;
        break;
    case SG_SYS_REPLY_WAIT:
        sys_reply(p, a0);
        pd_deliver_or_wait(p);
        return;
    case SG_SYS_WAIT:
        pd_deliver_or_wait(p);
        return;
    case SG_SYS_FAULT:
        pd_fault(p, SG_FAULT_EL1, a0, c->x[1], c->x[2]);
        return;
    case SG_SYS_CHILD_RESUME:
        ret = sys_child_resume(p, a0);
        break;
    case SG_SYS_VCPU_RESTART:
        ret = sys_vcpu_restart(p, a0, c->x[1]);
        break;
    case SG_SYS_VCPU_STOP:
        ret = sys_vcpu_stop(p, a0);
        break;
    case SG_SYS_VCPU_READ:
    case SG_SYS_VCPU_WRITE:
        ret = sys_vcpu_regs(p, a0, c->x[8] == SG_SYS_VCPU_WRITE);
        break;
    case SG_SYS_VCPU_INJECT: {
        struct pd *v = vcpu_of(p, a0);
        ret = !v ? SG_E_BADCH : vgic_raise(v, (uint32_t)c->x[1]) ? 0 : SG_E_BADARG;
        break;
    }
    case SG_SYS_PD_RESTART:
        ret = sys_pd_restart(p, a0, c->x[1]);
        break;
    case SG_SYS_PD_STOP:
        ret = sys_pd_stop(p, a0);
        break;
    case SG_SYS_VCPU_ABORT:
        ret = sys_vcpu_abort(p, a0);
        break;
    case SG_SYS_DBG_EXIT:
        kprintf("KERN|INFO: pd %s ends the run with code %ld\n", p->info->name, (int64_t)a0);
        semihost_exit((int)a0);
    default:
        ret = SG_E_BADCALL;
        break;
    }
    c->x[0] = (uint64_t)ret;
}
