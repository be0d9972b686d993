// SPDX-License-Identifier: BSD-2-Clause
// Virtual GICv3.  Guests see the distributor and redistributors at the
// board's GIC addresses (the same IPAs as the physical ones, which no VM
// maps), with a single security state (GICD_CTLR.DS) and affinity routing
// always on.  Interrupts are kept as pending bits here and moved into the
// list registers each time a vCPU is entered; when the list registers are
// full the underflow maintenance interrupt brings the vCPU back out to
// refill them.  Every injected interrupt is treated as edge-triggered: a
// device model injects again when it has new news.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "pd.h"
#include "vgic.h"

#define LR_PENDING    (1ull << 62)
#define LR_ACTIVE     (1ull << 63)
#define LR_GROUP1     (1ull << 60)
#define LR_PRIO_SHIFT 48
#define ICH_HCR_EN    (1ull << 0)
#define ICH_HCR_UIE   (1ull << 1)

#define PIDR2_GICV3    0x3b
#define GICD_CTLR_ARE  (1u << 4)
#define GICD_CTLR_DS   (1u << 6)
#define GICD_CTLR_GRP1 (1u << 1)
#define WAKER_SLEEP    (1u << 1)
#define WAKER_ASLEEP   (1u << 2)

static struct vgic_dist dists[SG_MAX_PDS];
static unsigned nlrs;
static uint64_t gicd_base, gicr_base;

#define LR_CASE(n)                                                                                 \
    case n:                                                                                        \
        if (write)                                                                                 \
            __asm__ volatile("msr ich_lr" #n "_el2, %0" : : "r"(v));                               \
        else                                                                                       \
            __asm__ volatile("mrs %0, ich_lr" #n "_el2" : "=r"(v));                                \
        break;

static uint64_t lr_access(unsigned i, bool write, uint64_t v)
{
    // clang-format off
    switch (i) {
    LR_CASE(0) LR_CASE(1) LR_CASE(2) LR_CASE(3) LR_CASE(4) LR_CASE(5) LR_CASE(6) LR_CASE(7)
    LR_CASE(8) LR_CASE(9) LR_CASE(10) LR_CASE(11) LR_CASE(12) LR_CASE(13) LR_CASE(14)
    LR_CASE(15)
    default:
        break;
    }
    // clang-format on
    return v;
}

static bool same_vm(const struct pd *a, const struct pd *b)
{
    return a->is_vcpu && b->is_vcpu && a->info->parent == b->info->parent &&
           ((a->info->vttbr ^ b->info->vttbr) & 0x0000fffffffffffeull) == 0;
}

void vgic_init(const struct sg_bootinfo *bi)
{
    gicd_base = bi->gicd_base;
    gicr_base = bi->gicr_base;
    nlrs = (unsigned)(read_ich_vtr_el2() & 0x1f) + 1;
    if (nlrs > VGIC_MAX_LRS)
        nlrs = VGIC_MAX_LRS;
    for (unsigned i = 0; i < npds; i++) {
        struct pd *v = &pds[i];
        if (!v->is_vcpu)
            continue;
        unsigned leader = i;
        for (unsigned j = 0; j < i; j++)
            if (same_vm(&pds[j], v)) {
                leader = j;
                break;
            }
        v->dist = &dists[leader];
        v->vgic.index = v->dist->nvcpus++;
        v->vgic.waker = WAKER_SLEEP;
    }
    for (unsigned i = 0; i < npds; i++)
        if (pds[i].is_vcpu)
            pds[i].vgic.last = pds[i].vgic.index + 1 == pds[i].dist->nvcpus;
}

void vgic_save(struct pd *v)
{
    for (unsigned i = 0; i < nlrs; i++)
        v->vgic.lr[i] = lr_access(i, false, 0);
    v->vgic.vmcr = read_ich_vmcr_el2();
    v->vgic.ap0r0 = read_ich_ap0r0_el2();
    v->vgic.ap1r0 = read_ich_ap1r0_el2();
    write_ich_hcr_el2(0); // PDs and the kernel get no virtual interrupts
    isb();
}

// Put `intid` in a list register; false if none is free.
static bool place(struct pd *v, uint32_t intid, uint8_t prio)
{
    int free = -1;
    for (unsigned i = 0; i < nlrs; i++) {
        uint64_t lr = v->vgic.lr[i];
        if ((lr & (LR_PENDING | LR_ACTIVE)) && (uint32_t)lr == intid) {
            v->vgic.lr[i] |= LR_PENDING; // active: pending again; pending: merged
            return true;
        }
        if (!(lr & (LR_PENDING | LR_ACTIVE)) && free < 0)
            free = (int)i;
    }
    if (free < 0)
        return false;
    v->vgic.lr[free] = LR_PENDING | LR_GROUP1 | ((uint64_t)prio << LR_PRIO_SHIFT) | intid;
    return true;
}

// Move deliverable pending interrupts into list registers; true if some
// had to stay pending for lack of room.
static bool deliver(struct pd *v)
{
    struct vgic_dist *d = v->dist;
    if (!(d->ctlr & GICD_CTLR_GRP1))
        return false;
    bool left = false;
    for (uint32_t bits = v->vgic.pending & v->vgic.enabled; bits; bits &= bits - 1) {
        uint32_t intid = (uint32_t)__builtin_ctz(bits);
        if (place(v, intid, v->vgic.priority[intid]))
            v->vgic.pending &= ~(1u << intid);
        else
            left = true;
    }
    for (unsigned w = 1; w < VGIC_LINES / 32; w++) {
        for (uint32_t bits = d->pending[w] & d->enabled[w]; bits; bits &= bits - 1) {
            uint32_t intid = w * 32 + (uint32_t)__builtin_ctz(bits);
            if (d->route[intid] != v->info->child_id)
                continue;
            if (place(v, intid, d->priority[intid]))
                d->pending[w] &= ~(1u << (intid % 32));
            else
                left = true;
        }
    }
    return left;
}

void vgic_restore(struct pd *v)
{
    bool left = deliver(v);
    for (unsigned i = 0; i < nlrs; i++)
        lr_access(i, true, v->vgic.lr[i]);
    write_ich_vmcr_el2(v->vgic.vmcr);
    write_ich_ap0r0_el2(v->vgic.ap0r0);
    write_ich_ap1r0_el2(v->vgic.ap1r0);
    write_ich_hcr_el2(ICH_HCR_EN | (left ? ICH_HCR_UIE : 0));
    isb();
}

bool vgic_has_work(struct pd *v)
{
    for (unsigned i = 0; i < nlrs; i++)
        if (v->vgic.lr[i] & LR_PENDING)
            return true;
    struct vgic_dist *d = v->dist;
    if (!(d->ctlr & GICD_CTLR_GRP1))
        return false;
    if (v->vgic.pending & v->vgic.enabled)
        return true;
    for (unsigned w = 1; w < VGIC_LINES / 32; w++)
        for (uint32_t bits = d->pending[w] & d->enabled[w]; bits; bits &= bits - 1)
            if (d->route[w * 32 + (uint32_t)__builtin_ctz(bits)] == v->info->child_id)
                return true;
    return false;
}

static struct pd *vcpu_by_id(struct pd *v, unsigned id)
{
    for (unsigned i = 0; i < npds; i++)
        if (same_vm(&pds[i], v) && pds[i].info->child_id == id)
            return &pds[i];
    return 0;
}

static struct pd *vcpu_by_index(struct pd *v, unsigned index)
{
    for (unsigned i = 0; i < npds; i++)
        if (same_vm(&pds[i], v) && pds[i].vgic.index == index)
            return &pds[i];
    return 0;
}

// `t` has something new: wake it from WFI if it can take it, or make the
// core it runs on enter it again with its list registers refilled.
static void wake(struct pd *t)
{
    if (!t)
        return;
    if (!vgic_has_work(t))
        return;
    if (t->state == PD_WFI)
        pd_wake(t);
    else
        pd_touch(t);
}

bool vgic_raise(struct pd *v, uint32_t intid)
{
    struct pd *target = v;
    if (intid < 32) {
        v->vgic.pending |= 1u << intid;
    } else if (intid < VGIC_LINES) {
        v->dist->pending[intid / 32] |= 1u << (intid % 32);
        target = vcpu_by_id(v, v->dist->route[intid]);
    } else {
        return false;
    }
    wake(target);
    return true;
}

// A 32-bit register of one bit per interrupt: set/clear-style or plain.
enum bitop { BIT_RW, BIT_SET, BIT_CLEAR };

static void bits_access(uint32_t *reg, enum bitop op, bool write, uint64_t *val)
{
    if (!write) {
        *val = *reg;
        return;
    }
    uint32_t v = (uint32_t)*val;
    *reg = op == BIT_SET ? *reg | v : op == BIT_CLEAR ? *reg & ~v : v;
}

static void dist_access(struct pd *v, uint64_t off, unsigned size, bool write, uint64_t *val)
{
    struct vgic_dist *d = v->dist;
    unsigned word = (unsigned)((off & 0x7f) / 4);
    bool spi_word = word > 0 && word < VGIC_LINES / 32;
    if (off == 0x0000) {
        if (write)
            d->ctlr = (uint32_t)*val & 0x3;
        else
            *val = d->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    } else if (off == 0x0004 && !write) {
        *val = (VGIC_LINES / 32 - 1) | (9u << 19) | ((d->nvcpus - 1) << 5);
    } else if (off == 0x0008 && !write) {
        *val = 0x43b;
    } else if (off >= 0x0080 && off < 0x0100 && spi_word) {
        bits_access(&d->group[word], BIT_RW, write, val);
    } else if (off >= 0x0100 && off < 0x0180 && spi_word) {
        bits_access(&d->enabled[word], BIT_SET, write, val);
    } else if (off >= 0x0180 && off < 0x0200 && spi_word) {
        bits_access(&d->enabled[word], BIT_CLEAR, write, val);
    } else if (off >= 0x0200 && off < 0x0280 && spi_word) {
        bits_access(&d->pending[word], BIT_SET, write, val);
    } else if (off >= 0x0280 && off < 0x0300 && spi_word) {
        bits_access(&d->pending[word], BIT_CLEAR, write, val);
    } else if (off >= 0x0420 && off < 0x0400 + VGIC_LINES) {
        for (unsigned k = 0; k < size && off - 0x400 + k < VGIC_LINES; k++) {
            uint8_t *p = &d->priority[off - 0x400 + k];
            if (write)
                *p = (uint8_t)(*val >> (8 * k));
            else
                *val |= (uint64_t)*p << (8 * k);
        }
    } else if (off >= 0x0c08 && off < 0x0c00 + VGIC_LINES / 4) {
        bits_access(&d->cfg[(off - 0xc00) / 4], BIT_RW, write, val);
    } else if (off >= 0x6100 && off < 0x6000 + 8 * VGIC_LINES) {
        unsigned intid = (unsigned)((off - 0x6000) / 8);
        if (off % 8 == 0) { // the upper half (Aff3) is always 0
            if (write)
                d->route[intid] = (uint8_t)*val;
            else
                *val = d->route[intid];
        }
    } else if (off == 0xffe8 && !write) {
        *val = PIDR2_GICV3;
    } // everything else: reads as zero, writes ignored
    for (unsigned i = 0; write && i < npds; i++)
        if (same_vm(&pds[i], v))
            wake(&pds[i]);
}

static void redist_access(struct pd *t, uint64_t off, unsigned size, bool write, uint64_t *val)
{
    struct vgic_cpu *c = &t->vgic;
    if (off == 0x0004 && !write) {
        *val = 0x43b;
    } else if ((off == 0x0008 || off == 0x000c) && !write) {
        uint64_t typer = ((uint64_t)t->info->child_id << 32) | ((uint64_t)c->index << 8) |
                         (c->last ? 1u << 4 : 0);
        *val = off == 0x000c ? typer >> 32 : size == 4 ? (uint32_t)typer : typer;
    } else if (off == 0x0014) {
        if (write)
            c->waker = (uint32_t)*val & WAKER_SLEEP;
        else
            *val = c->waker | ((c->waker & WAKER_SLEEP) ? WAKER_ASLEEP : 0);
    } else if (off == 0xffe8 && !write) {
        *val = PIDR2_GICV3;
    } else if (off == 0x10080) {
        bits_access(&c->group, BIT_RW, write, val);
    } else if (off == 0x10100) {
        bits_access(&c->enabled, BIT_SET, write, val);
    } else if (off == 0x10180) {
        bits_access(&c->enabled, BIT_CLEAR, write, val);
    } else if (off == 0x10200) {
        bits_access(&c->pending, BIT_SET, write, val);
    } else if (off == 0x10280) {
        bits_access(&c->pending, BIT_CLEAR, write, val);
    } else if (off >= 0x10400 && off < 0x10420) {
        for (unsigned k = 0; k < size && off - 0x10400 + k < 32; k++) {
            uint8_t *p = &c->priority[off - 0x10400 + k];
            if (write)
                *p = (uint8_t)(*val >> (8 * k));
            else
                *val |= (uint64_t)*p << (8 * k);
        }
    } else if (off == 0x10c00 && !write) {
        *val = 0xaaaaaaaa; // SGIs are edge-triggered
    } else if (off == 0x10c04) {
        bits_access(&c->cfg1, BIT_RW, write, val);
    }
    if (write)
        wake(t);
}

bool vgic_mmio(struct pd *v, uint64_t esr, uint64_t ipa)
{
    if (!(esr & (1u << 24)))
        return false; // no syndrome to decode: the VMM may try
    unsigned size = 1u << ((esr >> 22) & 3), srt = (esr >> 16) & 0x1f;
    bool write = esr & (1u << 6);
    uint64_t val = write && srt != 31 ? v->ctx.x[srt] : 0;
    if (size < 8 && write)
        val &= (1ull << (8 * size)) - 1;
    if (ipa >= gicd_base && ipa - gicd_base < SG_GICD_SIZE) {
        dist_access(v, ipa - gicd_base, size, write, &val);
    } else if (ipa >= gicr_base && ipa - gicr_base < (uint64_t)SG_GICR_FRAME * v->dist->nvcpus) {
        struct pd *t = vcpu_by_index(v, (unsigned)((ipa - gicr_base) / SG_GICR_FRAME));
        if (!t)
            return false;
        redist_access(t, (ipa - gicr_base) % SG_GICR_FRAME, size, write, &val);
    } else {
        return false;
    }
    if (!write && srt != 31)
        v->ctx.x[srt] = size < 8 ? val & ((1ull << (8 * size)) - 1) : val;
    v->ctx.elr += 4;
    return true;
}

bool vgic_sysreg(struct pd *v, uint64_t esr)
{
    // ISS: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, read 0.
    unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
    unsigned crn = (esr >> 10) & 0xf, rt = (esr >> 5) & 0x1f, crm = (esr >> 1) & 0xf;
    bool read = esr & 1;
    if (op0 != 3 || op1 != 0 || crn != 12 || crm != 11 || read)
        return false;
    if (op2 == 5) { // ICC_SGI1R_EL1
        uint64_t val = rt == 31 ? 0 : v->ctx.x[rt];
        uint32_t intid = (val >> 24) & 0xf;
        bool all = (val >> 40) & 1;
        for (unsigned i = 0; i < npds; i++) {
            struct pd *t = &pds[i];
            if (!same_vm(t, v))
                continue;
            if (all ? t != v
                    : (t->info->child_id < 16 && ((val >> t->info->child_id) & 1) &&
                       ((val >> 16) & 0xff) == 0))
                vgic_raise(t, intid);
        }
    } else if (op2 != 6 && op2 != 7) { // ICC_ASGI1R and ICC_SGI0R: no group 0 here
        return false;
    }
    v->ctx.elr += 4;
    return true;
}
