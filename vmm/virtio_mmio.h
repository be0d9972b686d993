// SPDX-License-Identifier: BSD-2-Clause
// The virtio-mmio transport, version 2 register layout (virtio 1.2 §4.2.2),
// independent of any particular device and of the kernel API, so that it
// can be tested on the host.
#ifndef VMM_VIRTIO_MMIO_H
#define VMM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include "virtq.h"

#define VIRTIO_MMIO_WINDOW 0x200       // bytes of one transport
#define VIRTIO_MMIO_MAGIC  0x74726976u // "virt"
#define VIRTIO_VENDOR_ID   0x47595353u // "SSYG": sysgen
#define VIRTIO_MAX_QUEUES  3

#define VIRTIO_F_VERSION_1 (1ull << 32)

// Device status bits (§2.1).
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER      2u
#define VIRTIO_STATUS_DRIVER_OK   4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED      0x80u

// InterruptStatus bits.
#define VIRTIO_INT_VRING  1u
#define VIRTIO_INT_CONFIG 2u

struct virtio_dev;

struct virtio_dev_ops {
    uint32_t device_id; // 0: an empty transport (no device)
    uint64_t features;  // offered; VIRTIO_F_VERSION_1 must be among them
    unsigned num_queues;
    uint32_t config_size; // bytes of device config space
    // The driver wrote QueueNotify for queue q (q < num_queues, queue ready).
    void (*notify)(struct virtio_dev *d, unsigned q);
    // Device config space, `size` bytes at `off` (off + size <= config_size).
    uint64_t (*config_read)(struct virtio_dev *d, uint32_t off, unsigned size);
    void (*reset)(struct virtio_dev *d);
};

struct virtio_dev {
    const struct virtio_dev_ops *ops;
    const struct guest_mem *mem;
    const char *name; // for messages: "console", ...
    uint32_t irq;     // the guest's INTID for this transport (the VMM's business)
    // Raise the transport's interrupt in the guest.
    void (*inject)(struct virtio_dev *d);
    // Report something the guest did wrong (rate limited by the caller).
    void (*warn)(struct virtio_dev *d, const char *what, uint64_t value);
    void *priv;
    // Transport state, as the guest last set it.
    uint32_t status;
    uint32_t dev_features_sel, drv_features_sel;
    uint64_t drv_features;
    uint32_t queue_sel;
    uint32_t irq_status;
    uint32_t config_generation;
    uint32_t shm_sel;
    struct virtq vq[VIRTIO_MAX_QUEUES];
};

// A transport with no device behind it (DeviceID 0): drivers skip it.
extern const struct virtio_dev_ops virtio_empty_ops;

void virtio_init(struct virtio_dev *d);
// Emulate one access of `size` bytes at byte offset `off` of the window.
// Reads store into *val; writes take *val.
void virtio_mmio_access(struct virtio_dev *d, uint64_t off, unsigned size, bool write,
                        uint64_t *val);
// Whether the driver has the device running (DRIVER_OK, no reset pending).
bool virtio_running(const struct virtio_dev *d);
// The device put buffers in queue q's used ring: interrupt the driver
// unless it asked not to be.
void virtio_used(struct virtio_dev *d, unsigned q);
// Queue q is malformed: DEVICE_NEEDS_RESET and a config interrupt (§2.1.2).
void virtio_needs_reset(struct virtio_dev *d, const char *why, uint64_t value);

#endif
