// SPDX-License-Identifier: BSD-2-Clause
// Answers every notification from ping with one of its own.
#include <microkit.h>

#define PING 2

static unsigned count;

void init(void)
{
    sg_printf("pong: ready\n");
}

void notified(microkit_channel ch)
{
    if (ch == PING) {
        count++;
        microkit_notify(PING);
    }
}
