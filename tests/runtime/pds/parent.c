// SPDX-License-Identifier: BSD-2-Clause
// Parent of the crashing PDs: its fault() hears of every child's fault, and
// restarts child 1 once (its memory remembers that it crashed before).
#include <microkit.h>

static bool restarted;

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
    if (child == 1 && !restarted) {
        restarted = true;
        sg_printf("parent: restarting child 1\n");
        microkit_pd_restart(child, 0);
    }
    return false;
}
