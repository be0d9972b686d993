// SPDX-License-Identifier: BSD-2-Clause
// Writes where nothing is mapped: the kernel must stop this PD only.  When
// its parent restarts it, its memory still says it crashed, and it behaves.
#include <microkit.h>

static volatile unsigned runs = 0;

void init(void)
{
    if (runs++) {
        sg_printf("crasher: restarted (run %u), behaving now\n", runs);
        return;
    }
    sg_printf("crasher: writing to 0xdead0000\n");
    *(volatile uint64_t *)0xdead0000 = 1;
    sg_printf("crasher: still alive?!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
