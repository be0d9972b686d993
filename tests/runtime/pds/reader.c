// SPDX-License-Identifier: BSD-2-Clause
// Sees the writer's shared word through its own (read-only) mapping, then
// tries the address where the writer's private region is mapped: that must
// fault, because the reader's SDF maps nothing there.
#include <microkit.h>

#define WRITER 1

uint64_t shared_vaddr; // patched by sysgen
#define WRITERS_PRIVATE_VADDR 0x20000000ull

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch != WRITER)
        return;
    sg_printf("reader: shared word is 0x%lx\n", *(volatile uint64_t *)shared_vaddr);
    sg_printf("reader: reading the writer's private address\n");
    uint64_t v = *(volatile uint64_t *)WRITERS_PRIVATE_VADDR;
    sg_printf("reader: private word is 0x%lx (isolation broken)\n", v);
}
