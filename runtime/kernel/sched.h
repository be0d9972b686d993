// SPDX-License-Identifier: BSD-2-Clause
// Fixed-priority preemptive scheduling: the highest-priority runnable PD
// runs; equal priorities take turns when the timeslice timer fires.
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include "pd.h"

// The PD to run next, or NULL if none is runnable.  `rotate` lets another
// PD of the current PD's priority go first.
struct pd *sched_pick(struct pd *current, bool rotate);
// True while some PD could still run again (runnable, waiting or calling).
bool sched_any_alive(void);

#endif
