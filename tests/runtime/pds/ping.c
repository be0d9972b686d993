// SPDX-License-Identifier: BSD-2-Clause
// Notification round trips: ping signals pong on channel 1 and waits for
// pong's answer, 1000 times, then reports and ends the run.
#include <microkit.h>

#define ROUNDS 1000
#define PONG   1

static unsigned rounds;

void init(void)
{
    sg_printf("ping: starting %u round trips\n", ROUNDS);
    microkit_notify(PONG);
}

void notified(microkit_channel ch)
{
    if (ch != PONG) {
        sg_printf("ping: unexpected notification on %u\n", ch);
        sg_dbg_exit(1);
    }
    if (++rounds < ROUNDS) {
        microkit_notify(PONG);
        return;
    }
    sg_printf("ping: %u notification round trips done\n", rounds);
    sg_dbg_exit(0);
}
