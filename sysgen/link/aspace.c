// SPDX-License-Identifier: BSD-2-Clause
#include "link/aspace.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <stdlib.h>
#include <string.h>

void aspace_init(struct aspace *as, char *what)
{
    memset(as, 0, sizeof(*as));
    as->what = what;
}

void aspace_add(struct aspace *as, struct vrange r)
{
    as->vr = xrealloc(as->vr, (size_t)(as->nvr + 1) * sizeof(*as->vr));
    as->vr[as->nvr++] = r;
}

void aspace_check_overlaps(const struct aspace *as)
{
    const struct vrange *vr = as->vr;
    for (int a = 0; a < as->nvr; a++)
        for (int b = 0; b < a; b++)
            if (ranges_overlap(vr[a].va, vr[a].size, vr[b].va, vr[b].size))
                error_at(vr[a].pos, "in %s, %s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
                         as->what, vr[a].what, (unsigned long long)vr[a].va,
                         (unsigned long long)(vr[a].va + vr[a].size), vr[b].what,
                         (unsigned long long)vr[b].va, (unsigned long long)(vr[b].va + vr[b].size));
}

void aspace_build_stage2(struct aspace *as, struct phys *phys, struct chunks *chunks, char *what)
{
    s2_init(&as->s2);
    for (int i = 0; i < as->nvr; i++)
        s2_map(&as->s2, as->vr[i].va, as->vr[i].pa, as->vr[i].size, as->vr[i].perms,
               as->vr[i].mem);
    uint64_t size = (uint64_t)as->s2.n * S2_TABLE_SIZE;
    as->s2_pa = phys_alloc(phys, size, S2_TABLE_SIZE);
    s2_finalize(&as->s2, as->s2_pa);
    chunks_add(chunks, as->s2_pa, size, (const uint8_t *)as->s2.tables, size, what);
}

void aspace_free(struct aspace *as)
{
    for (int i = 0; i < as->nvr; i++)
        free(as->vr[i].what);
    free(as->vr);
    free(as->what);
    s2_free(&as->s2);
    memset(as, 0, sizeof(*as));
}
