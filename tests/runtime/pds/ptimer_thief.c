// SPDX-License-Identifier: BSD-2-Clause
// Touches the EL1 physical timer without owning its interrupt: the kernel
// traps the access (CNTHCTL_EL2.EL1PCEN) and stops this PD, so it cannot
// disturb the PD that does own the timer.
#include <microkit.h>

void init(void)
{
    sg_printf("ptimer_thief: programming CNTP\n");
    __asm__ volatile("msr cntp_ctl_el0, %0; isb" : : "r"(1ull));
    sg_printf("ptimer_thief: CNTP is mine?!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
