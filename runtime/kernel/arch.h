// SPDX-License-Identifier: BSD-2-Clause
// System register access and barriers: the only inline assembly the C parts
// of the kernel need, named after the Arm registers themselves.
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

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
