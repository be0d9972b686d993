// SPDX-License-Identifier: BSD-2-Clause
// GICv3 driver: the distributor once, then each core's redistributor and
// CPU interface.  All interrupts are Group 1 at one priority; the kernel
// never nests interrupts, so priorities among them do not matter.
// Addresses come from boot info.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "gic.h"

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICD_CTLR_RWP   (1u << 31)
#define GICD_CTLR_ARE   (1u << 4) // affinity routing (ARE_NS with two security states)
#define GICD_CTLR_GRP1  (1u << 1) // Group 1 (non-secure) enable

#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_TYPER_LAST (1ull << 4)
#define WAKER_SLEEP     (1u << 1)
#define WAKER_ASLEEP    (1u << 2)
#define SGI_BASE        0x10000
#define GICR_IGROUPR0   (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_IPRIORITYR (SGI_BASE + 0x0400)
#define GICR_ICFGR1     (SGI_BASE + 0x0c04)

#define IRQ_PRIORITY 0xa0

static uintptr_t gicd, gicr_base;

static inline volatile uint32_t *reg32(uintptr_t base, uintptr_t off)
{
    return (volatile uint32_t *)(base + off);
}

static inline volatile uint64_t *reg64(uintptr_t base, uintptr_t off)
{
    return (volatile uint64_t *)(base + off);
}

static void gicd_wait(void)
{
    while (*reg32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
        ;
}

// Find this CPU's redistributor by its affinity.
static uintptr_t find_redistributor(uintptr_t base)
{
    uint64_t mpidr = read_mpidr_el1();
    uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
    for (uintptr_t r = base;; r += SG_GICR_FRAME) {
        uint64_t typer = *reg64(r, GICR_TYPER);
        if ((typer >> 32) == aff)
            return r;
        if (typer & GICR_TYPER_LAST)
            return base;
    }
}

static void cpu_interface_init(void)
{
    // System-register interface on, and EL1 may not turn it off (Enable).
    __asm__ volatile("msr icc_sre_el2, %0; isb" : : "r"(0xfull));
    __asm__ volatile("msr icc_pmr_el1, %0" : : "r"(0xffull));
    __asm__ volatile("msr icc_bpr1_el1, %0" : : "r"(0ull));
    __asm__ volatile("msr icc_ctlr_el1, %0" : : "r"(2ull)); // EOImode: drop and deactivate apart
    __asm__ volatile("msr icc_igrpen1_el1, %0; isb" : : "r"(1ull));
}

void gic_dist_init(const struct sg_bootinfo *bi)
{
    gicd = bi->gicd_base;
    gicr_base = bi->gicr_base;
    *reg32(gicd, GICD_CTLR) = 0;
    gicd_wait();
    unsigned lines = ((*reg32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
    for (unsigned i = 32; i < lines; i += 32) {
        *reg32(gicd, GICD_ICENABLER + i / 8) = ~0u;
        *reg32(gicd, GICD_IGROUPR + i / 8) = ~0u;
    }
    for (unsigned i = 32; i < lines; i++)
        *((volatile uint8_t *)(gicd + GICD_IPRIORITYR + i)) = IRQ_PRIORITY;
    *reg32(gicd, GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_GRP1;
    gicd_wait();
    kprintf("KERN|INFO: GICv3 up: %u interrupt lines\n", lines);
}

void gic_cpu_init(struct cpu *c)
{
    uintptr_t gicr = c->gicr = find_redistributor(gicr_base);
    *reg32(gicr, GICR_WAKER) &= ~WAKER_SLEEP;
    while (*reg32(gicr, GICR_WAKER) & WAKER_ASLEEP)
        ;
    *reg32(gicr, GICR_ICENABLER0) = ~0u;
    *reg32(gicr, GICR_IGROUPR0) = ~0u;
    for (unsigned i = 0; i < 32; i++)
        *((volatile uint8_t *)(gicr + GICR_IPRIORITYR + i)) = IRQ_PRIORITY;
    // lock.c reads the pending interrupt to find its wake-up: it must come first.
    *((volatile uint8_t *)(gicr + GICR_IPRIORITYR + SGI_WAKE)) = IRQ_PRIORITY - 0x20;

    cpu_interface_init();
    kprintf("KERN|INFO: core %u: redistributor %lx\n", c->index, (uint64_t)gicr);
}

void gic_enable(uint32_t intid, bool edge, unsigned core)
{
    if (intid < 32) { // this core's own: its redistributor
        uintptr_t gicr = this_cpu()->gicr;
        if (intid >= 16) { // SGIs are always edge
            volatile uint32_t *cfg = reg32(gicr, GICR_ICFGR1);
            unsigned shift = (intid - 16) * 2 + 1;
            *cfg = (*cfg & ~(1u << shift)) | ((edge ? 1u : 0u) << shift);
        }
        *reg32(gicr, GICR_ISENABLER0) = 1u << intid;
        return;
    }
    volatile uint32_t *cfg = reg32(gicd, GICD_ICFGR + (intid / 16) * 4);
    unsigned shift = (intid % 16) * 2 + 1;
    *cfg = (*cfg & ~(1u << shift)) | ((edge ? 1u : 0u) << shift);
    *reg64(gicd, GICD_IROUTER + intid * 8) = core; // Aff0: the core of the PD that owns it
    *reg32(gicd, GICD_ISENABLER + (intid / 32) * 4) = 1u << (intid % 32);
}

uint32_t gic_ack(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(v));
    __asm__ volatile("dsb sy" ::: "memory");
    return (uint32_t)v & 0xffffff;
}

void gic_drop(uint32_t intid)
{
    __asm__ volatile("msr icc_eoir1_el1, %0; isb" : : "r"((uint64_t)intid));
}

void gic_deactivate(uint32_t intid)
{
    __asm__ volatile("msr icc_dir_el1, %0; isb" : : "r"((uint64_t)intid));
}

void gic_take_wake(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, icc_hppir1_el1" : "=r"(v));
    if ((v & 0xffffff) != SGI_WAKE)
        return;
    uint32_t intid = gic_ack();
    gic_drop(intid);
    gic_deactivate(intid);
}
