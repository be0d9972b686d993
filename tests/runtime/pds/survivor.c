// SPDX-License-Identifier: BSD-2-Clause
// Runs after its neighbours crashed: keeps printing, and a notify on a bad
// channel id gets an error code back instead of harming anything.
#include <microkit.h>

void init(void)
{
    for (unsigned i = 1; i <= 3; i++)
        sg_printf("survivor: still running %u\n", i);
    long bad = sg_notify(99), unused = sg_notify(5);
    sg_printf("survivor: notify on id 99 -> %d, on unused id 5 -> %d\n", (int)bad, (int)unused);
    sg_dbg_exit(bad == SG_E_BADCH && unused == SG_E_BADCH ? 0 : 1);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
