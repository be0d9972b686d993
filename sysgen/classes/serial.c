// SPDX-License-Identifier: BSD-2-Clause
// The serial class, a guest's console: the board's UART driver, a
// transmit virtualiser that tags and merges every guest's output, a
// receive virtualiser that routes input to one guest (switched with
// Ctrl-\ and the guest's index), and per guest a ring each way between
// its VMM and the virtualisers.
#include "base/array.h"
#include "base/strbuf.h"
#include "classes/class.h"
#include "front/schema.h"

#include <stdio.h>
#include <stdlib.h>

#define SERIAL_DATA_SIZE   (4 * KiB)
#define SERIAL_SWITCH_CHAR 0x1c // Ctrl-backslash

enum { DRIVER, VIRT_TX, VIRT_RX };

static const struct class_pd serial_pds[] = {
    [DRIVER] = {"serial_driver", "serial_driver_%s.elf", 250, SYSGEN_KIND_SERIAL_DRIVER,
                sizeof(struct sysgen_serial_driver_config)},
    [VIRT_TX] = {"serial_virt_tx", "serial_virt_tx.elf", 249, SYSGEN_KIND_SERIAL_VIRT_TX,
                 sizeof(struct sysgen_serial_virt_config)},
    [VIRT_RX] = {"serial_virt_rx", "serial_virt_rx.elf", 249, SYSGEN_KIND_SERIAL_VIRT_RX,
                 sizeof(struct sysgen_serial_virt_config)},
};

static const struct board_device *uart_of(const struct board *b)
{
    return &b->uart;
}

static void build(struct builder *b, struct pd *const *pds)
{
    struct pos pos = b->sys->board_pos;
    struct sysgen_serial_driver_config *dc = pds[DRIVER]->config;
    struct sysgen_serial_virt_config *tc = pds[VIRT_TX]->config, *rc = pds[VIRT_RX]->config;
    device_config(b, pds[DRIVER], "uart_regs", &b->sys->board->uart, &dc->uart);
    connect(b, pds[VIRT_TX], pds[DRIVER], "serial_tx_driver", SERIAL_DATA_SIZE, ONE_WAY, pos,
            &tc->driver, &dc->tx);
    connect(b, pds[DRIVER], pds[VIRT_RX], "serial_rx_driver", SERIAL_DATA_SIZE, ONE_WAY, pos,
            &dc->rx, &rc->driver);
    tc->switch_char = rc->switch_char = SERIAL_SWITCH_CHAR;
    dc->baud = b->sys->board->uart.baud;
}

// The guest is the next client of both virtualisers, named for its output.
static void connect_guest(struct builder *b, struct guest *g, struct pd *vmm,
                          struct pd *const *pds, struct pd *own)
{
    (void)own;
    struct sysgen_vmm_config *vc = vmm->config;
    struct sysgen_serial_virt_config *tc = pds[VIRT_TX]->config, *rc = pds[VIRT_RX]->config;
    struct sysgen_serial_client *tcl = &tc->clients[tc->num_clients++];
    struct sysgen_serial_client *rcl = &rc->clients[rc->num_clients++];
    struct pos pos = g->dev[CLASS_CONSOLE].pos;
    char *tx = xasprintf("serial_tx_%s", g->name), *rx = xasprintf("serial_rx_%s", g->name);
    set_slot(b->sys->board, CLASS_CONSOLE, &vc->console);
    connect(b, vmm, pds[VIRT_TX], tx, SERIAL_DATA_SIZE, ONE_WAY, pos, &vc->console_tx, &tcl->conn);
    connect(b, pds[VIRT_RX], vmm, rx, SERIAL_DATA_SIZE, ONE_WAY, pos, &rcl->conn, &vc->console_rx);
    snprintf(tcl->name, sizeof(tcl->name), "%s", g->name);
    snprintf(rcl->name, sizeof(rcl->name), "%s", g->name);
    free(tx);
    free(rx);
}

const struct device_class class_serial = {
    .id = CLASS_CONSOLE,
    .key = "console",
    .schema = &schema_console,
    .board_device = uart_of,
    .board_device_name = "UART",
    .max_clients = SYSGEN_MAX_CLIENTS,
    .pds = serial_pds,
    .npds = ARRAY_LEN(serial_pds),
    .vmm_channels = 2,
    .build = build,
    .connect = connect_guest,
};
