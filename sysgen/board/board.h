// SPDX-License-Identifier: BSD-2-Clause
// Boards are data: boards/<name>/board.yaml says where RAM, the UART, the
// GIC, the disk and the NIC are, and what every guest of that board sees.
// This module is the one place that reads it; the compiler's passes use
// `struct board`, the image linker gets its part through board_link.h.
#ifndef SYSGEN_BOARD_BOARD_H
#define SYSGEN_BOARD_BOARD_H

#include "base/diag.h"

#include <stdbool.h>
#include <stdint.h>

// A device the runtime drives natively (UART, disk controller, NIC).
struct board_device {
    bool present;
    char *driver;      // names the driver component: serial_driver_<driver>.elf, ...
    char *qemu_device; // how --run-qemu attaches it (QEMU boards only)
    uint64_t base, size;
    uint32_t irq;      // GIC INTID
    uint32_t clock_hz; // the reference clock the board feeds it; 0: unknown
    uint32_t baud;     // uart: its line rate; 0: keep what firmware set
    uint32_t phy;      // net: its PHY's MDIO address
    // net: uncached bytes for the descriptor rings of a NIC whose DMA does
    // not see the CPU's caches; 0: the NIC is coherent (or has no rings)
    uint64_t rings;
};

struct board {
    char *name;
    char *dir;  // where board.yaml lives: relative files resolve here
    char *file; // board.yaml itself (diagnostics point into it)
    uint64_t ram_base, ram_size;
    uint64_t runtime_size; // RAM kept for kernel, loader and the image in transit
    uint32_t gic_version;
    unsigned cores; // CPU cores the runtime may use (MPIDR Aff0 0..cores-1)
    uint64_t gicd_base, gicr_base;
    struct board_device uart, block, net;
    uint64_t disk_first_offset; // where the first partition may start
    // The board boots from its disk, a card: partition 1 is the boot
    // partition, and the bootloader (U-Boot's flash.bin) sits at
    // [bootloader_at, bootloader_end), which sysgen never writes unless
    // asked to (--bootloader).
    bool card;
    uint64_t bootloader_at, bootloader_end;
    // What every guest of this board sees.
    uint64_t guest_ram_base;
    uint64_t guest_virtio_base, guest_virtio_stride;
    uint32_t guest_virtio_count, guest_virtio_first_irq;
    char *guest_base_dts; // path
    // How --run-qemu starts it (empty for real hardware).
    char *qemu_machine, *qemu_cpu;
    uint64_t qemu_memory;
};

// Load the board called `name` from `data_dir`/boards/; NULL after errors
// (an unknown board is reported at `where`, listing the known ones).
struct board *board_load(const char *data_dir, const char *name, struct pos where);
void board_free(struct board *b);
// RAM the board leaves for guests and shared regions.
uint64_t board_pool_size(const struct board *b);

#endif
