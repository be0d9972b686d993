// SPDX-License-Identifier: BSD-2-Clause
// Fixed-priority preemptive scheduling on each core: the highest-priority
// runnable thread placed on the core runs; equal priorities take turns
// when the core's timeslice timer fires.
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include "pd.h"

// The thread this core runs next, or NULL if none of its threads is
// runnable.  `rotate` lets another of the current thread's priority go
// first.
struct pd *sched_pick(struct pd *current, bool rotate);
// True while some PD could still run again (runnable, waiting or calling).
bool sched_any_alive(void);

#endif
