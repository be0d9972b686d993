// SPDX-License-Identifier: BSD-2-Clause
// Shared memory: writes a word into a region shared with `reader` and one
// into its private region, reports where sysgen put the shared region
// (setvar region_paddr), then tells the reader.
#include <microkit.h>

#define READER 1

uint64_t shared_vaddr, private_vaddr, shared_paddr; // patched by sysgen

void init(void)
{
    *(volatile uint64_t *)shared_vaddr = 0x5ca1ab1e;
    *(volatile uint64_t *)private_vaddr = 0x5ec12e7;
    sg_printf("writer: shared at vaddr 0x%lx paddr 0x%lx, private at 0x%lx\n", shared_vaddr,
              shared_paddr, private_vaddr);
    microkit_notify(READER);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    sg_printf("writer: child %u faulted at address 0x%lx\n", child, microkit_mr_get(1));
    sg_dbg_exit(microkit_mr_get(1) == 0x20000000 ? 0 : 1);
}
