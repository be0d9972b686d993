// SPDX-License-Identifier: BSD-2-Clause
// Test glue: the serial components need configs, which only the YAML path
// produces, and that path needs guests.  This program describes a small
// serial system once (driver, tx and rx virtualisers, two test clients),
// writes it as OUT/serial.system and links it with the matching configs
// through link_sdf_file(), as the YAML path does.
// Usage: serial_link OUT COMPONENTS
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

#include "lib/link_glue.h"
#include "base/strbuf.h"

enum { DRV, TX, RX, C0, C1, NPD };
static const char *const names[NPD] = {"serial_driver", "serial_virt_tx", "serial_virt_rx",
                                       "client0", "client1"};
static const char *const images[NPD] = {"serial_driver_pl011.elf", "serial_virt_tx.elf",
                                        "serial_virt_rx.elf", "tests/serial_client.elf",
                                        "tests/serial_client.elf"};
// client0 above client1: it answers its input before client1 ends the run.
static const int prio[NPD] = {250, 249, 249, 110, 100};

struct conn {
    const char *name;
    int producer, consumer;
    const char *setvar_q, *setvar_d; // on the client's map, if a client is one end
    struct sysgen_conn p, c;         // each side's view
};

static struct conn conns[] = {
    {"tx_drv", TX, DRV, NULL, NULL, {0}, {0}},
    {"rx_drv", DRV, RX, NULL, NULL, {0}, {0}},
    {"tx_c0", C0, TX, "tx_queue", "tx_data", {0}, {0}},
    {"tx_c1", C1, TX, "tx_queue", "tx_data", {0}, {0}},
    {"rx_c0", RX, C0, "rx_queue", "rx_data", {0}, {0}},
    {"rx_c1", RX, C1, "rx_queue", "rx_data", {0}, {0}},
};
#define NCONN (sizeof(conns) / sizeof(conns[0]))

static struct strbuf pd_body[NPD];

static void map(int pd, const char *mr, uint64_t va, bool cached, const char *setvar)
{
    sb_printf(&pd_body[pd], "        <map mr=\"%s\" vaddr=\"0x%llx\" perms=\"rw\" cached=\"%s\"",
              mr, (unsigned long long)va, cached ? "true" : "false");
    if (setvar && (pd == C0 || pd == C1))
        sb_printf(&pd_body[pd], " setvar_vaddr=\"%s\"", setvar);
    sb_puts(&pd_body[pd], " />\n");
}

static void side(struct sysgen_conn *v, int pd, const struct conn *c, uint32_t *next_ch,
                 uint64_t *next_va)
{
    v->ch = next_ch[pd]++;
    v->queue_vaddr = next_va[pd];
    v->data_vaddr = next_va[pd] + 0x1000;
    v->queue_size = v->data_size = 0x1000;
    next_va[pd] += 0x2000;
    char *q = xasprintf("%s_q", c->name), *d = xasprintf("%s_d", c->name);
    map(pd, q, v->queue_vaddr, true, c->setvar_q);
    map(pd, d, v->data_vaddr, true, c->setvar_d);
    free(q);
    free(d);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: serial_link OUT COMPONENTS\n");
        return 2;
    }
    uint32_t next_ch[NPD] = {1, 1, 1, 1, 1}; // id 0 of the driver is the UART irq
    uint64_t next_va[NPD] = {0x10000000, 0x10000000, 0x10000000, 0x10000000, 0x10000000};
    struct strbuf sdf;
    sb_init(&sdf);
    for (int i = 0; i < NPD; i++)
        sb_init(&pd_body[i]);
    sb_puts(&sdf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<!-- Written by tests/runtime/serial_link.c -->\n<system>\n"
                  "    <memory_region name=\"uart\" size=\"0x1000\" phys_addr=\"0x9000000\" />\n");
    for (size_t i = 0; i < NCONN; i++)
        sb_printf(&sdf,
                  "    <memory_region name=\"%s_q\" size=\"0x1000\" />\n"
                  "    <memory_region name=\"%s_d\" size=\"0x1000\" />\n",
                  conns[i].name, conns[i].name);
    map(DRV, "uart", 0x20000000, false, NULL);
    sb_puts(&pd_body[DRV], "        <irq irq=\"33\" id=\"0\" />\n");
    for (size_t i = 0; i < NCONN; i++) {
        side(&conns[i].p, conns[i].producer, &conns[i], next_ch, next_va);
        side(&conns[i].c, conns[i].consumer, &conns[i], next_ch, next_va);
    }
    for (int i = 0; i < NPD; i++)
        sb_printf(&sdf,
                  "    <protection_domain name=\"%s\" priority=\"%d\">\n"
                  "        <program_image path=\"%s\" />\n%s    </protection_domain>\n",
                  names[i], prio[i], images[i], pd_body[i].data ? pd_body[i].data : "");
    for (size_t i = 0; i < NCONN; i++)
        sb_printf(&sdf,
                  "    <channel>\n        <end pd=\"%s\" id=\"%u\" />\n"
                  "        <end pd=\"%s\" id=\"%u\" />\n    </channel>\n",
                  names[conns[i].producer], conns[i].p.ch, names[conns[i].consumer], conns[i].c.ch);
    sb_puts(&sdf, "</system>\n");

    static struct sysgen_serial_driver_config drv;
    static struct sysgen_serial_virt_config tx, rx;
    glue_header(&drv.header, SYSGEN_KIND_SERIAL_DRIVER, sizeof(drv), names[DRV]);
    drv.uart = glue_device(0x20000000, 0x9000000, 0x1000, 33);
    drv.tx = conns[0].c;
    drv.rx = conns[1].p;
    glue_header(&tx.header, SYSGEN_KIND_SERIAL_VIRT_TX, sizeof(tx), names[TX]);
    glue_header(&rx.header, SYSGEN_KIND_SERIAL_VIRT_RX, sizeof(rx), names[RX]);
    tx.driver = conns[0].p;
    rx.driver = conns[1].c;
    tx.num_clients = rx.num_clients = 2;
    tx.switch_char = rx.switch_char = 0x1c;
    for (int i = 0; i < 2; i++) {
        tx.clients[i].conn = conns[2 + i].c;
        rx.clients[i].conn = conns[4 + i].p;
        strcpy(tx.clients[i].name, names[C0 + i]);
        strcpy(rx.clients[i].name, names[C0 + i]);
    }

    const struct link_pd_config cfg[] = {
        {"serial_driver", &drv, sizeof(drv)},
        {"serial_virt_tx", &tx, sizeof(tx)},
        {"serial_virt_rx", &rx, sizeof(rx)},
    };
    return glue_link(argv[1], "serial.system", sdf.data, argv[2], cfg, 3);
}
