// SPDX-License-Identifier: BSD-2-Clause
// Parent of the crashing PDs: its fault() hears of every child's fault.
#include <microkit.h>

void init(void)
{
    sg_printf("parent: ready\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    sg_printf("parent: child %u faulted: kind %lu address 0x%lx pc 0x%lx\n", child,
              microkit_mr_get(3), microkit_mr_get(1), microkit_mr_get(2));
    return false;
}
