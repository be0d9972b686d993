// SPDX-License-Identifier: BSD-2-Clause
// One level-1 table of 1 GiB blocks covers the 39-bit physical space the
// kernel can see: blocks that hold RAM are Normal write-back, inner
// shareable; every other block is Device-nGnRnE and never executable.  The
// image linker's board checks keep RAM in whole 1 GiB blocks, so no block
// mixes the two.
#include <stdint.h>
#include "arch.h"
#include "mmu.h"

#define BLOCK_SHIFT 30
#define NBLOCKS     512 // 512 GiB: all a 39-bit space holds

#define DESC_BLOCK  1ull
#define ATTR_IDX(n) ((uint64_t)(n) << 2)
#define SH_INNER    (3ull << 8)
#define AF          (1ull << 10)
#define XN          (1ull << 54)

#define MAIR_DEVICE 0ull    // index 0: Device-nGnRnE
#define MAIR_NORMAL 0xffull // index 1: Normal, inner and outer write-back
#define IDX_DEVICE  0
#define IDX_NORMAL  1

// TCR_EL2: 39-bit space (T0SZ 25), write-back inner-shareable walks, 4 KiB
// granule; PS from the CPU's PARange; RES1 bits 23 and 31.
#define TCR_T0SZ_39  25ull
#define TCR_IRGN_WB  (1ull << 8)
#define TCR_ORGN_WB  (1ull << 10)
#define TCR_SH_IS    (3ull << 12)
#define TCR_PS_SHIFT 16
#define TCR_RES1     ((1ull << 23) | (1ull << 31))

// SCTLR_EL2: MMU, data and instruction caches, stack alignment checks.
#define SCTLR_RES1 0x30c50830ull
#define SCTLR_M    (1ull << 0)
#define SCTLR_C    (1ull << 2)
#define SCTLR_SA   (1ull << 3)
#define SCTLR_I    (1ull << 12)

static uint64_t table[NBLOCKS] __attribute__((aligned(4096)));

void mmu_build(const struct sg_bootinfo *bi)
{
    uint64_t ram_lo = bi->ram_base >> BLOCK_SHIFT;
    uint64_t ram_hi = (bi->ram_base + bi->ram_size + (1ull << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT;
    for (uint64_t i = 0; i < NBLOCKS; i++) {
        bool ram = i >= ram_lo && i < ram_hi;
        table[i] = (i << BLOCK_SHIFT) | DESC_BLOCK | AF |
                   (ram ? ATTR_IDX(IDX_NORMAL) | SH_INNER : ATTR_IDX(IDX_DEVICE) | XN);
    }
    dsb_sy();
}

void mmu_enable(void)
{
    uint64_t parange = read_id_aa64mmfr0_el1() & 0xf;
    if (parange > 5)
        parange = 5;
    write_mair_el2(MAIR_DEVICE << (8 * IDX_DEVICE) | MAIR_NORMAL << (8 * IDX_NORMAL));
    write_tcr_el2(TCR_T0SZ_39 | TCR_IRGN_WB | TCR_ORGN_WB | TCR_SH_IS |
                  parange << TCR_PS_SHIFT | TCR_RES1);
    write_ttbr0_el2((uint64_t)(uintptr_t)table);
    isb();
    __asm__ volatile("tlbi alle2; dsb sy; isb" ::: "memory");
    write_sctlr_el2(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I);
    isb();
}
