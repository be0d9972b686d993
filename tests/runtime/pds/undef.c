// SPDX-License-Identifier: BSD-2-Clause
// Executes an undefined instruction, which traps at EL1 to libmicrokit's
// vectors; they report it to the kernel.
#include <microkit.h>

void init(void)
{
    sg_printf("undef: executing udf\n");
    __asm__ volatile("udf #0");
    sg_printf("undef: still alive?!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
