// SPDX-License-Identifier: BSD-2-Clause
// The virtio-mmio transport, version 2 (virtio 1.2 §4.2.2).
//
// The interrupt line is modelled as level-triggered, as on QEMU: it is "up"
// while InterruptStatus is non-zero.  The kernel's injection is edge-like,
// so the transport injects when InterruptStatus goes from zero to non-zero
// and again after an acknowledgement that leaves bits set.
#include "virtio_mmio.h"

#define REG_MAGIC             0x000
#define REG_VERSION           0x004
#define REG_DEVICE_ID         0x008
#define REG_VENDOR_ID         0x00c
#define REG_DEVICE_FEATURES   0x010
#define REG_DEVICE_FEAT_SEL   0x014
#define REG_DRIVER_FEATURES   0x020
#define REG_DRIVER_FEAT_SEL   0x024
#define REG_QUEUE_SEL         0x030
#define REG_QUEUE_NUM_MAX     0x034
#define REG_QUEUE_NUM         0x038
#define REG_QUEUE_READY       0x044
#define REG_QUEUE_NOTIFY      0x050
#define REG_INTERRUPT_STATUS  0x060
#define REG_INTERRUPT_ACK     0x064
#define REG_STATUS            0x070
#define REG_QUEUE_DESC_LOW    0x080
#define REG_QUEUE_DESC_HIGH   0x084
#define REG_QUEUE_DRIVER_LOW  0x090
#define REG_QUEUE_DRIVER_HIGH 0x094
#define REG_QUEUE_DEVICE_LOW  0x0a0
#define REG_QUEUE_DEVICE_HIGH 0x0a4
#define REG_SHM_SEL           0x0ac
#define REG_SHM_LEN_LOW       0x0b0
#define REG_SHM_LEN_HIGH      0x0b4
#define REG_SHM_BASE_LOW      0x0b8
#define REG_SHM_BASE_HIGH     0x0bc
#define REG_QUEUE_RESET       0x0c0
#define REG_CONFIG_GENERATION 0x0fc
#define REG_CONFIG            0x100

const struct virtio_dev_ops virtio_empty_ops = {
    .device_id = 0,
    .features = VIRTIO_F_VERSION_1,
};

void virtio_init(struct virtio_dev *d)
{
    d->status = 0;
    d->dev_features_sel = d->drv_features_sel = 0;
    d->drv_features = 0;
    d->queue_sel = 0;
    d->irq_status = 0;
    d->config_generation = 0;
    d->shm_sel = 0;
    for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
        virtq_reset(&d->vq[i]);
}

static void device_reset(struct virtio_dev *d)
{
    virtio_init(d);
    if (d->ops->reset)
        d->ops->reset(d);
}

bool virtio_running(const struct virtio_dev *d)
{
    return (d->status & VIRTIO_STATUS_DRIVER_OK) &&
           !(d->status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

static void irq_raise(struct virtio_dev *d, uint32_t bits)
{
    bool was_up = d->irq_status != 0;
    d->irq_status |= bits;
    if (!was_up)
        d->inject(d);
}

void virtio_used(struct virtio_dev *d, unsigned q)
{
    if (q < VIRTIO_MAX_QUEUES && !virtq_no_interrupt(&d->vq[q]))
        irq_raise(d, VIRTIO_INT_VRING);
}

void virtio_needs_reset(struct virtio_dev *d, const char *why, uint64_t value)
{
    d->warn(d, why, value);
    if (d->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    d->status |= VIRTIO_STATUS_NEEDS_RESET;
    irq_raise(d, VIRTIO_INT_CONFIG);
}

static struct virtq *selected(struct virtio_dev *d)
{
    return d->queue_sel < d->ops->num_queues ? &d->vq[d->queue_sel] : 0;
}

// The driver's features are acceptable if they are a subset of the
// device's and include VERSION_1 (no legacy interface here).
static bool features_ok(const struct virtio_dev *d)
{
    return !(d->drv_features & ~d->ops->features) && (d->drv_features & VIRTIO_F_VERSION_1);
}

static void write_status(struct virtio_dev *d, uint32_t v)
{
    if (v == 0) {
        device_reset(d);
        return;
    }
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(d->status & VIRTIO_STATUS_FEATURES_OK) &&
        !features_ok(d)) {
        d->warn(d, "driver features refused", d->drv_features);
        v &= ~VIRTIO_STATUS_FEATURES_OK; // the driver reads it back and gives up
    }
    // NEEDS_RESET is the device's to set; the driver cannot clear it.
    d->status = (v & ~VIRTIO_STATUS_NEEDS_RESET) | (d->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void set_half(uint64_t *r, bool high, uint32_t v)
{
    *r = high ? (*r & 0xffffffffull) | ((uint64_t)v << 32) : (*r & ~0xffffffffull) | v;
}

static uint32_t reg_read(struct virtio_dev *d, uint64_t off)
{
    struct virtq *q = selected(d);
    switch (off) {
    case REG_MAGIC:
        return VIRTIO_MMIO_MAGIC;
    case REG_VERSION:
        return 2;
    case REG_DEVICE_ID:
        return d->ops->device_id;
    case REG_VENDOR_ID:
        return VIRTIO_VENDOR_ID;
    case REG_DEVICE_FEATURES:
        return d->dev_features_sel < 2 ? (uint32_t)(d->ops->features >> (32 * d->dev_features_sel))
                                       : 0;
    case REG_QUEUE_NUM_MAX:
        return q ? VIRTQ_NUM_MAX : 0;
    case REG_QUEUE_NUM:
        return q ? q->num : 0;
    case REG_QUEUE_READY:
        return q ? q->ready : 0;
    case REG_INTERRUPT_STATUS:
        return d->irq_status;
    case REG_STATUS:
        return d->status;
    case REG_QUEUE_DESC_LOW:
        return q ? (uint32_t)q->desc_gpa : 0;
    case REG_QUEUE_DESC_HIGH:
        return q ? (uint32_t)(q->desc_gpa >> 32) : 0;
    case REG_QUEUE_DRIVER_LOW:
        return q ? (uint32_t)q->avail_gpa : 0;
    case REG_QUEUE_DRIVER_HIGH:
        return q ? (uint32_t)(q->avail_gpa >> 32) : 0;
    case REG_QUEUE_DEVICE_LOW:
        return q ? (uint32_t)q->used_gpa : 0;
    case REG_QUEUE_DEVICE_HIGH:
        return q ? (uint32_t)(q->used_gpa >> 32) : 0;
    case REG_SHM_LEN_LOW:
    case REG_SHM_LEN_HIGH:
        return 0xffffffffu; // no shared memory regions
    case REG_CONFIG_GENERATION:
        return d->config_generation;
    default: // write-only and reserved registers read as zero
        return 0;
    }
}

static void reg_write(struct virtio_dev *d, uint64_t off, uint32_t v)
{
    struct virtq *q = selected(d);
    switch (off) {
    case REG_DEVICE_FEAT_SEL:
        d->dev_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        // Only while negotiating (§3.1.1): after FEATURES_OK they are fixed.
        if (d->drv_features_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK))
            set_half(&d->drv_features, d->drv_features_sel == 1, v);
        break;
    case REG_DRIVER_FEAT_SEL:
        d->drv_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        d->queue_sel = v;
        break;
    case REG_QUEUE_NUM:
        if (q && !q->ready)
            q->num = v;
        break;
    case REG_QUEUE_READY:
        if (!q)
            break;
        if (v == 0) {
            q->ready = false;
        } else if (!q->ready) {
            const char *why = virtq_enable(q, d->mem);
            if (why)
                virtio_needs_reset(d, why, d->queue_sel);
        }
        break;
    case REG_QUEUE_NOTIFY:
        if (v < d->ops->num_queues && d->vq[v].ready && virtio_running(d) && d->ops->notify)
            d->ops->notify(d, v);
        break;
    case REG_INTERRUPT_ACK:
        d->irq_status &= ~v;
        if (d->irq_status) // still up: the line stays asserted, say so again
            d->inject(d);
        break;
    case REG_STATUS:
        write_status(d, v);
        break;
    case REG_QUEUE_DESC_LOW:
    case REG_QUEUE_DESC_HIGH:
        if (q && !q->ready)
            set_half(&q->desc_gpa, off == REG_QUEUE_DESC_HIGH, v);
        break;
    case REG_QUEUE_DRIVER_LOW:
    case REG_QUEUE_DRIVER_HIGH:
        if (q && !q->ready)
            set_half(&q->avail_gpa, off == REG_QUEUE_DRIVER_HIGH, v);
        break;
    case REG_QUEUE_DEVICE_LOW:
    case REG_QUEUE_DEVICE_HIGH:
        if (q && !q->ready)
            set_half(&q->used_gpa, off == REG_QUEUE_DEVICE_HIGH, v);
        break;
    case REG_SHM_SEL:
        d->shm_sel = v;
        break;
    default: // read-only and reserved registers ignore writes
        break;
    }
}

void virtio_mmio_access(struct virtio_dev *d, uint64_t off, unsigned size, bool write,
                        uint64_t *val)
{
    if (off >= REG_CONFIG) {
        uint64_t coff = off - REG_CONFIG;
        // Device config space: any naturally aligned width (§4.2.2.2);
        // it is read-only for every device this VMM offers.
        if (!write) {
            *val = coff < d->ops->config_size && size <= d->ops->config_size - coff &&
                           d->ops->config_read
                       ? d->ops->config_read(d, (uint32_t)coff, size)
                       : 0;
        }
        return;
    }
    // The registers are 32 bits wide and must be accessed as such.
    if (size != 4 || (off & 3)) {
        d->warn(d, "register access not 32-bit aligned, ignored; offset", off);
        if (!write)
            *val = 0;
        return;
    }
    if (write)
        reg_write(d, off, (uint32_t)*val);
    else
        *val = reg_read(d, off);
}
