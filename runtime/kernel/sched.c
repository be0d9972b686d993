// SPDX-License-Identifier: BSD-2-Clause
// A linear scan over at most 63 PDs on each decision: simpler than run
// queues and fast enough.  Each core picks among its own threads; each
// priority level remembers, per core, whose turn it is, so a PD preempted
// by a higher priority resumes before its equals, and only the timeslice
// tick passes the turn on.
#include <stdint.h>
#include "cpu.h"
#include "sched.h"

static bool mine(const struct pd *p, unsigned core)
{
    return p->state == PD_RUNNABLE && p->info->cpu == core;
}

struct pd *sched_pick(struct pd *current, bool rotate)
{
    struct cpu *me = this_cpu();
    uint8_t *turn = me->turn;
    if (rotate && current && current->state == PD_RUNNABLE)
        turn[current->info->priority] = (uint8_t)((unsigned)(current - pds + 1) % npds);
    int best = -1;
    for (unsigned i = 0; i < npds; i++)
        if (mine(&pds[i], me->index) && pds[i].info->priority > best)
            best = pds[i].info->priority;
    if (best < 0)
        return 0;
    for (unsigned i = 0; i < npds; i++) {
        unsigned idx = (turn[best] + i) % npds;
        if (mine(&pds[idx], me->index) && pds[idx].info->priority == best) {
            turn[best] = (uint8_t)idx;
            return &pds[idx];
        }
    }
    return 0;
}

bool sched_any_alive(void)
{
    for (unsigned i = 0; i < npds; i++)
        if (pds[i].state != PD_STOPPED)
            return true;
    return false;
}
