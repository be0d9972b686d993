// SPDX-License-Identifier: BSD-2-Clause
// The PD's event loop and the Microkit calls.  Each turn of the loop waits
// for one event (replying to the last protected call in the same hypercall)
// and dispatches it to the PD's handlers.
#include <microkit.h>
#include "hvc.h"

struct sg_ipcbuf *sg_ipcbuf;
// In .data, not .bss, so that sysgen has file bytes to patch.
char microkit_name[64] = "(unnamed)";

void sg_main(struct sg_ipcbuf *ipc);

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    return microkit_msginfo_new(0, 0);
}

__attribute__((weak)) bool fault(microkit_child child, microkit_msginfo msginfo,
                                 microkit_msginfo *reply_msginfo)
{
    (void)child;
    (void)msginfo;
    (void)reply_msginfo;
    return false;
}

long sg_notify(microkit_channel ch)
{
    return (long)sg_hvc(SG_SYS_NOTIFY, ch, 0, 0).x0;
}

long sg_irq_ack(microkit_channel ch)
{
    return (long)sg_hvc(SG_SYS_IRQ_ACK, ch, 0, 0).x0;
}

void microkit_notify(microkit_channel ch)
{
    sg_notify(ch);
}

void microkit_irq_ack(microkit_channel ch)
{
    sg_irq_ack(ch);
}

microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    return sg_hvc(SG_SYS_PPCALL, ch, msginfo, 0).x0;
}

void microkit_mr_set(unsigned mr, uint64_t value)
{
    if (mr < SG_MAX_MRS)
        sg_ipcbuf->mr[mr] = value;
}

uint64_t microkit_mr_get(unsigned mr)
{
    return mr < SG_MAX_MRS ? sg_ipcbuf->mr[mr] : 0;
}

void microkit_pd_restart(microkit_child pd, uint64_t entry)
{
    sg_hvc(SG_SYS_PD_RESTART, pd, entry, 0);
}

void microkit_pd_stop(microkit_child pd)
{
    sg_hvc(SG_SYS_PD_STOP, pd, 0, 0);
}

void microkit_vcpu_restart(microkit_child vcpu, uint64_t entry)
{
    sg_hvc(SG_SYS_VCPU_RESTART, vcpu, entry, 0);
}

void microkit_vcpu_stop(microkit_child vcpu)
{
    sg_hvc(SG_SYS_VCPU_STOP, vcpu, 0, 0);
}

long sg_vcpu_inject_abort(microkit_child vcpu)
{
    return (long)sg_hvc(SG_SYS_VCPU_ABORT, vcpu, 0, 0).x0;
}

long sg_vcpu_inject(microkit_child vcpu, uint32_t intid)
{
    return (long)sg_hvc(SG_SYS_VCPU_INJECT, vcpu, intid, 0).x0;
}

bool microkit_vcpu_arm_inject_irq(microkit_child vcpu, uint16_t irq, uint8_t priority,
                                  uint8_t group, uint8_t index)
{
    (void)priority;
    (void)group;
    (void)index;
    return sg_vcpu_inject(vcpu, irq) == 0;
}

long sg_vcpu_read_regs(microkit_child vcpu, struct sg_vcpu_regs *regs)
{
    long r = (long)sg_hvc(SG_SYS_VCPU_READ, vcpu, 0, 0).x0;
    const uint64_t *mr = sg_ipcbuf->mr;
    uint64_t *out = (uint64_t *)regs;
    for (unsigned i = 0; r == 0 && i < sizeof(*regs) / 8; i++)
        out[i] = mr[i];
    return r;
}

long sg_vcpu_write_regs(microkit_child vcpu, const struct sg_vcpu_regs *regs)
{
    const uint64_t *in = (const uint64_t *)regs;
    for (unsigned i = 0; i < sizeof(*regs) / 8; i++)
        sg_ipcbuf->mr[i] = in[i];
    return (long)sg_hvc(SG_SYS_VCPU_WRITE, vcpu, 0, 0).x0;
}

_Noreturn void sg_dbg_exit(int code)
{
    sg_hvc(SG_SYS_DBG_EXIT, (uint64_t)(int64_t)code, 0, 0);
    for (;;)
        ;
}

void sg_main(struct sg_ipcbuf *ipc)
{
    sg_ipcbuf = ipc;
    init();
    bool have_reply = false;
    microkit_msginfo reply = 0;
    for (;;) {
        struct hvc_ret ev =
            have_reply ? sg_hvc(SG_SYS_REPLY_WAIT, reply, 0, 0) : sg_hvc(SG_SYS_WAIT, 0, 0, 0);
        have_reply = false;
        switch (ev.x0) {
        case SG_EV_NOTIFY:
            for (uint64_t bits = ev.x1; bits; bits &= bits - 1)
                notified((microkit_channel)__builtin_ctzll(bits));
            break;
        case SG_EV_PPCALL:
            reply = protected((microkit_channel)ev.x1, ev.x2);
            have_reply = true;
            break;
        case SG_EV_FAULT: {
            microkit_msginfo r = 0;
            if (fault((microkit_child)ev.x1, ev.x2, &r))
                sg_hvc(SG_SYS_CHILD_RESUME, ev.x1, 0, 0);
            break;
        }
        default:
            break;
        }
    }
}
