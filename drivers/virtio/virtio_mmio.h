// SPDX-License-Identifier: BSD-2-Clause
// The driver side of a virtio-mmio version-2 transport (virtio spec 1.2,
// 3.1.1 and 4.2.2), shared by the virtio drivers: the register map, the
// probe and feature negotiation, queue set-up.  Device constants (5.x)
// live here too, so that every number from the spec is in one place.
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_MMIO_MAGIC               0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u // "virt"
#define VIRTIO_ID_NET           1u
#define VIRTIO_ID_BLOCK         2u

#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER      2u
#define VIRTIO_STATUS_DRIVER_OK   4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED      128u

#define VIRTIO_INT_USED   1u
#define VIRTIO_INT_CONFIG 2u

#define VIRTIO_F_VERSION_1_HI (1u << 0) // feature bit 32, in the high word
#define VIRTIO_BLK_F_RO       (1u << 5)
#define VIRTIO_BLK_F_FLUSH    (1u << 9)
#define VIRTIO_NET_F_MAC      (1u << 5)

#define VIRTQ_DESC_F_NEXT  1u
#define VIRTQ_DESC_F_WRITE 2u // device writes this buffer

#define VIRTIO_BLK_T_IN     0u
#define VIRTIO_BLK_T_OUT    1u
#define VIRTIO_BLK_T_FLUSH  4u
#define VIRTIO_BLK_S_OK     0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u

static inline uint32_t vio_rd(volatile uint32_t *regs, unsigned off)
{
    return regs[off / 4];
}

static inline void vio_wr(volatile uint32_t *regs, unsigned off, uint32_t v)
{
    regs[off / 4] = v;
}

// Ring memory before the device hears of it: the device is another
// observer of RAM, so a full-system barrier, as Linux's virtio_wmb on
// virtio-mmio (no IOMMU, no coherent-DMA promise).
static inline void vio_dma_barrier(void)
{
    __asm__ volatile("dmb sy" ::: "memory");
}

// Probe and negotiate (spec 3.1.1 steps 1-6): the device must be a
// version-2 transport of `device_id` offering VERSION_1; we take `want_lo`
// of its low feature word (what it offers of it lands in *got_lo).  NULL
// on success, else why not (`wrong_device` when another kind sits there).
static inline const char *vio_negotiate(volatile uint32_t *regs, uint32_t device_id,
                                        const char *wrong_device, uint32_t want_lo,
                                        uint32_t *got_lo)
{
    if (vio_rd(regs, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
        return "no virtio-mmio magic";
    if (vio_rd(regs, VIRTIO_MMIO_VERSION) != 2)
        return "not a version-2 transport (QEMU needs -global virtio-mmio.force-legacy=false)";
    if (vio_rd(regs, VIRTIO_MMIO_DEVICE_ID) != device_id)
        return wrong_device;
    vio_wr(regs, VIRTIO_MMIO_STATUS, 0); // reset
    vio_wr(regs, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    vio_wr(regs, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    vio_wr(regs, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t lo = vio_rd(regs, VIRTIO_MMIO_DEVICE_FEATURES);
    vio_wr(regs, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint32_t hi = vio_rd(regs, VIRTIO_MMIO_DEVICE_FEATURES);
    if (!(hi & VIRTIO_F_VERSION_1_HI))
        return "device does not offer VIRTIO_F_VERSION_1";
    *got_lo = lo & want_lo;
    vio_wr(regs, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    vio_wr(regs, VIRTIO_MMIO_DRIVER_FEATURES, *got_lo);
    vio_wr(regs, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    vio_wr(regs, VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_HI);
    vio_wr(regs, VIRTIO_MMIO_STATUS,
           VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if (!(vio_rd(regs, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        return "device refused our features";
    return 0;
}

// Queue `n`'s size: what the device offers, at most `want`, a power of two
// (split virtqueues), at least `min`; 0 if unusable (live after reset).
static inline uint32_t vio_queue_size(volatile uint32_t *regs, uint32_t n, uint32_t want,
                                      uint32_t min)
{
    vio_wr(regs, VIRTIO_MMIO_QUEUE_SEL, n);
    if (vio_rd(regs, VIRTIO_MMIO_QUEUE_READY))
        return 0;
    uint32_t max = vio_rd(regs, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max < min)
        return 0;
    uint32_t size = max < want ? max : want;
    while (size & (size - 1))
        size &= size - 1;
    return size;
}

// Hand queue `n` of `size` entries at these physical addresses to the device.
static inline void vio_queue_ready(volatile uint32_t *regs, uint32_t n, uint32_t size,
                                   uint64_t desc, uint64_t avail, uint64_t used)
{
    vio_wr(regs, VIRTIO_MMIO_QUEUE_SEL, n);
    vio_wr(regs, VIRTIO_MMIO_QUEUE_NUM, size);
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    vio_wr(regs, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    vio_dma_barrier();
    vio_wr(regs, VIRTIO_MMIO_QUEUE_READY, 1);
}

static inline void vio_driver_ok(volatile uint32_t *regs)
{
    vio_wr(regs, VIRTIO_MMIO_STATUS,
           VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
               VIRTIO_STATUS_DRIVER_OK);
}

#endif
