// SPDX-License-Identifier: BSD-2-Clause
// The tiny guest: prints through a UART that its VMM emulates (every access
// traps), checks that its FP registers survive a trap, asks PSCI for its
// version, and powers off.
#include <stdint.h>

#define UART_DR 0x09000000ul
#define UART_FR 0x09000018ul

void guest_main(void);
int fp_survives_trap(uintptr_t mmio);
int64_t psci(uint64_t fn);

static void puts_(const char *s)
{
    for (; *s; s++)
        *(volatile uint32_t *)UART_DR = (uint8_t)*s;
}

void guest_main(void)
{
    puts_("guest: hello from EL1 inside a VM\n");
    puts_(fp_survives_trap(UART_FR) ? "guest: fp registers survive a trap\n"
                                    : "guest: fp registers were lost\n");
    puts_(psci(0x84000000) == 2 ? "guest: psci version 0.2\n" : "guest: bad psci version\n");
    psci(0x84000008); // SYSTEM_OFF
    puts_("guest: still running after SYSTEM_OFF?!\n");
}
