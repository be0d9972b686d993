// SPDX-License-Identifier: BSD-2-Clause
// An address space: what protection domains and virtual machines both
// have.  A list of ranges (virtual or guest-physical address -> physical
// address, with permissions) and, once built, the stage-2 tables the
// kernel loads into VTTBR_EL2 for it.
#ifndef SYSGEN_LINK_ASPACE_H
#define SYSGEN_LINK_ASPACE_H

#include "base/diag.h"
#include "link/image.h"
#include "link/phys.h"
#include "link/stage2.h"

#include <stdbool.h>
#include <stdint.h>

struct vrange {
    uint64_t va, pa, size;
    unsigned perms; // S2_PERM_*
    enum s2_mem mem;
    char *what;     // for messages and the link map, owned
    struct pos pos; // the SDF element it came from
};

struct aspace {
    char *what; // "protection domain 'x'", "virtual machine 'y'": owned
    struct vrange *vr;
    int nvr;
    struct s2 s2;
    uint64_t s2_pa; // where the tables live, once built
};

// `what` is owned from here on, as is each range's.
void aspace_init(struct aspace *as, char *what);
void aspace_add(struct aspace *as, struct vrange r);
// Report every pair of ranges that overlap.
void aspace_check_overlaps(const struct aspace *as);
// Build the tables, place them with `phys` and add them to the image
// under the name `what` (owned from here on).
void aspace_build_stage2(struct aspace *as, struct phys *phys, struct chunks *chunks, char *what);
void aspace_free(struct aspace *as);

#endif
