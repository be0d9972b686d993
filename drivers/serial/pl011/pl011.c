// SPDX-License-Identifier: BSD-2-Clause
// PL011 UART driver PD: hardware only.  Bytes from the tx virtualiser go
// out of the transmit FIFO; received bytes go to the rx virtualiser.  Which
// client a byte belongs to is the virtualisers' business, not the driver's.
#include "serial/serial_config.h"

#define UART_DR   0x00
#define UART_FR   0x18
#define UART_CR   0x30
#define UART_IMSC 0x38
#define UART_ICR  0x44
#define FR_RXFE   (1u << 4)
#define FR_TXFF   (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)
#define INT_RX    (1u << 4)
#define INT_RT    (1u << 6)

__attribute__((section(".sysgen_config"))) struct sysgen_serial_driver_config config;

static volatile uint32_t *regs;
static struct sg_serial_ring tx, rx;
static bool ready;

static uint32_t rd(unsigned off)
{
    return regs[off / 4];
}

static void wr(unsigned off, uint32_t v)
{
    regs[off / 4] = v;
}

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_SERIAL_DRIVER, sizeof(config)) ||
        !serial_ring(&config.tx, &tx) || !serial_ring(&config.rx, &rx) || !config.uart.regs_vaddr) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    regs = (volatile uint32_t *)config.uart.regs_vaddr;
    // Firmware (or QEMU) set baud rate, framing and FIFOs: keep them.  Even
    // rewriting LCR_H.FEN would flush the receive FIFO and lose early input.
    wr(UART_IMSC, INT_RX | INT_RT);
    wr(UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
    ready = true;
}

static void transmit(void)
{
    char c;
    // Busy-waiting on a full FIFO: QEMU never fills it; on hardware this
    // bounds output to the line rate, a TX interrupt would free the CPU.
    while (sg_serial_get(&tx, &c)) {
        while (rd(UART_FR) & FR_TXFF)
            ;
        wr(UART_DR, (uint8_t)c);
    }
}

static void receive(void)
{
    bool got = false;
    // Clear first, then drain: a byte arriving after the last read raises
    // the interrupt again.  The other order can clear a fresh byte's
    // interrupt and leave it stuck in the FIFO.
    wr(UART_ICR, INT_RX | INT_RT);
    while (!(rd(UART_FR) & FR_RXFE)) {
        char c = (char)(rd(UART_DR) & 0xff);
        got |= sg_serial_put(&rx, c); // a full ring drops input, as a UART would
    }
    if (got)
        microkit_notify(config.rx.ch);
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    if (ch == config.uart.irq_ch) {
        receive();
        microkit_irq_ack(ch);
    } else if (ch == config.tx.ch) {
        transmit();
    }
}
