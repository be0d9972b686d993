// SPDX-License-Identifier: BSD-2-Clause
// The i.MX UART driver PD (serial_driver_imx.elf): hardware only, like
// the PL011's.  Bytes from the tx virtualiser go out as the FIFO takes
// them, the rest when the UART says it has room again (an interrupt, no
// waiting); received bytes go to the rx virtualiser.  The register logic
// is imx_uart.c.
#include "serial/imx/imx_uart.h"
#include "serial/serial_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_serial_driver_config config;

static struct imx_uart uart;
static struct sg_serial_ring tx, rx;
static bool ready;

static bool next_byte(void *ctx, char *c)
{
    return sg_serial_get(ctx, c);
}

// A full ring drops input, as a UART with no reader would.
static void put_byte(void *ctx, char c)
{
    sg_serial_put(ctx, c);
}

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_SERIAL_DRIVER, sizeof(config)) ||
        !serial_ring(&config.tx, &tx) || !serial_ring(&config.rx, &rx) || !config.uart.regs_vaddr ||
        config.uart.regs_size < 0xb8) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    imx_uart_init(&uart, (volatile void *)config.uart.regs_vaddr, config.uart.clock_hz,
                  config.baud);
    ready = true;
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    if (ch == config.uart.irq_ch) {
        if (imx_uart_receive(&uart, put_byte, &rx))
            microkit_notify(config.rx.ch);
        if (uart.tx_armed)
            imx_uart_send(&uart, next_byte, &tx);
        microkit_irq_ack(ch);
    } else if (ch == config.tx.ch) {
        imx_uart_send(&uart, next_byte, &tx);
    }
}
