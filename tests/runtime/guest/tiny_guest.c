// SPDX-License-Identifier: BSD-2-Clause
// The tiny guest: prints through a UART that its VMM emulates (every access
// traps), checks that its FP registers survive a trap, asks PSCI for its
// version, sets up the (virtual) GICv3 the way Linux does, takes virtual
// timer interrupts while sleeping in WFI, takes an SPI its VMM injects,
// and powers off.
#include <stdint.h>

#define UART_DR 0x09000000ul
#define UART_FR 0x09000018ul
#define GICD    0x08000000ul
#define GICR    0x080a0000ul
#define SGI     (GICR + 0x10000)
#define SPI     40

void guest_main(void);
void irq_handler(void);
int fp_survives_trap(uintptr_t mmio);
int64_t psci(uint64_t fn);
extern char guest_vectors[];

static volatile unsigned timer_irqs, spi_irqs;

static void puts_(const char *s)
{
    for (; *s; s++)
        *(volatile uint32_t *)UART_DR = (uint8_t)*s;
}

static void w32(uintptr_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static uint32_t r32(uintptr_t a)
{
    return *(volatile uint32_t *)a;
}

static void timer_in_1ms(void)
{
    uint64_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    __asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
                     :
                     : "r"(freq / 1000), "r"(1ull));
}

void irq_handler(void)
{
    uint64_t iar;
    __asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
    uint32_t intid = (uint32_t)iar & 0xffffff;
    if (intid == 27) {
        if (++timer_irqs < 3)
            timer_in_1ms();
        else
            __asm__ volatile("msr cntv_ctl_el0, xzr; isb");
    } else if (intid == SPI) {
        spi_irqs++;
    }
    __asm__ volatile("msr icc_eoir1_el1, %0; isb" : : "r"(iar));
}

static void gic_setup(void)
{
    w32(GICD + 0x0, 0); // GICD_CTLR off while configuring
    if ((r32(GICD + 0xffe8) & 0xf0) != 0x30 || !(r32(GICR + 0x8) & (1u << 4)))
        puts_("guest: not a GICv3 with one redistributor\n");
    w32(GICR + 0x14, 0); // GICR_WAKER: wake up
    while (r32(GICR + 0x14) & 4)
        ;
    w32(SGI + 0x80, ~0u);       // GICR_IGROUPR0: group 1
    w32(SGI + 0x100, 1u << 27); // GICR_ISENABLER0: the virtual timer
    w32(GICD + 0x80 + 4 * (SPI / 32), ~0u);
    *(volatile uint64_t *)(GICD + 0x6000 + 8 * SPI) = 0; // IROUTER: vCPU 0
    w32(GICD + 0x100 + 4 * (SPI / 32), 1u << (SPI % 32));
    w32(GICD + 0x0, 0x13); // ARE_NS | EnableGrp1A | EnableGrp1
    __asm__ volatile("msr icc_pmr_el1, %0; msr icc_igrpen1_el1, %1; isb"
                     :
                     : "r"(0xffull), "r"(1ull));
    __asm__ volatile("msr vbar_el1, %0; isb; msr daifclr, #2" : : "r"(guest_vectors));
}

void guest_main(void)
{
    puts_("guest: hello from EL1 inside a VM\n");
    puts_(fp_survives_trap(UART_FR) ? "guest: fp registers survive a trap\n"
                                    : "guest: fp registers were lost\n");
    puts_(psci(0x84000000) == 2 ? "guest: psci version 0.2\n" : "guest: bad psci version\n");
    gic_setup();
    timer_in_1ms();
    while (timer_irqs < 3)
        __asm__ volatile("wfi");
    puts_("guest: 3 virtual timer interrupts taken in WFI\n");
    puts_("guest: ready for spi\n");
    while (!spi_irqs)
        __asm__ volatile("wfi");
    puts_("guest: got the injected spi\n");
    psci(0x84000008); // SYSTEM_OFF
    puts_("guest: still running after SYSTEM_OFF?!\n");
}
