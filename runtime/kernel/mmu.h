// SPDX-License-Identifier: BSD-2-Clause
// The kernel's own address translation at EL2: an identity map, so that
// the kernel's memory is cacheable (coherent with the PDs, which map
// theirs write-back through stage 2) and exclusive loads and stores work
// (the spin lock between cores needs them: on Device memory, which is
// what every access is with the MMU off, they need not).
#ifndef KERNEL_MMU_H
#define KERNEL_MMU_H

#include <sysgen/bootinfo.h>

// Boot core, MMU still off: fill the table from the board's RAM.
void mmu_build(const struct sg_bootinfo *bi);
// Every core: translate through the table, caches on.
void mmu_enable(void);

#endif
