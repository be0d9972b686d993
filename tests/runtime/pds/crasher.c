// SPDX-License-Identifier: BSD-2-Clause
// Writes where nothing is mapped: the kernel must stop this PD only.
#include <microkit.h>

void init(void)
{
    sg_printf("crasher: writing to 0xdead0000\n");
    *(volatile uint64_t *)0xdead0000 = 1;
    sg_printf("crasher: still alive?!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
