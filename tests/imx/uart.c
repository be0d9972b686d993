// SPDX-License-Identifier: BSD-2-Clause
// The i.MX UART driver's register logic (drivers/serial/imx/imx_uart.c)
// against QEMU's own model of the block, UART1 of mcimx7d-sabre (the same
// UART, at the same address, as the MaaXBoard's console).  Output goes to
// QEMU's serial port, which the suite reads back; the suite feeds
// UART_INPUT to it.  QEMU ignores the baud registers but keeps what is
// written to UFCR, UBMR and ONEMS, so they are read back here.
#include "harness.h"
#include "serial/imx/imx_uart.h"

#define UART1      0x30860000u
#define UCR1       0x80
#define UCR2       0x84
#define UFCR       0x90
#define USR1       0x94
#define UBMR       0xa8
#define ONEMS      0xb0
#define USR1_RRDY  (1u << 9)
#define UART_INPUT "sysgen-uart-input\n" // what tests/suites/34-imx.sh sends
#define MESSAGE    "i.MX UART driver: hello from the register logic\n"

static uint32_t reg(uint32_t off)
{
    return *(volatile uint32_t *)(UART1 + off);
}

struct source {
    const char *s;
};

static bool next(void *ctx, char *c)
{
    struct source *src = ctx;
    if (!*src->s)
        return false;
    *c = *src->s++;
    return true;
}

struct sink {
    char buf[64];
    unsigned n;
};

static void put(void *ctx, char c)
{
    struct sink *s = ctx;
    if (s->n < sizeof(s->buf) - 1)
        s->buf[s->n++] = c;
}

int main(void);

int main(void)
{
    struct imx_uart u;
    imx_uart_init(&u, (volatile void *)UART1, 25000000, 115200);
    uint32_t ufcr = reg(UFCR);
    h_ok(((ufcr >> 7) & 7) == 5 && (ufcr >> 10) == 2 && (ufcr & 0x3f) == 1,
         "init: UFCR = RFDIV /1, TXTL 2, RXTL 1 (0x%x)", (unsigned)ufcr);
    h_ok(reg(UBMR) == 15624 && reg(ONEMS) == 25000,
         "init: 115200 baud from 25 MHz: UBMR 15624 (UBIR 1151), ONEMS 25000 (UBMR %u, ONEMS %u)",
         (unsigned)reg(UBMR), (unsigned)reg(ONEMS));
    h_ok((reg(UCR1) & 0x2201) == 0x201, "init: UART on, receive interrupt on, transmit off");
    h_ok((reg(UCR2) & 7) == 7, "init: receiver and transmitter on, out of reset");

    struct source src = {MESSAGE};
    h_ok(imx_uart_send(&u, next, &src) && !u.tx_armed && !*src.s,
         "send: the whole message goes, the transmit interrupt stays off");

    // Input arrives as QEMU's model takes it (one byte at a time).
    struct sink in = {.n = 0};
    bool rrdy = false;
    uint64_t end = h_now() + 2000000 * h_ticks_per_us();
    while (in.n < sizeof(UART_INPUT) - 1 && h_now() < end) {
        rrdy |= (reg(USR1) & USR1_RRDY) != 0;
        imx_uart_receive(&u, put, &in);
    }
    in.buf[in.n] = '\0';
    h_ok(h_memcmp(in.buf, UART_INPUT, sizeof(UART_INPUT)) == 0,
         "receive: the %u bytes sent to the UART arrive in order, no errors (got %u)",
         (unsigned)sizeof(UART_INPUT) - 1, in.n);
    h_ok(rrdy, "receive: waiting input raises RRDY, the receive interrupt's source");
    h_ok(!(reg(USR1) & USR1_RRDY) && u.rx_errors == 0,
         "receive: drained, RRDY is down again (no interrupt left pending)");
    return h_done();
}
