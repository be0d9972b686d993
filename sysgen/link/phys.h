// SPDX-License-Identifier: BSD-2-Clause
// Physical memory for everything the linker places: a bump allocator
// upwards from the kernel that steps over the SDF's regions with a fixed
// physical address.  What ends past the board's RAM is the caller's to
// report (the allocator only counts).
#ifndef SYSGEN_LINK_PHYS_H
#define SYSGEN_LINK_PHYS_H

#include "link/sdf.h"

#include <stdint.h>

struct phys {
    uint64_t next; // the lowest free address
    const struct sdf_system *fixed; // its regions with a phys_addr are never handed out
};

// `size` bytes aligned to `align` (a power of two).
uint64_t phys_alloc(struct phys *p, uint64_t size, uint64_t align);

#endif
