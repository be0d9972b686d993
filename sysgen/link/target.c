// SPDX-License-Identifier: BSD-2-Clause
// The board as the kernel sees it: the board's data plus the facts that
// are architecture or kernel policy.
#include "link/linker.h"

#include <string.h>
#include <sysgen/bootinfo.h>

#define SCHED_IRQ    26      // EL2 physical timer PPI (Arm BSA/SBSA)
#define TIMESLICE_US 5000

static uint32_t uart_kind_of(const char *driver)
{
    if (driver && strcmp(driver, "pl011") == 0)
        return SG_UART_PL011;
    if (driver && strcmp(driver, "imx") == 0)
        return SG_UART_IMX;
    return SG_UART_NONE; // the kernel stays silent; PDs still run
}

struct target target_of(const struct link_board *b)
{
    return (struct target){
        .name = b->name,
        .ram_base = b->ram_base,
        .ram_size = b->ram_size,
        .uart_base = b->uart_base,
        .uart_kind = uart_kind_of(b->uart_driver),
        .uart_irq = b->uart_irq,
        .gicd_base = b->gicd_base,
        .gicd_size = SG_GICD_SIZE,
        .gicr_base = b->gicr_base,
        .gicr_size = (uint64_t)(b->cores ? b->cores : 1) * SG_GICR_FRAME,
        .sched_irq = SCHED_IRQ,
        .timeslice_us = TIMESLICE_US,
        .cores = b->cores ? b->cores : 1,
    };
}

bool in_ram(const struct target *t, uint64_t addr, uint64_t size)
{
    return addr >= t->ram_base && size <= t->ram_size && addr - t->ram_base <= t->ram_size - size;
}
