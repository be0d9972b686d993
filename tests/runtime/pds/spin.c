// SPDX-License-Identifier: BSD-2-Clause
// Never waits: counts forever in a shared page whose address sysgen
// patched into `counter_vaddr` (setvar_vaddr).  Only preemption by the
// kernel lets anything of the same or lower priority run beside it.
#include <microkit.h>

uint64_t counter_vaddr;

void init(void)
{
    volatile uint64_t *counter = (volatile uint64_t *)counter_vaddr;
    sg_printf("%s: spinning, counter at 0x%lx\n", microkit_name, counter_vaddr);
    for (;;)
        (*counter)++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
