// SPDX-License-Identifier: BSD-2-Clause
// A linear scan over at most 63 PDs on each decision: simpler than run
// queues and fast enough.  Each priority level remembers whose turn it is,
// so a PD preempted by a higher priority resumes before its equals, and
// only the timeslice tick passes the turn on.
#include <stdint.h>
#include "sched.h"

static uint8_t turn[256]; // per priority: the PD index the scan starts at

struct pd *sched_pick(struct pd *current, bool rotate)
{
    if (rotate && current && current->state == PD_RUNNABLE)
        turn[current->info->priority] = (uint8_t)((unsigned)(current - pds + 1) % npds);
    int best = -1;
    for (unsigned i = 0; i < npds; i++)
        if (pds[i].state == PD_RUNNABLE && pds[i].info->priority > best)
            best = pds[i].info->priority;
    if (best < 0)
        return 0;
    for (unsigned i = 0; i < npds; i++) {
        unsigned idx = (turn[best] + i) % npds;
        if (pds[idx].state == PD_RUNNABLE && pds[idx].info->priority == best) {
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
