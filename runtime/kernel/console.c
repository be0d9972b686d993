// SPDX-License-Identifier: BSD-2-Clause
// Console output on the board's UART: a PL011 (QEMU virt) or an i.MX UART
// (MaaXBoard).  Polling on the FIFO-full flag: the kernel prints rarely,
// and never from a PD's timing path except for debug output it asked for.
#include <stdarg.h>
#include <stdint.h>
#include "console.h"
#include "lib/format.h"

#define PL011_DR   0x00
#define PL011_FR   0x18
#define PL011_TXFF (1u << 5)
#define IMX_UTXD   0x40
#define IMX_UTS    0xb4
#define IMX_TXFULL (1u << 4)

static volatile uint32_t *uart;
static uint32_t kind;

void console_init(const struct sg_bootinfo *bi)
{
    kind = bi->uart_kind;
    if (kind == SG_UART_PL011 || kind == SG_UART_IMX)
        uart = (volatile uint32_t *)bi->uart_base;
}

static void putc_raw(char c)
{
    if (!uart)
        return;
    if (kind == SG_UART_IMX) {
        while (uart[IMX_UTS / 4] & IMX_TXFULL)
            ;
        uart[IMX_UTXD / 4] = (uint8_t)c;
        return;
    }
    while (uart[PL011_FR / 4] & PL011_TXFF)
        ;
    uart[PL011_DR / 4] = (uint8_t)c;
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            putc_raw('\r');
        putc_raw(s[i]);
    }
}

static void put_console(void *ctx, char c)
{
    (void)ctx;
    console_write(&c, 1);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sg_vformat(put_console, 0, fmt, ap);
    va_end(ap);
}
