// SPDX-License-Identifier: BSD-2-Clause
// OUT/loader.map: where every byte and every mapping went, for people.
#include "link/linker.h"
#include "base/output.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>

static int cmp_chunk(const void *a, const void *b)
{
    const struct chunk *x = a, *y = b;
    return x->dest < y->dest ? -1 : x->dest > y->dest;
}

// One address space, titled with its name and `detail` (freed here).
static void map_space(struct strbuf *sb, const struct aspace *as, char *detail)
{
    const struct vrange *vr = as->vr;
    int n = as->nvr;
    sb_printf(sb, "\n%s%s\n", as->what, detail);
    free(detail);
    for (int i = 0; i < n; i++)
        sb_printf(sb, "  0x%010llx-0x%010llx -> 0x%010llx %c%c%c%s  %s\n",
                  (unsigned long long)vr[i].va, (unsigned long long)(vr[i].va + vr[i].size),
                  (unsigned long long)vr[i].pa, (vr[i].perms & S2_PERM_R) ? 'r' : '-',
                  (vr[i].perms & S2_PERM_W) ? 'w' : '-', (vr[i].perms & S2_PERM_X) ? 'x' : '-',
                  vr[i].mem == S2_MEM_DEVICE ? " device" : "",
                  vr[i].what);
}

// OUT/loader.map: where everything went, for people (deterministic).
int write_link_map(const char *out_dir, const struct sdf_system *s, const char *sdf_name,
                   const struct target *t, const struct chunks *chunks, const struct link_pd *pds,
                   const struct link_vm *vms, int nvms)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "# sysgen link map of %s, board %s\n\nphysical memory\n",
              sdf_name ? sdf_name : s->path, t->name);
    struct chunk *sorted = xmalloc((size_t)chunks->n * sizeof(*sorted) + 1);
    memcpy(sorted, chunks->v, (size_t)chunks->n * sizeof(*sorted));
    qsort(sorted, (size_t)chunks->n, sizeof(*sorted), cmp_chunk);
    for (int i = 0; i < chunks->n; i++)
        sb_printf(&sb, "  0x%010llx-0x%010llx %10llu bytes  %s\n",
                  (unsigned long long)sorted[i].dest,
                  (unsigned long long)(sorted[i].dest + sorted[i].memsz),
                  (unsigned long long)sorted[i].memsz, sorted[i].what);
    free(sorted);
    for (int i = 0; i < s->npds; i++)
        map_space(&sb, &pds[i].as, xasprintf(" (priority %d, entry 0x%llx)", pds[i].sdf->priority,
                                             (unsigned long long)pds[i].elf.entry));
    for (int i = 0; i < nvms; i++)
        map_space(&sb, &vms[i].as, xasprintf(" (VMM '%s')", pd_name(&s->pds[vms[i].vmm])));
    int rc = write_in_dir(out_dir, "loader.map", sb.data, sb.len) ? 0 : 2;
    sb_free(&sb);
    return rc;
}
