// SPDX-License-Identifier: BSD-2-Clause
// Parent of PDs that crash on other cores: hears of every fault, restarts
// child 1 once, and when all three faults are in, checks that a spinner on
// yet another core is still counting, then ends the run.
#include <microkit.h>


uint64_t counter_vaddr;
static unsigned faults;
static bool restarted;

static uint64_t counter(void)
{
    return *(volatile uint64_t *)counter_vaddr;
}

void init(void)
{
    sg_printf("watcher: ready\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    sg_printf("watcher: child %u faulted: kind %lu address 0x%lx\n", child, microkit_mr_get(3),
              microkit_mr_get(1));
    if (child == 1 && !restarted) {
        restarted = true;
        microkit_pd_restart(child, 0);
    }
    if (++faults < 2)
        return false;
    uint64_t before = counter();
    for (volatile unsigned i = 0; i < 2000000; i++)
        ;
    uint64_t after = counter();
    sg_printf("watcher: both faults contained; the spinner went on from %lu to %lu\n", before,
              after);
    sg_dbg_exit(after > before ? 0 : 1);
    return false;
}
