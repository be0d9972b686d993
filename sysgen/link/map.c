// SPDX-License-Identifier: BSD-2-Clause
// OUT/loader.map: where every byte and every mapping went, for people.
#include "link/internal.h"
#include "base/output.h"
#include "base/strbuf.h"

#include <stdlib.h>

static int cmp_chunk(const void *a, const void *b)
{
    const struct chunk *x = a, *y = b;
    return x->dest < y->dest ? -1 : x->dest > y->dest;
}

static void map_space(struct strbuf *sb, const char *title, const struct vrange *vr, int n)
{
    sb_printf(sb, "\n%s\n", title);
    for (int i = 0; i < n; i++)
        sb_printf(sb, "  0x%010llx-0x%010llx -> 0x%010llx %c%c%c%s  %s\n",
                  (unsigned long long)vr[i].va, (unsigned long long)(vr[i].va + vr[i].size),
                  (unsigned long long)vr[i].pa, (vr[i].perms & S2_PERM_R) ? 'r' : '-',
                  (vr[i].perms & S2_PERM_W) ? 'w' : '-', (vr[i].perms & S2_PERM_X) ? 'x' : '-',
                  vr[i].cached ? "" : " device", vr[i].what);
}

// OUT/loader.map: where everything went, for people (deterministic).
int write_link_map(struct link *l, const char *out_dir)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "# sysgen link map of %s, board %s\n\nphysical memory\n", l->sys.path,
              l->board->name);
    struct chunk *sorted = xmalloc((size_t)l->nchunks * sizeof(*sorted) + 1);
    memcpy(sorted, l->chunks, (size_t)l->nchunks * sizeof(*sorted));
    qsort(sorted, (size_t)l->nchunks, sizeof(*sorted), cmp_chunk);
    for (int i = 0; i < l->nchunks; i++)
        sb_printf(&sb, "  0x%010llx-0x%010llx %10llu bytes  %s\n",
                  (unsigned long long)sorted[i].dest,
                  (unsigned long long)(sorted[i].dest + sorted[i].memsz),
                  (unsigned long long)sorted[i].memsz, sorted[i].what);
    free(sorted);
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        char *t = xasprintf("protection domain '%s' (priority %d, entry 0x%llx)", pd_name(pd->sdf),
                            pd->sdf->priority, (unsigned long long)pd->elf.entry);
        map_space(&sb, t, pd->vr, pd->nvr);
        free(t);
    }
    for (int i = 0; i < l->nvms; i++) {
        char *t = xasprintf("virtual machine '%s' (VMM '%s')",
                            l->vms[i].vm->name ? l->vms[i].vm->name : "?",
                            pd_name(&l->sys.pds[l->vms[i].vmm]));
        map_space(&sb, t, l->vms[i].vr, l->vms[i].nvr);
        free(t);
    }
    int rc = write_in_dir(out_dir, "loader.map", sb.data, sb.len) ? 0 : 2;
    sb_free(&sb);
    return rc;
}
