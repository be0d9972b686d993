// SPDX-License-Identifier: BSD-2-Clause
// Test glue for the net class, like tests/blk/blk_link.c: the YAML path
// lays out the net class for guests only, whose VMM side does not exist
// yet.  This program describes a native net system once (net_driver on
// QEMU's virtio-net-mmio, net_virt_rx, net_virt_tx, one copier per
// client, two test clients), writes it as OUT/net.system and links it with
// the configs the same structs sysgen fills (<sysgen/config.h>) through
// glue_link_file().
//
// Names, images, maps (addresses and rights) and channels are the ones
// `sysgen --plan-all-devices` gives the net class for systems/two_guests.yaml,
// with test PDs where the VMMs would be.  The NIC: QEMU fills virtio-mmio
// slots from the top, so with a disk first and the NIC second the NIC is in
// slot 30, registers 0x0a003c00 (in the page 0x0a003000), INTID 78.
//
// Usage: net_link OUT COMPONENTS
//        net_link --sdf SDF OUT COMPONENTS PD=DUMP...
// The second form links an SDF sysgen wrote (with the test clients in the
// VMMs' place) with the config bytes `sysgen --dump-config PD` printed
// into the file DUMP for each PD: sysgen's own layout, end to end.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>
#include <sysgen/net_queue.h>

#include "lib/link_glue.h"
#include "net_test.h"
#include "base/strbuf.h"

#define NIC_PAGE    0x0a003000ull
#define NIC_REGS    0x0a003c00ull
#define NIC_IRQ     78
#define DRV_DATA    0x200000ull
#define DRV_RX_PHYS 0x70000000ull // fixed: the driver gives them to the device for DMA
#define DRV_TX_PHYS 0x70200000ull
#define SW_DATA     (SG_NET_RING_SIZE * SG_NET_BUF_SIZE) // the switch's region
#define SW_Q_VA     0x21000000ull // in both virtualisers
#define SW_D_VA     0x21200000ull // in both virtualisers and the copiers
#define CLIENT_RX_Q 0x10000000ull // in each client, as in a VMM
#define CLIENT_RX_D 0x10200000ull
#define CLIENT_TX_Q 0x10400000ull
#define CLIENT_TX_D 0x10600000ull

static void map(struct strbuf *s, const char *mr, int i, uint64_t vaddr, const char *perms)
{
    char name[32];
    snprintf(name, sizeof(name), i < 0 ? "%s" : "%s%d", mr, i);
    sb_printf(s, "        <map mr=\"%s\" vaddr=\"0x%llx\" perms=\"%s\" />\n", name,
              (unsigned long long)vaddr, perms);
}

static void channel(struct strbuf *s, const char *a, int ida, const char *b, int idb)
{
    sb_printf(s, "    <channel><end pd=\"%s\" id=\"%d\" /><end pd=\"%s\" id=\"%d\" /></channel>\n",
              a, ida, b, idb);
}

// Read `sysgen --dump-config` output: hex bytes separated by white space.
static void *read_dump(const char *path, size_t *size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    enum { MAX = 8192 }; // every config struct is smaller
    uint8_t *b = malloc(MAX);
    size_t n = 0;
    unsigned v;
    while (b && n < MAX && fscanf(f, "%2x", &v) == 1)
        b[n++] = (uint8_t)v;
    fclose(f);
    *size = n;
    return n ? b : NULL;
}

static int link_dumps(int argc, char **argv)
{
    // net_link --sdf SDF OUT COMPONENTS PD=DUMP...
    struct link_pd_config cfg[SYSGEN_MAX_PDS];
    int n = 0;
    for (int i = 5; i < argc && n < SYSGEN_MAX_PDS; i++, n++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "net_link: want PD=DUMP, got %s\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        cfg[n].pd = argv[i];
        if (!(cfg[n].bytes = read_dump(eq + 1, &cfg[n].size))) {
            fprintf(stderr, "net_link: cannot read config bytes from %s\n", eq + 1);
            return 2;
        }
    }
    return glue_link_file(argv[2], argv[4], argv[3], cfg, (size_t)n);
}

int main(int argc, char **argv)
{
    if (argc >= 5 && !strcmp(argv[1], "--sdf"))
        return link_dumps(argc, argv);
    if (argc != 3) {
        fprintf(stderr, "usage: net_link OUT COMPONENTS\n");
        return 2;
    }
    const int n = NET_TEST_CLIENTS;
    struct strbuf s;
    sb_init(&s);
    sb_printf(&s,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<!-- Written by tests/net/net_link.c -->\n<system>\n"
              "    <memory_region name=\"nic_regs\" size=\"0x1000\" phys_addr=\"0x%llx\" />\n"
              "    <memory_region name=\"rx_drv_q\" size=\"0x1000\" />\n"
              "    <memory_region name=\"rx_drv_d\" size=\"0x%llx\" phys_addr=\"0x%llx\" />\n"
              "    <memory_region name=\"tx_drv_q\" size=\"0x1000\" />\n"
              "    <memory_region name=\"tx_drv_d\" size=\"0x%llx\" phys_addr=\"0x%llx\" />\n"
              "    <memory_region name=\"sw_q\" size=\"0x1000\" />\n"
              "    <memory_region name=\"sw_d\" size=\"0x%x\" />\n",
              NIC_PAGE, DRV_DATA, DRV_RX_PHYS, DRV_DATA, DRV_TX_PHYS, SW_DATA);
    for (int i = 0; i < n; i++)
        sb_printf(&s,
                  "    <memory_region name=\"rx_virt_q%d\" size=\"0x1000\" />\n"
                  "    <memory_region name=\"rx_q%d\" size=\"0x1000\" />\n"
                  "    <memory_region name=\"rx_d%d\" size=\"0x%x\" />\n"
                  "    <memory_region name=\"tx_q%d\" size=\"0x1000\" />\n"
                  "    <memory_region name=\"tx_d%d\" size=\"0x%x\" />\n",
                  i, i, i, NET_TEST_DATA, i, i, NET_TEST_DATA);

    sb_puts(&s,
            "    <protection_domain name=\"net_driver\" priority=\"230\">\n"
            "        <program_image path=\"net_driver_virtio.elf\" />\n"
            "        <map mr=\"nic_regs\" vaddr=\"0x20000000\" perms=\"rw\" cached=\"false\" />\n");
    map(&s, "rx_drv_q", -1, 0x20001000, "rw");
    map(&s, "rx_drv_d", -1, 0x20200000, "rw");
    map(&s, "tx_drv_q", -1, 0x20400000, "rw");
    map(&s, "tx_drv_d", -1, 0x20600000, "r");
    sb_printf(&s, "        <irq irq=\"%d\" id=\"0\" />\n    </protection_domain>\n", NIC_IRQ);

    sb_puts(&s, "    <protection_domain name=\"net_virt_rx\" priority=\"229\">\n"
                "        <program_image path=\"net_virt_rx.elf\" />\n");
    map(&s, "rx_drv_q", -1, 0x20000000, "rw");
    map(&s, "rx_drv_d", -1, 0x20200000, "r");
    for (int i = 0; i < n; i++)
        map(&s, "rx_virt_q", i, 0x20400000 + i * 0x1000, "rw");
    map(&s, "sw_q", -1, SW_Q_VA, "rw");
    map(&s, "sw_d", -1, SW_D_VA, "r");
    sb_puts(&s, "    </protection_domain>\n");

    sb_puts(&s, "    <protection_domain name=\"net_virt_tx\" priority=\"229\">\n"
                "        <program_image path=\"net_virt_tx.elf\" />\n");
    map(&s, "tx_drv_q", -1, 0x20000000, "rw");
    map(&s, "tx_drv_d", -1, 0x20200000, "rw");
    for (int i = 0; i < n; i++) {
        map(&s, "tx_q", i, 0x20400000 + i * 0x400000, "rw");
        map(&s, "tx_d", i, 0x20600000 + i * 0x400000, "r");
    }
    map(&s, "sw_q", -1, SW_Q_VA, "rw");
    map(&s, "sw_d", -1, SW_D_VA, "rw");
    sb_puts(&s, "    </protection_domain>\n");

    for (int i = 0; i < n; i++) {
        sb_printf(&s,
                  "    <protection_domain name=\"net_copy_client%d\" priority=\"228\">\n"
                  "        <program_image path=\"net_copy.elf\" />\n",
                  i);
        map(&s, "rx_virt_q", i, 0x20000000, "rw");
        map(&s, "rx_drv_d", -1, 0x20200000, "r");
        map(&s, "rx_q", i, 0x20400000, "rw");
        map(&s, "rx_d", i, 0x20600000, "rw");
        map(&s, "sw_d", -1, SW_D_VA, "r");
        sb_puts(&s, "    </protection_domain>\n");
    }
    for (int i = 0; i < n; i++) {
        sb_printf(&s,
                  "    <protection_domain name=\"client%d\" priority=\"%d\">\n"
                  "        <program_image path=\"tests/net_client.elf\" />\n",
                  i, 100 - i);
        map(&s, "rx_q", i, CLIENT_RX_Q, "rw");
        map(&s, "rx_d", i, CLIENT_RX_D, "r");
        map(&s, "tx_q", i, CLIENT_TX_Q, "rw");
        map(&s, "tx_d", i, CLIENT_TX_D, "rw");
        sb_puts(&s, "    </protection_domain>\n");
    }

    channel(&s, "net_driver", 1, "net_virt_rx", 0);
    channel(&s, "net_virt_tx", 0, "net_driver", 2);
    channel(&s, "net_virt_tx", 1 + n, "net_virt_rx", 1 + n);
    for (int i = 0; i < n; i++) {
        char copy[32], client[32];
        snprintf(copy, sizeof(copy), "net_copy_client%d", i);
        snprintf(client, sizeof(client), "client%d", i);
        channel(&s, "net_virt_rx", 1 + i, copy, 0);
        channel(&s, copy, 1, client, NET_TEST_CH_RX);
        channel(&s, client, NET_TEST_CH_TX, "net_virt_tx", 1 + i);
    }
    channel(&s, "client1", NET_TEST_CH_DONE, "client0", NET_TEST_CH_DONE);
    sb_puts(&s, "</system>\n");

    static struct sysgen_net_driver_config drv;
    static struct sysgen_net_virt_config vrx, vtx;
    static struct sysgen_net_copy_config cp[NET_TEST_CLIENTS];
    static struct sysgen_vmm_config vmm[NET_TEST_CLIENTS];
    glue_header(&drv.header, SYSGEN_KIND_NET_DRIVER, sizeof(drv), "net_driver");
    drv.nic = glue_device(0x20000000 + (NIC_REGS & 0xfff), NIC_REGS, 0x200, NIC_IRQ);
    drv.rx = glue_conn(0x20001000, 0x20200000, DRV_DATA, DRV_RX_PHYS, 1);
    drv.tx = glue_conn(0x20400000, 0x20600000, DRV_DATA, DRV_TX_PHYS, 2);
    glue_header(&vrx.header, SYSGEN_KIND_NET_VIRT_RX, sizeof(vrx), "net_virt_rx");
    vrx.driver = glue_conn(0x20000000, 0x20200000, DRV_DATA, DRV_RX_PHYS, 0);
    glue_header(&vtx.header, SYSGEN_KIND_NET_VIRT_TX, sizeof(vtx), "net_virt_tx");
    vtx.driver = glue_conn(0x20000000, 0x20200000, DRV_DATA, DRV_TX_PHYS, 0);
    vtx.local = glue_conn(SW_Q_VA, SW_D_VA, SW_DATA, 0, 1 + n);
    vrx.local = glue_conn(SW_Q_VA, SW_D_VA, SW_DATA, 0, 1 + n);
    vrx.num_clients = vtx.num_clients = n;
    struct link_pd_config cfg[3 + 2 * NET_TEST_CLIENTS] = {
        {"net_driver", &drv, sizeof(drv)},
        {"net_virt_rx", &vrx, sizeof(vrx)},
        {"net_virt_tx", &vtx, sizeof(vtx)},
    };
    static char copy_names[NET_TEST_CLIENTS][32], client_names[NET_TEST_CLIENTS][32];
    for (int i = 0; i < n; i++) {
        const uint8_t mac[6] = NET_TEST_MAC(i);
        // As sysgen: net_virt_rx's view of a client is its copier's queue
        // over the driver's rx data region.
        vrx.clients[i].conn =
            glue_conn(0x20400000 + i * 0x1000, 0x20200000, DRV_DATA, DRV_RX_PHYS, 1 + i);
        memcpy(vrx.clients[i].mac, mac, 6);
        vtx.clients[i].conn = glue_conn(0x20400000 + i * 0x400000, 0x20600000 + i * 0x400000,
                                        NET_TEST_DATA, 0, 1 + i);
        memcpy(vtx.clients[i].mac, mac, 6);
        snprintf(copy_names[i], sizeof(copy_names[i]), "net_copy_client%d", i);
        glue_header(&cp[i].header, SYSGEN_KIND_NET_COPY, sizeof(cp[i]), copy_names[i]);
        cp[i].virt = glue_conn(0x20000000, 0x20200000, DRV_DATA, DRV_RX_PHYS, 0);
        cp[i].client = glue_conn(0x20400000, 0x20600000, NET_TEST_DATA, 0, 1);
        cp[i].local = (struct sysgen_dma_memory){SW_D_VA, 0, SW_DATA};
        cfg[3 + i] = (struct link_pd_config){copy_names[i], &cp[i], sizeof(cp[i])};
        // The clients read what a VMM would: only the net fields and a peer
        // channel matter to them.
        snprintf(client_names[i], sizeof(client_names[i]), "client%d", i);
        glue_header(&vmm[i].header, SYSGEN_KIND_VMM, sizeof(vmm[i]), client_names[i]);
        memcpy(vmm[i].guest_name, client_names[i], strlen(client_names[i]) + 1);
        memcpy(vmm[i].mac, mac, 6);
        vmm[i].net_rx = glue_conn(CLIENT_RX_Q, CLIENT_RX_D, NET_TEST_DATA, 0, NET_TEST_CH_RX);
        vmm[i].net_tx = glue_conn(CLIENT_TX_Q, CLIENT_TX_D, NET_TEST_DATA, 0, NET_TEST_CH_TX);
        vmm[i].num_peers = 1;
        vmm[i].peers[0].ch = NET_TEST_CH_DONE;
        cfg[3 + n + i] = (struct link_pd_config){client_names[i], &vmm[i], sizeof(vmm[i])};
    }

    return glue_link(argv[1], "net.system", s.data, argv[2], cfg, 3 + 2 * NET_TEST_CLIENTS);
}
