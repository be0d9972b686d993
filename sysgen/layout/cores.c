// SPDX-License-Identifier: BSD-2-Clause
// Which core each PD and vCPU runs on.  One policy, deterministic, used
// whenever the YAML does not say:
//   - the board's drivers and the virtualisers on core 0, where every
//     guest's I/O meets;
//   - the guests' vCPUs, guest by guest in YAML order, on cores 1, 2, ...
//     round robin over the board's other cores (all on core 0 if the board
//     has one core);
//   - each guest's VMM and its own PDs (its copier) with its vCPU 0, so a
//     vCPU's trap and the VMM that handles it never cross cores.
// A vCPU the YAML pins (core:, cores:) stays where it says and does not
// take a turn of the round robin.
#include "layout/layout.h"

void place_cores(struct system *sys)
{
    unsigned board_cores = sys->board->cores ? sys->board->cores : 1;
    unsigned others = board_cores - 1, turn = 0; // cores 1.., and whose turn it is
    struct layout *l = &sys->layout;
    l->ncores = 1;
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        bool pinned = g->core_given || g->cores_given;
        for (uint32_t v = 0; v < g->ncpus && v < GUEST_MAX_VCPUS; v++) {
            if (!pinned)
                g->core[v] = others ? 1 + turn++ % others : 0;
            if (g->core[v] + 1 > l->ncores)
                l->ncores = g->core[v] + 1;
        }
    }
    for (size_t i = 0; i < l->npds; i++) {
        struct pd *pd = l->pds[i];
        pd->cpu = pd->guest ? pd->guest->core[0] : 0;
    }
}
