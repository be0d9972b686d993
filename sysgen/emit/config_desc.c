// SPDX-License-Identifier: BSD-2-Clause
#include "emit/config_desc.h"

#include <sysgen/config.h>

// clang-format off
#define FIELD(T, f, type) {#f, offsetof(T, f), type, 0, NULL}
#define STR(T, f)         {#f, offsetof(T, f), F_STR, sizeof(((T *)0)->f), NULL}
#define SUB(T, f, d)      {#f, offsetof(T, f), F_STRUCT, 0, &d}
#define ARR(T, f, d)      {#f, offsetof(T, f), F_ARRAY, sizeof(((T *)0)->f) / sizeof(((T *)0)->f[0]), &d}
// clang-format on
#define TYPE(var, T, ...)                                                                          \
    static const struct field_desc var##_fields[] = {__VA_ARGS__};                                 \
    static const struct type_desc var = {#T, sizeof(T), var##_fields,                              \
                                         sizeof(var##_fields) / sizeof(var##_fields[0])}

typedef struct sysgen_config_header header_t;
typedef struct sysgen_device device_t;
typedef struct sysgen_conn conn_t;
typedef struct sysgen_serial_client serial_client_t;
typedef struct sysgen_blk_client blk_client_t;
typedef struct sysgen_net_client net_client_t;
typedef struct sysgen_virtio_slot slot_t;
typedef struct sysgen_vsock_peer peer_t;
typedef struct sysgen_mac mac_t;
typedef struct sysgen_dma_memory dma_t;

TYPE(header_d, struct sysgen_config_header, FIELD(header_t, magic, F_HEX32),
     FIELD(header_t, version, F_U16), FIELD(header_t, kind, F_KIND), FIELD(header_t, size, F_U32),
     STR(header_t, pd_name));
TYPE(device_d, struct sysgen_device, FIELD(device_t, regs_vaddr, F_U64),
     FIELD(device_t, regs_paddr, F_U64), FIELD(device_t, regs_size, F_U64),
     FIELD(device_t, irq, F_U32), FIELD(device_t, irq_ch, F_U32),
     FIELD(device_t, clock_hz, F_U32));
TYPE(conn_d, struct sysgen_conn, FIELD(conn_t, queue_vaddr, F_U64),
     FIELD(conn_t, queue_size, F_U64), FIELD(conn_t, data_vaddr, F_U64),
     FIELD(conn_t, data_size, F_U64), FIELD(conn_t, data_paddr, F_U64), FIELD(conn_t, ch, F_U32));
TYPE(serial_client_d, struct sysgen_serial_client, SUB(serial_client_t, conn, conn_d),
     STR(serial_client_t, name));
TYPE(blk_client_d, struct sysgen_blk_client, SUB(blk_client_t, conn, conn_d),
     FIELD(blk_client_t, partition, F_U32), FIELD(blk_client_t, start, F_U64),
     FIELD(blk_client_t, size, F_U64));
TYPE(net_client_d, struct sysgen_net_client, SUB(net_client_t, conn, conn_d),
     FIELD(net_client_t, mac, F_MAC));
TYPE(mac_d, struct sysgen_mac, FIELD(mac_t, addr, F_MAC));
TYPE(dma_d, struct sysgen_dma_memory, FIELD(dma_t, vaddr, F_U64), FIELD(dma_t, paddr, F_U64),
     FIELD(dma_t, size, F_U64));
TYPE(slot_d, struct sysgen_virtio_slot, FIELD(slot_t, gpa, F_U64), FIELD(slot_t, irq, F_U32),
     FIELD(slot_t, present, F_U32));
TYPE(peer_d, struct sysgen_vsock_peer, FIELD(peer_t, cid, F_U32), FIELD(peer_t, ch, F_U32),
     FIELD(peer_t, vaddr, F_U64), FIELD(peer_t, size, F_U64), FIELD(peer_t, side, F_U32));

typedef struct sysgen_serial_driver_config serial_driver_t;
typedef struct sysgen_serial_virt_config serial_virt_t;
typedef struct sysgen_blk_driver_config blk_driver_t;
typedef struct sysgen_blk_virt_config blk_virt_t;
typedef struct sysgen_net_driver_config net_driver_t;
typedef struct sysgen_net_virt_config net_virt_t;
typedef struct sysgen_net_copy_config net_copy_t;
typedef struct sysgen_vmm_config vmm_t;

TYPE(serial_driver_d, struct sysgen_serial_driver_config, SUB(serial_driver_t, header, header_d),
     SUB(serial_driver_t, uart, device_d), SUB(serial_driver_t, tx, conn_d),
     SUB(serial_driver_t, rx, conn_d), FIELD(serial_driver_t, baud, F_U32));
TYPE(serial_virt_d, struct sysgen_serial_virt_config, SUB(serial_virt_t, header, header_d),
     SUB(serial_virt_t, driver, conn_d), FIELD(serial_virt_t, num_clients, F_U32),
     FIELD(serial_virt_t, switch_char, F_U8), ARR(serial_virt_t, clients, serial_client_d));
TYPE(blk_driver_d, struct sysgen_blk_driver_config, SUB(blk_driver_t, header, header_d),
     SUB(blk_driver_t, disk, device_d), SUB(blk_driver_t, virt, conn_d));
TYPE(blk_virt_d, struct sysgen_blk_virt_config, SUB(blk_virt_t, header, header_d),
     SUB(blk_virt_t, driver, conn_d), FIELD(blk_virt_t, num_clients, F_U32),
     ARR(blk_virt_t, clients, blk_client_d));
TYPE(net_driver_d, struct sysgen_net_driver_config, SUB(net_driver_t, header, header_d),
     SUB(net_driver_t, nic, device_d), SUB(net_driver_t, rx, conn_d),
     SUB(net_driver_t, tx, conn_d), FIELD(net_driver_t, phy_addr, F_U32),
     FIELD(net_driver_t, num_macs, F_U32), ARR(net_driver_t, macs, mac_d),
     SUB(net_driver_t, rings, dma_d));
TYPE(net_virt_d, struct sysgen_net_virt_config, SUB(net_virt_t, header, header_d),
     SUB(net_virt_t, driver, conn_d), SUB(net_virt_t, local, conn_d),
     FIELD(net_virt_t, num_clients, F_U32),
     ARR(net_virt_t, clients, net_client_d));
TYPE(net_copy_d, struct sysgen_net_copy_config, SUB(net_copy_t, header, header_d),
     SUB(net_copy_t, virt, conn_d), SUB(net_copy_t, client, conn_d),
     SUB(net_copy_t, local, dma_d));
TYPE(vmm_d, struct sysgen_vmm_config, SUB(vmm_t, header, header_d), STR(vmm_t, guest_name),
     FIELD(vmm_t, ram_vaddr, F_U64), FIELD(vmm_t, ram_gpa, F_U64), FIELD(vmm_t, ram_size, F_U64),
     FIELD(vmm_t, kernel_gpa, F_U64), FIELD(vmm_t, dtb_gpa, F_U64), FIELD(vmm_t, initrd_gpa, F_U64),
     FIELD(vmm_t, initrd_size, F_U64), FIELD(vmm_t, num_vcpus, F_U32), SUB(vmm_t, console, slot_d),
     SUB(vmm_t, console_tx, conn_d), SUB(vmm_t, console_rx, conn_d), SUB(vmm_t, block, slot_d),
     SUB(vmm_t, block_conn, conn_d), FIELD(vmm_t, block_capacity, F_U64), SUB(vmm_t, net, slot_d),
     FIELD(vmm_t, mac, F_MAC), SUB(vmm_t, net_rx, conn_d), SUB(vmm_t, net_tx, conn_d),
     SUB(vmm_t, vsock, slot_d), FIELD(vmm_t, cid, F_U32), FIELD(vmm_t, num_peers, F_U32),
     ARR(vmm_t, peers, peer_d));

static const struct {
    uint16_t kind;
    const char *name;
    const struct type_desc *type;
} kinds[] = {
    {SYSGEN_KIND_SERIAL_DRIVER, "SYSGEN_KIND_SERIAL_DRIVER", &serial_driver_d},
    {SYSGEN_KIND_SERIAL_VIRT_TX, "SYSGEN_KIND_SERIAL_VIRT_TX", &serial_virt_d},
    {SYSGEN_KIND_SERIAL_VIRT_RX, "SYSGEN_KIND_SERIAL_VIRT_RX", &serial_virt_d},
    {SYSGEN_KIND_BLK_DRIVER, "SYSGEN_KIND_BLK_DRIVER", &blk_driver_d},
    {SYSGEN_KIND_BLK_VIRT, "SYSGEN_KIND_BLK_VIRT", &blk_virt_d},
    {SYSGEN_KIND_NET_DRIVER, "SYSGEN_KIND_NET_DRIVER", &net_driver_d},
    {SYSGEN_KIND_NET_VIRT_RX, "SYSGEN_KIND_NET_VIRT_RX", &net_virt_d},
    {SYSGEN_KIND_NET_VIRT_TX, "SYSGEN_KIND_NET_VIRT_TX", &net_virt_d},
    {SYSGEN_KIND_NET_COPY, "SYSGEN_KIND_NET_COPY", &net_copy_d},
    {SYSGEN_KIND_VMM, "SYSGEN_KIND_VMM", &vmm_d},
};

const struct type_desc *config_type(uint16_t kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].type;
    return NULL;
}

const char *config_kind_name(uint16_t kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "0";
}
