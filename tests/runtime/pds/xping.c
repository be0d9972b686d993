// SPDX-License-Identifier: BSD-2-Clause
// Notification round trips across cores: signals pong and waits for its
// answer, 5000 times.  A lost notification stops the count (and the run
// times out); a spurious one is reported.
#include <microkit.h>
#include "clock.h"

#define ROUNDS 5000
#define PONG   1

static unsigned rounds;
static uint64_t t0;

void init(void)
{
    sg_printf("xping: starting %u round trips\n", ROUNDS);
    t0 = clock_ticks();
    microkit_notify(PONG);
}

void notified(microkit_channel ch)
{
    if (ch != PONG) {
        sg_printf("xping: unexpected notification on %u\n", ch);
        sg_dbg_exit(1);
    }
    if (++rounds < ROUNDS) {
        microkit_notify(PONG);
        return;
    }
    sg_printf("bench: notify round trip across cores %lu ns (%u rounds)\n",
              clock_ns_per_round(clock_ticks() - t0, rounds), rounds);
    sg_printf("xping: %u notification round trips done\n", rounds);
    sg_dbg_exit(0);
}
