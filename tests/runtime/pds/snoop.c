// SPDX-License-Identifier: BSD-2-Clause
// Tries the performance monitors and debug registers, which would give it
// a cycle counter (a timing side channel) and state shared with other PDs:
// the kernel traps them, they read as zero and writes are ignored.  Then
// it tries to change a stage-1 control register, which stops it.
#include <microkit.h>

void init(void)
{
    uint64_t c0, c1, pmcr, mdscr;
    __asm__ volatile("msr pmcr_el0, %0; isb" : : "r"(1ull)); // try to enable counting
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(c0));
    for (volatile int i = 0; i < 10000; i++)
        ;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(c1));
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    __asm__ volatile("mrs %0, mdscr_el1" : "=r"(mdscr));
    sg_printf("snoop: cycle counter %lu then %lu, pmcr 0x%lx, mdscr 0x%lx\n", c0, c1, pmcr, mdscr);
    // The stage-1 controls are shared by all PDs, so none may change them.
    __asm__ volatile("msr ttbr0_el1, %0; isb" : : "r"(0x1000ull));
    sg_printf("snoop: changed TTBR0_EL1?!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
