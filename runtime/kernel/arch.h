// SPDX-License-Identifier: BSD-2-Clause
// System register access and barriers: the only inline assembly the C parts
// of the kernel need, named after the Arm registers themselves.
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#define SYSREG(name)                                                                               \
    static inline uint64_t read_##name(void)                                                       \
    {                                                                                              \
        uint64_t v;                                                                                \
        __asm__ volatile("mrs %0, " #name : "=r"(v));                                              \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_##name(uint64_t v)                                                    \
    {                                                                                              \
        __asm__ volatile("msr " #name ", %0" : : "r"(v));                                          \
    }

SYSREG(esr_el2)
SYSREG(elr_el2)
SYSREG(spsr_el2)
SYSREG(far_el2)
SYSREG(hpfar_el2)
SYSREG(hcr_el2)
SYSREG(vtcr_el2)
SYSREG(vttbr_el2)
SYSREG(cptr_el2)
SYSREG(cnthctl_el2)
SYSREG(cntvoff_el2)
SYSREG(cnthp_ctl_el2)
SYSREG(cnthp_tval_el2)
SYSREG(cnthp_cval_el2)
SYSREG(cntfrq_el0)
SYSREG(cntpct_el0)
SYSREG(id_aa64mmfr0_el1)
SYSREG(mpidr_el1)
SYSREG(sctlr_el1)
SYSREG(sp_el1)
SYSREG(sp_el0)
SYSREG(vbar_el1)
SYSREG(elr_el1)
SYSREG(spsr_el1)
SYSREG(esr_el1)
SYSREG(far_el1)
SYSREG(tpidr_el1)
SYSREG(tpidr_el0)
SYSREG(cpacr_el1)
SYSREG(cntkctl_el1)
SYSREG(cntp_ctl_el0)
SYSREG(cntp_cval_el0)
SYSREG(vmpidr_el2)
SYSREG(mdcr_el2)
SYSREG(currentel)
SYSREG(tpidrro_el0)
SYSREG(ttbr0_el1)
SYSREG(ttbr1_el1)
SYSREG(tcr_el1)
SYSREG(mair_el1)
SYSREG(amair_el1)
SYSREG(contextidr_el1)
SYSREG(par_el1)
SYSREG(afsr0_el1)
SYSREG(afsr1_el1)
SYSREG(csselr_el1)
SYSREG(cntv_ctl_el0)
SYSREG(cntv_cval_el0)
SYSREG(ich_hcr_el2)
SYSREG(ich_vtr_el2)
SYSREG(ich_vmcr_el2)
SYSREG(ich_ap0r0_el2)
SYSREG(ich_ap1r0_el2)
SYSREG(mair_el2)
SYSREG(tcr_el2)
SYSREG(ttbr0_el2)
SYSREG(sctlr_el2)

// HCR_EL2: stage 2 on (VM), physical IRQ/FIQ/SError to EL2 (IMO, FMO, AMO),
// WFI traps so an idle thread yields (TWI), SMC traps since there is no
// firmware a PD or guest may talk to (TSC), EL1 is AArch64 (RW).  PDs add DC:
// stage 1 off but memory cacheable, and TVM: they may not touch the stage-1
// controls (so those need no switching between PDs); guests run their own
// stage 1.
#define HCR_VM  (1ull << 0)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_DC  (1ull << 12)
#define HCR_TVM (1ull << 26)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_RW  (1ull << 31)
#define HCR_PD                                                                                     \
    (HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TWI | HCR_TSC | HCR_RW | HCR_DC | HCR_TVM)
// Guests also trap WFE: their spinlocks wait with it, and on a shared core
// the lock holder may be a sibling vCPU waiting for the CPU.
#define HCR_GUEST (HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TWI | HCR_TWE | HCR_TSC | HCR_RW)

// CPTR_EL2: RES1 bits; TFP traps FP/SIMD (from EL2 too) for PDs, which are
// built without it, so a PD cannot read a guest's FP registers.
#define CPTR_EL2_RES1 0x33ffull
#define CPTR_TFP      (1ull << 10)

// CNTHCTL_EL2: EL1 may always read the physical counter; it may program
// the EL1 physical timer (CNTP, PPI 30) only if it owns that interrupt,
// since CNTP, unlike CNTV, is not switched between threads.
#define CNTHCTL_EL1PCTEN (1ull << 0)
#define CNTHCTL_EL1PCEN  (1ull << 1)
#define INTID_PTIMER     30

static inline void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

// Exception classes (ESR_ELx.EC) the kernel acts on.
#define EC_UNKNOWN    0x00
#define EC_WFX        0x01
#define EC_HVC64      0x16
#define EC_SMC64      0x17
#define EC_SYSREG     0x18
#define EC_IABT_LOWER 0x20
#define EC_IABT_CUR   0x21
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOWER 0x24
#define EC_DABT_CUR   0x25
#define EC_SP_ALIGN   0x26
#define EC_BRK        0x3c

static inline uint32_t esr_ec(uint64_t esr)
{
    return (uint32_t)(esr >> 26) & 0x3f;
}

#endif
