// SPDX-License-Identifier: BSD-2-Clause
// The config ABI: what sysgen writes into each protection domain's
// `.sysgen_config` ELF section, and what that PD reads at init().
//
// Included by the host compiler (little-endian LP64) and by the aarch64
// components, so every field is fixed-width, every struct is padded by hand,
// and the static asserts at the bottom pin sizes and offsets on both sides.
// The generated include/<pd>.h files are the readable form of these bytes.
#ifndef SYSGEN_CONFIG_H
#define SYSGEN_CONFIG_H

#include <stdint.h>

#define SYSGEN_CONFIG_MAGIC   0x43475953u // "SYGC" read as little-endian bytes
#define SYSGEN_CONFIG_VERSION 3u
#define SYSGEN_CONFIG_SECTION ".sysgen_config"

#define SYSGEN_NAME_LEN    32 // PD and guest names, NUL-terminated
#define SYSGEN_MAX_CLIENTS 32 // clients of one virtualiser
#define SYSGEN_MAX_PEERS   31 // vsock peers of one guest

// Limits of the runtime that sysgen checks against (Microkit's numbers).
#define SYSGEN_MAX_PDS        63 // protection domains and vCPUs together
#define SYSGEN_MAX_CHANNEL_ID 61
#define SYSGEN_MAX_PRIORITY   254

enum sysgen_config_kind {
    SYSGEN_KIND_SERIAL_DRIVER = 1,
    SYSGEN_KIND_SERIAL_VIRT_TX = 2,
    SYSGEN_KIND_SERIAL_VIRT_RX = 3,
    SYSGEN_KIND_BLK_DRIVER = 4,
    SYSGEN_KIND_BLK_VIRT = 5,
    SYSGEN_KIND_NET_DRIVER = 6,
    SYSGEN_KIND_NET_VIRT_RX = 7,
    SYSGEN_KIND_NET_VIRT_TX = 8,
    SYSGEN_KIND_NET_COPY = 9,
    SYSGEN_KIND_VMM = 10,
};

// Leads every config: a component checks magic, version, kind and size
// before it trusts anything else.
struct sysgen_config_header {
    uint32_t magic;
    uint16_t version;
    uint16_t kind; // enum sysgen_config_kind
    uint32_t size; // of the whole config struct, header included
    uint32_t reserved;
    char pd_name[SYSGEN_NAME_LEN];
};

// A device this PD drives: its registers as mapped here, its interrupt,
// and the reference clock the board feeds it (for baud, SD card and MDIO
// clock dividers; 0: unknown, keep what firmware set).
struct sysgen_device {
    uint64_t regs_vaddr;
    uint64_t regs_paddr;
    uint64_t regs_size;
    uint32_t irq;    // GIC INTID
    uint32_t irq_ch; // channel id the IRQ arrives on
    uint32_t clock_hz;
    uint32_t reserved;
};

// One shared-memory connection to a peer PD: a queue region (rings of
// descriptors), the data region the descriptors point into, and the channel
// that signals the peer.  data_paddr is set where a device does DMA into it.
struct sysgen_conn {
    uint64_t queue_vaddr;
    uint64_t queue_size;
    uint64_t data_vaddr;
    uint64_t data_size;
    uint64_t data_paddr;
    uint32_t ch;
    uint32_t reserved;
};

struct sysgen_serial_driver_config {
    struct sysgen_config_header header;
    struct sysgen_device uart;
    struct sysgen_conn tx; // from serial_virt_tx
    struct sysgen_conn rx; // to serial_virt_rx
    uint32_t baud;         // 0: keep what firmware set
    uint32_t reserved;
};

struct sysgen_serial_client {
    struct sysgen_conn conn;
    char name[SYSGEN_NAME_LEN]; // shown as the prefix of this client's output
};

struct sysgen_serial_virt_config {
    struct sysgen_config_header header;
    struct sysgen_conn driver;
    uint32_t num_clients;
    uint8_t switch_char; // rx: this byte then a client index switches input
    uint8_t reserved[3];
    struct sysgen_serial_client clients[SYSGEN_MAX_CLIENTS];
};

struct sysgen_blk_driver_config {
    struct sysgen_config_header header;
    struct sysgen_device disk;
    struct sysgen_conn virt;
};

struct sysgen_blk_client {
    struct sysgen_conn conn;
    uint32_t partition; // MBR partition number, 1..4
    uint32_t reserved;
    uint64_t start; // bytes from the start of the disk (checked against the MBR)
    uint64_t size;  // bytes
};

struct sysgen_blk_virt_config {
    struct sysgen_config_header header;
    struct sysgen_conn driver;
    uint32_t num_clients;
    uint32_t reserved;
    struct sysgen_blk_client clients[SYSGEN_MAX_CLIENTS];
};

struct sysgen_mac {
    uint8_t addr[6];
};

// Memory a device's DMA reads and writes that is mapped uncached into
// its driver (descriptor rings of a device that does not see the CPU's
// caches); size 0: there is none.
struct sysgen_dma_memory {
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t size;
};

struct sysgen_net_driver_config {
    struct sysgen_config_header header;
    struct sysgen_device nic;
    struct sysgen_conn rx; // to net_virt_rx
    struct sysgen_conn tx; // from net_virt_tx
    uint32_t phy_addr;     // MDIO address of the NIC's PHY, where it has one
    uint32_t num_macs;
    // The unicast addresses the NIC's filter must let in: the guests'.
    // Broadcast and multicast always pass.
    struct sysgen_mac macs[SYSGEN_MAX_CLIENTS];
    struct sysgen_dma_memory rings; // where the board's NIC needs them
};

struct sysgen_net_client {
    struct sysgen_conn conn;
    uint8_t mac[6];
    uint8_t reserved[2];
    uint32_t reserved2[2];
};

// Both net virtualisers.  `driver`: the NIC's connection, all zero when the
// system has no uplink.  `local`: the switch's own connection, net_virt_tx
// to net_virt_rx, which carries frames from one guest to others in a data
// region of net_virt_tx's (read-only to net_virt_rx and the copiers).
struct sysgen_net_virt_config {
    struct sysgen_config_header header;
    struct sysgen_conn driver;
    struct sysgen_conn local;
    uint32_t num_clients;
    uint32_t reserved;
    struct sysgen_net_client clients[SYSGEN_MAX_CLIENTS];
};

struct sysgen_net_copy_config {
    struct sysgen_config_header header;
    struct sysgen_conn virt;          // from net_virt_rx, frames in the driver's rx region
    struct sysgen_conn client;        // to the guest's VMM
    struct sysgen_dma_memory local;   // the switch's frames (read-only here)
};

// A virtio-mmio transport inside the guest's physical address space.
struct sysgen_virtio_slot {
    uint64_t gpa;
    uint32_t irq;     // GIC INTID seen by the guest
    uint32_t present; // 0: the guest has no such device
};

struct sysgen_vsock_peer {
    uint32_t cid;
    uint32_t ch;
    uint64_t vaddr; // the pair's shared region as mapped in this VMM
    uint64_t size;
    uint32_t side; // 0 or 1: which half of the region this VMM writes
    uint32_t reserved;
};

struct sysgen_vmm_config {
    struct sysgen_config_header header;
    char guest_name[SYSGEN_NAME_LEN];
    uint64_t ram_vaddr; // guest RAM as mapped in the VMM
    uint64_t ram_gpa;   // guest RAM as the guest sees it
    uint64_t ram_size;
    uint64_t kernel_gpa;
    uint64_t dtb_gpa;
    uint64_t initrd_gpa;
    uint64_t initrd_size;
    uint32_t num_vcpus;
    uint32_t reserved;
    struct sysgen_virtio_slot console;
    struct sysgen_conn console_tx;
    struct sysgen_conn console_rx;
    struct sysgen_virtio_slot block;
    struct sysgen_conn block_conn;
    uint64_t block_capacity; // bytes of the guest's partition
    struct sysgen_virtio_slot net;
    uint8_t mac[6];
    uint8_t reserved2[2];
    struct sysgen_conn net_rx;
    struct sysgen_conn net_tx;
    struct sysgen_virtio_slot vsock;
    uint32_t cid;
    uint32_t num_peers;
    struct sysgen_vsock_peer peers[SYSGEN_MAX_PEERS];
};

#define SYSGEN_ASSERT_SIZE(type, n) _Static_assert(sizeof(type) == (n), #type " size")
#define SYSGEN_ASSERT_OFFSET(type, field, n)                                                       \
    _Static_assert(__builtin_offsetof(type, field) == (n), #type "." #field " offset")

SYSGEN_ASSERT_SIZE(struct sysgen_config_header, 48);
SYSGEN_ASSERT_SIZE(struct sysgen_device, 40);
SYSGEN_ASSERT_SIZE(struct sysgen_conn, 48);
SYSGEN_ASSERT_SIZE(struct sysgen_serial_driver_config, 48 + 40 + 48 * 2 + 8);
SYSGEN_ASSERT_SIZE(struct sysgen_serial_client, 80);
SYSGEN_ASSERT_SIZE(struct sysgen_serial_virt_config, 48 + 48 + 8 + 80 * SYSGEN_MAX_CLIENTS);
SYSGEN_ASSERT_SIZE(struct sysgen_blk_driver_config, 48 + 40 + 48);
SYSGEN_ASSERT_SIZE(struct sysgen_blk_client, 72);
SYSGEN_ASSERT_SIZE(struct sysgen_blk_virt_config, 48 + 48 + 8 + 72 * SYSGEN_MAX_CLIENTS);
SYSGEN_ASSERT_SIZE(struct sysgen_net_driver_config,
                   48 + 40 + 48 * 2 + 8 + 6 * SYSGEN_MAX_CLIENTS + 24);
SYSGEN_ASSERT_SIZE(struct sysgen_dma_memory, 24);
SYSGEN_ASSERT_SIZE(struct sysgen_mac, 6);
SYSGEN_ASSERT_SIZE(struct sysgen_net_client, 64);
SYSGEN_ASSERT_SIZE(struct sysgen_net_virt_config, 48 + 48 * 2 + 8 + 64 * SYSGEN_MAX_CLIENTS);
SYSGEN_ASSERT_SIZE(struct sysgen_net_copy_config, 48 + 48 * 2 + 24);
SYSGEN_ASSERT_SIZE(struct sysgen_virtio_slot, 16);
SYSGEN_ASSERT_SIZE(struct sysgen_vsock_peer, 32);
SYSGEN_ASSERT_OFFSET(struct sysgen_config_header, pd_name, 16);
SYSGEN_ASSERT_OFFSET(struct sysgen_conn, ch, 40);
SYSGEN_ASSERT_OFFSET(struct sysgen_vmm_config, ram_vaddr, 80);
SYSGEN_ASSERT_OFFSET(struct sysgen_vmm_config, console, 144);
SYSGEN_ASSERT_OFFSET(struct sysgen_vmm_config, block, 256);
SYSGEN_ASSERT_OFFSET(struct sysgen_vmm_config, net, 328);
SYSGEN_ASSERT_OFFSET(struct sysgen_vmm_config, vsock, 448);
SYSGEN_ASSERT_SIZE(struct sysgen_vmm_config, 472 + 32 * SYSGEN_MAX_PEERS);

#endif
