// SPDX-License-Identifier: BSD-2-Clause
// The i.MX UART (i.MX6/7/8: "fsl,imx6q-uart"), register logic only:
// portable C over drivers/mmio.h, so that the same code runs in the
// MaaXBoard's serial driver PD, against QEMU's model of the same block
// (tests/imx/uart.c on mcimx7d-sabre) and against a host register model
// (tests/imx/host/test_imx_uart.c).  Interrupt driven both ways: received
// bytes raise RRDY; when the transmit FIFO fills with bytes still to
// send, the TX-ready interrupt is armed until they have all gone, so
// nothing waits on the FIFO.
#ifndef DRIVERS_SERIAL_IMX_UART_H
#define DRIVERS_SERIAL_IMX_UART_H

#include <stdbool.h>
#include <stdint.h>

struct imx_uart {
    volatile void *regs;
    bool tx_armed; // TRDYEN is on: bytes wait for room in the FIFO
    // Received bytes dropped: with a line error (framing, parity, break),
    // or lost in the hardware (FIFO overrun).
    uint32_t rx_errors, rx_overruns;
};

// The UBIR/UBMR pair and UFCR.RFDIV field for `baud` from a module clock
// of `clock_hz`: baud = clock / RFDIV / (16 * (UBMR + 1) / (UBIR + 1)).
// False if the rate cannot be made within 1%.
bool imx_uart_divisors(uint32_t clock_hz, uint32_t baud, uint32_t *ubir, uint32_t *ubmr);

// Take the UART over: with a clock and a baud rate, 8N1 at that rate and
// the FIFO trigger levels set afresh; with either 0, the line as firmware
// left it.  Receive interrupts on, transmit interrupt off.
void imx_uart_init(struct imx_uart *u, volatile void *regs, uint32_t clock_hz, uint32_t baud);

// Bytes to send come from `next` (false: no more for now).  A byte is only
// taken when the FIFO has room for it.  Returns true if `next` ran dry
// (the TX interrupt is then off), false if the FIFO filled (it is armed).
bool imx_uart_send(struct imx_uart *u, bool (*next)(void *ctx, char *c), void *ctx);

// Every byte waiting in the receive FIFO, good ones handed to `put`; a
// byte with a line error is dropped and counted.  Returns how many were
// handed on.
unsigned imx_uart_receive(struct imx_uart *u, void (*put)(void *ctx, char c), void *ctx);

#endif
