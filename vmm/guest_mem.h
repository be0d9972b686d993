// SPDX-License-Identifier: BSD-2-Clause
// Guest RAM as the VMM sees it, and the one check every guest-supplied
// address goes through before the VMM touches it.
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
    uint8_t *base; // guest RAM mapped in the VMM
    uint64_t gpa;  // guest-physical address of base
    uint64_t size; // bytes
};

// The VMM address of guest-physical [gpa, gpa + len), or NULL unless the
// whole range lies inside guest RAM.  Written so that no sum can wrap.
static inline void *gpa_to_va(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
    if (gpa < m->gpa)
        return NULL;
    uint64_t off = gpa - m->gpa;
    if (off > m->size || len > m->size - off)
        return NULL;
    return m->base + off;
}

static inline int gpa_in_ram(const struct guest_mem *m, uint64_t gpa)
{
    return gpa >= m->gpa && gpa - m->gpa < m->size;
}

#endif
