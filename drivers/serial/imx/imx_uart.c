// SPDX-License-Identifier: BSD-2-Clause
// The i.MX UART's register logic: see imx_uart.h.  Register layout from
// the i.MX 8M Dual/Quad reference manual (UART chapter); the i.MX6/7
// blocks are the same.
#include "serial/imx/imx_uart.h"
#include "mmio.h"

#define URXD  0x00
#define UTXD  0x40
#define UCR1  0x80
#define UCR2  0x84
#define UCR3  0x88
#define UCR4  0x8c
#define UFCR  0x90
#define USR1  0x94
#define USR2  0x98
#define UBIR  0xa4
#define UBMR  0xa8
#define ONEMS 0xb0
#define UTS   0xb4

#define URXD_CHARRDY (1u << 15)
#define URXD_ERR     (1u << 14) // with OVRRUN, FRMERR, BRK or PRERR below
#define URXD_OVRRUN  (1u << 13)
#define URXD_DATA    0xffu

#define UCR1_UARTEN (1u << 0)
#define UCR1_RRDYEN (1u << 9)
#define UCR1_TRDYEN (1u << 13)

#define UCR2_SRST (1u << 0) // 1: not in reset
#define UCR2_RXEN (1u << 1)
#define UCR2_TXEN (1u << 2)
#define UCR2_WS   (1u << 5)  // 8-bit characters
#define UCR2_IRTS (1u << 14) // ignore RTS: no flow control on the console

#define UCR3_RXDMUXSEL (1u << 2) // must be set on i.MX6 and later

#define UFCR_RXTL_SHIFT  0
#define UFCR_RFDIV_SHIFT 7
#define UFCR_TXTL_SHIFT  10
#define UFCR_RFDIV_1     5u // reference clock = module clock
#define RXTL             1u // RRDY from the first byte
#define TXTL             2u // TRDY when fewer than 2 bytes are left to send

#define USR2_ORE (1u << 1)

#define UTS_TXFULL  (1u << 4)
#define UTS_RXEMPTY (1u << 5)

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bool imx_uart_divisors(uint32_t clock_hz, uint32_t baud, uint32_t *ubir, uint32_t *ubmr)
{
    if (!clock_hz || !baud || (uint64_t)baud * 16 > clock_hz)
        return false;
    // (UBIR + 1) / (UBMR + 1) = 16 * baud / clock, in lowest terms, then
    // scaled down to the registers' 16 bits if it must be.
    uint64_t num = 16ull * baud, den = clock_hz, g = gcd(num, den);
    num /= g;
    den /= g;
    while (num > 0x10000 || den > 0x10000) {
        num = (num + 1) / 2;
        den = (den + 1) / 2;
    }
    if (!num)
        return false;
    uint64_t got = (uint64_t)clock_hz * num / (16 * den);
    uint64_t diff = got > baud ? got - baud : baud - got;
    if (diff * 100 > baud)
        return false;
    *ubir = (uint32_t)num - 1;
    *ubmr = (uint32_t)den - 1;
    return true;
}

void imx_uart_init(struct imx_uart *u, volatile void *regs, uint32_t clock_hz, uint32_t baud)
{
    uint32_t ubir, ubmr;
    u->regs = regs;
    u->tx_armed = false;
    u->rx_errors = u->rx_overruns = 0;
    if (imx_uart_divisors(clock_hz, baud, &ubir, &ubmr)) {
        mmio_write32(regs, UCR2, UCR2_SRST | UCR2_IRTS | UCR2_WS);
        mmio_write32(regs, UFCR,
                     TXTL << UFCR_TXTL_SHIFT | UFCR_RFDIV_1 << UFCR_RFDIV_SHIFT |
                         RXTL << UFCR_RXTL_SHIFT);
        mmio_set32(regs, UCR3, UCR3_RXDMUXSEL);
        mmio_write32(regs, UBIR, ubir); // UBMR's write takes both in
        mmio_write32(regs, UBMR, ubmr);
        mmio_write32(regs, ONEMS, clock_hz / 1000);
    } else {
        // Keep the line firmware set up, but trigger levels are ours: an
        // RRDY for the first byte, a TRDY before the FIFO runs empty.
        uint32_t ufcr = mmio_read32(regs, UFCR) & (7u << UFCR_RFDIV_SHIFT);
        mmio_write32(regs, UFCR, ufcr | TXTL << UFCR_TXTL_SHIFT | RXTL << UFCR_RXTL_SHIFT);
    }
    mmio_set32(regs, UCR2, UCR2_SRST | UCR2_RXEN | UCR2_TXEN);
    mmio_write32(regs, UCR1, UCR1_UARTEN | UCR1_RRDYEN);
}

bool imx_uart_send(struct imx_uart *u, bool (*next)(void *ctx, char *c), void *ctx)
{
    char c;
    for (;;) {
        if (mmio_read32(u->regs, UTS) & UTS_TXFULL) {
            if (!u->tx_armed)
                mmio_set32(u->regs, UCR1, UCR1_TRDYEN);
            u->tx_armed = true;
            return false;
        }
        if (!next(ctx, &c))
            break;
        mmio_write32(u->regs, UTXD, (uint8_t)c);
    }
    if (u->tx_armed)
        mmio_clear32(u->regs, UCR1, UCR1_TRDYEN);
    u->tx_armed = false;
    return true;
}

unsigned imx_uart_receive(struct imx_uart *u, void (*put)(void *ctx, char c), void *ctx)
{
    unsigned n = 0;
    // Each read of URXD takes one byte from the FIFO; RRDY falls with the
    // level, so reading until empty also quiets the interrupt.
    while (!(mmio_read32(u->regs, UTS) & UTS_RXEMPTY)) {
        uint32_t r = mmio_read32(u->regs, URXD);
        if (!(r & URXD_CHARRDY))
            break;
        if (r & URXD_ERR) {
            u->rx_errors++;
            continue;
        }
        put(ctx, (char)(r & URXD_DATA));
        n++;
    }
    if (mmio_read32(u->regs, USR2) & USR2_ORE) {
        u->rx_overruns++;
        mmio_write32(u->regs, USR2, USR2_ORE); // write 1 to clear
    }
    return n;
}
