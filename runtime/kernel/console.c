// SPDX-License-Identifier: BSD-2-Clause
// Console output on the board's UART: a PL011 (QEMU virt) or an i.MX UART
// (MaaXBoard).  Polling on the FIFO-full flag: the kernel prints rarely,
// and never from a PD's timing path except for debug output it asked for.
#include <stdarg.h>
#include <stdint.h>
#include "console.h"

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

static void put_num(uint64_t v, unsigned base, int neg)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[i++] = '-';
    while (i--)
        putc_raw(buf[i]);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            console_write(p, 1);
            continue;
        }
        p++;
        int is_long = 0;
        while (*p == 'l') {
            is_long = 1;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s)
                console_write(s++, 1);
            break;
        }
        case 'c':
            putc_raw((char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0);
            break;
        }
        case 'u':
            put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0);
            break;
        case 'x':
            put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0);
            break;
        case 'p':
            console_write("0x", 2);
            put_num((uintptr_t)va_arg(ap, void *), 16, 0);
            break;
        case '%':
            putc_raw('%');
            break;
        default:
            putc_raw('?');
            break;
        }
    }
    va_end(ap);
}
