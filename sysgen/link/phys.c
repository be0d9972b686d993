// SPDX-License-Identifier: BSD-2-Clause
#include "link/phys.h"
#include "base/units.h"

#include <stdbool.h>

uint64_t phys_alloc(struct phys *p, uint64_t size, uint64_t align)
{
    uint64_t at = align_up(p->next, align);
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < p->fixed->nmrs; i++) {
            const struct sdf_mr *mr = &p->fixed->mrs[i];
            if (mr->has_phys_addr && ranges_overlap(at, size, mr->phys_addr, mr->size)) {
                at = align_up(mr->phys_addr + mr->size, align);
                moved = true;
            }
        }
    }
    p->next = at + size;
    return at;
}
