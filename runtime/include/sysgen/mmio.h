// SPDX-License-Identifier: BSD-2-Clause
// Decoding a guest's MMIO access from the data-abort syndrome its VMM gets
// in fault() (mr[0] = ESR, mr[1] = IPA), and completing it on the vCPU's
// registers.  Only accesses with a valid instruction syndrome (ISV) can be
// emulated this way: plain loads and stores of one register, which is
// what device drivers use for MMIO.
#ifndef SYSGEN_MMIO_H
#define SYSGEN_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/hypercall.h>

struct sg_mmio {
    uint64_t addr; // guest-physical
    unsigned size; // bytes: 1, 2, 4 or 8
    bool write;
    unsigned reg;     // 0..30, or 31 for xzr/wzr
    bool sign_extend; // loads: SSE
    bool wide;        // loads: the destination is an X register (SF)
};

static inline bool sg_mmio_decode(uint64_t esr, uint64_t ipa, struct sg_mmio *m)
{
    if (((esr >> 26) & 0x3f) != 0x24 || !(esr & (1u << 24)))
        return false; // not a data abort from a lower EL with a valid syndrome
    m->addr = ipa;
    m->size = 1u << ((esr >> 22) & 3);
    m->sign_extend = (esr >> 21) & 1;
    m->reg = (esr >> 16) & 0x1f;
    m->wide = (esr >> 15) & 1;
    m->write = (esr >> 6) & 1;
    return true;
}

// The value a store writes (zero for xzr), cut to the access size.
static inline uint64_t sg_mmio_store_value(const struct sg_mmio *m, const struct sg_vcpu_regs *r)
{
    uint64_t v = m->reg == 31 ? 0 : r->x[m->reg];
    return m->size == 8 ? v : v & ((1ull << (8 * m->size)) - 1);
}

// Finish the access: a load's value goes into its register (sign-extended
// if asked, to 32 bits for a W register), and the PC moves past it.
static inline void sg_mmio_complete(const struct sg_mmio *m, struct sg_vcpu_regs *r,
                                    uint64_t load_value)
{
    if (!m->write && m->reg != 31) {
        uint64_t v = load_value;
        if (m->size < 8) {
            unsigned bits = 8 * m->size;
            v &= (1ull << bits) - 1;
            if (m->sign_extend && (v >> (bits - 1)) & 1)
                v |= ~0ull << bits;
        }
        r->x[m->reg] = m->wide ? v : (uint32_t)v;
    }
    r->pc += 4;
}

#endif
