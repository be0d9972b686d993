// SPDX-License-Identifier: BSD-2-Clause
// Test glue for the block class, like tests/runtime/serial_link.c: the
// YAML path only lays out block devices for guests, whose VMM side does
// not exist yet.  This program describes a native block system once
// (blk_driver on QEMU's virtio-blk-mmio, blk_virt, three test clients),
// writes it as OUT/blk.system and links it with the configs the same
// structs sysgen fills (<sysgen/config.h>) through link_sdf_file().
//
// client0 and client1 get partitions 1 and 2 of tests/blk/disk.yaml's
// disk; client2 claims partition 1 at the wrong start, which blk_virt must
// refuse.  The driver's data region is smaller than sysgen's 2 MiB so that
// the clients' bursts exhaust blk_virt's bounce space.  The addresses match what sysgen gives the
// block class on QEMU: with one virtio device, QEMU puts it in the last transport slot (31),
// registers 0x0a003e00, INTID 79.
// Usage: blk_link OUT COMPONENTS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/blk_queue.h>
#include <sysgen/config.h>

#include "blk_test.h"
#include "lib/link_glue.h"
#include "base/strbuf.h"

#define DISK_PAGE     0x0a003000ull
#define DISK_REGS     0x0a003e00ull
#define DISK_IRQ      79
#define DRV_DATA      0x80000ull    // small: 448 KiB of bounce space, bursts must wait
#define DRV_DATA_PHYS 0x70000000ull // fixed: the driver gives it to the device for DMA
#define DISK_PART1    0x100000ull   // tests/blk/disk.yaml: 1 MiB aligned, 2 MiB each
#define PART_SIZE     ((uint64_t)BLK_TEST_PART_SECTORS * SG_BLK_SECTOR)

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: blk_link OUT COMPONENTS\n");
        return 2;
    }
    struct strbuf s;
    sb_init(&s);
    sb_printf(&s,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<!-- Written by tests/blk/blk_link.c -->\n<system>\n"
              "    <memory_region name=\"disk_regs\" size=\"0x1000\" phys_addr=\"0x%llx\" />\n"
              "    <memory_region name=\"drv_q\" size=\"0x1000\" />\n"
              "    <memory_region name=\"drv_d\" size=\"0x%llx\" phys_addr=\"0x%llx\" />\n",
              DISK_PAGE, DRV_DATA, DRV_DATA_PHYS);
    for (int i = 0; i < BLK_TEST_CLIENTS; i++)
        sb_printf(&s,
                  "    <memory_region name=\"c%d_q\" size=\"0x1000\" />\n"
                  "    <memory_region name=\"c%d_d\" size=\"0x%x\" />\n",
                  i, i, BLK_TEST_CLIENT_DATA);
    sb_printf(
        &s,
        "    <protection_domain name=\"blk_driver\" priority=\"240\">\n"
        "        <program_image path=\"blk_driver_virtio.elf\" />\n"
        "        <map mr=\"disk_regs\" vaddr=\"0x20000000\" perms=\"rw\" cached=\"false\" />\n"
        "        <map mr=\"drv_q\" vaddr=\"0x20001000\" perms=\"rw\" />\n"
        "        <map mr=\"drv_d\" vaddr=\"0x20200000\" perms=\"rw\" />\n"
        "        <irq irq=\"%d\" id=\"0\" />\n"
        "    </protection_domain>\n"
        "    <protection_domain name=\"blk_virt\" priority=\"239\">\n"
        "        <program_image path=\"blk_virt.elf\" />\n"
        "        <map mr=\"drv_q\" vaddr=\"0x20000000\" perms=\"rw\" />\n"
        "        <map mr=\"drv_d\" vaddr=\"0x20200000\" perms=\"rw\" />\n",
        DISK_IRQ);
    for (int i = 0; i < BLK_TEST_CLIENTS; i++)
        sb_printf(&s,
                  "        <map mr=\"c%d_q\" vaddr=\"0x%x\" perms=\"rw\" />\n"
                  "        <map mr=\"c%d_d\" vaddr=\"0x%x\" perms=\"rw\" />\n",
                  i, 0x20400000 + i * 0x200000, i, 0x20500000 + i * 0x200000);
    sb_puts(&s, "    </protection_domain>\n");
    for (int i = 0; i < BLK_TEST_CLIENTS; i++)
        sb_printf(&s,
                  "    <protection_domain name=\"client%d\" priority=\"%d\">\n"
                  "        <program_image path=\"tests/blk_client.elf\" />\n"
                  "        <map mr=\"c%d_q\" vaddr=\"0x10000000\" perms=\"rw\" "
                  "setvar_vaddr=\"blk_queue\" />\n"
                  "        <map mr=\"c%d_d\" vaddr=\"0x10100000\" perms=\"rw\" "
                  "setvar_vaddr=\"blk_data\" />\n"
                  "    </protection_domain>\n",
                  i, 100 - i, i, i);
    sb_puts(&s, "    <channel><end pd=\"blk_virt\" id=\"0\" /><end pd=\"blk_driver\" id=\"1\" />"
                "</channel>\n");
    for (int i = 0; i < BLK_TEST_CLIENTS; i++)
        sb_printf(&s,
                  "    <channel><end pd=\"blk_virt\" id=\"%d\" /><end pd=\"client%d\" id=\"%d\" />"
                  "</channel>\n",
                  1 + i, i, BLK_TEST_CH_BLK);
    for (int i = 1; i < BLK_TEST_CLIENTS; i++)
        sb_printf(&s,
                  "    <channel><end pd=\"client%d\" id=\"%d\" /><end pd=\"client0\" id=\"%d\" />"
                  "</channel>\n",
                  i, BLK_TEST_CH_DONE, BLK_TEST_CH_DONE + i - 1);
    sb_puts(&s, "</system>\n");

    static struct sysgen_blk_driver_config drv;
    static struct sysgen_blk_virt_config virt;
    glue_header(&drv.header, SYSGEN_KIND_BLK_DRIVER, sizeof(drv), "blk_driver");
    drv.disk = glue_device(0x20000000 + (DISK_REGS & 0xfff), DISK_REGS, 0x200, DISK_IRQ);
    drv.virt = glue_conn(0x20001000, 0x20200000, DRV_DATA, DRV_DATA_PHYS, 1);
    glue_header(&virt.header, SYSGEN_KIND_BLK_VIRT, sizeof(virt), "blk_virt");
    virt.driver = glue_conn(0x20000000, 0x20200000, DRV_DATA, DRV_DATA_PHYS, 0);
    virt.num_clients = BLK_TEST_CLIENTS;
    for (uint32_t i = 0; i < BLK_TEST_CLIENTS; i++) {
        struct sysgen_blk_client *c = &virt.clients[i];
        c->conn = glue_conn(0x20400000 + i * 0x200000, 0x20500000 + i * 0x200000,
                            BLK_TEST_CLIENT_DATA, 0, 1 + i);
        c->partition = i == 1 ? 2 : 1;
        c->start = DISK_PART1 + (i == 1 ? PART_SIZE : 0);
        c->size = PART_SIZE;
    }
    virt.clients[2].start += 0x1000; // disagrees with the MBR: refused

    const struct link_pd_config cfg[] = {
        {"blk_driver", &drv, sizeof(drv)},
        {"blk_virt", &virt, sizeof(virt)},
    };
    return glue_link(argv[1], "blk.system", s.data, argv[2], cfg, 2);
}
