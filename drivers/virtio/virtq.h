// SPDX-License-Identifier: BSD-2-Clause
// The driver side of a split virtqueue (virtio 1.2 §2.7), shared by the
// virtio drivers: the ring layout, handing a chain to the device
// (vq_publish) and taking back what it used (vq_used), with the barriers
// the device, another observer of RAM, needs.  The descriptors themselves
// are each driver's: it knows what its chains look like.
#ifndef DRIVERS_VIRTIO_VIRTQ_H
#define DRIVERS_VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "virtio_mmio.h"

#define VQ_MAX 256u // entries at most: the rings below are sized for it

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vq_used_elem {
    uint32_t id;
    uint32_t len;
};

// One split virtqueue in three pages: descriptor table, available ring,
// used ring, each on its own page (the spec wants 16, 2 and 4).
struct vq_rings {
    struct vq_desc desc[VQ_MAX]; // 4 KiB
    struct {
        uint16_t flags, idx, ring[VQ_MAX], used_event;
    } avail;
    uint8_t pad1[4096 - 2 * (VQ_MAX + 3)];
    struct {
        uint16_t flags, idx;
        struct vq_used_elem ring[VQ_MAX];
        uint16_t avail_event;
    } used;
    uint8_t pad2[4096 - 8 * VQ_MAX - 8];
};
_Static_assert(sizeof(struct vq_rings) == 3 * 4096, "virtqueue: three pages");
_Static_assert(offsetof(struct vq_rings, avail) == 4096, "available ring on its own page");
_Static_assert(offsetof(struct vq_rings, used) == 8192, "used ring on its own page");

// A queue as its driver keeps it.
struct vq {
    volatile struct vq_rings *r;
    uint64_t paddr; // of r
    uint32_t size;  // entries the device agreed to: a power of two
    uint16_t last_used;
};

// Set up queue `n` of the device at `regs` on the (zeroed) rings `r` at
// physical `paddr`: at most `want` entries, at least `min`.  False if the
// device's queue is unusable (live after reset, or too small).
static inline bool vq_init(struct vq *q, volatile uint32_t *regs, uint32_t n,
                           volatile struct vq_rings *r, uint64_t paddr, uint32_t want,
                           uint32_t min)
{
    q->size = vio_queue_size(regs, n, want < VQ_MAX ? want : VQ_MAX, min);
    if (!q->size)
        return false;
    q->r = r;
    q->paddr = paddr;
    q->last_used = 0;
    vio_queue_ready(regs, n, q->size, paddr + offsetof(struct vq_rings, desc),
                    paddr + offsetof(struct vq_rings, avail),
                    paddr + offsetof(struct vq_rings, used));
    return true;
}

// Hand the device the chain starting at descriptor `head`, whose
// descriptors are written.  The device hears of it at the next vq_kick.
static inline void vq_publish(struct vq *q, uint16_t head)
{
    uint16_t idx = q->r->avail.idx; // only we write it
    q->r->avail.ring[idx % q->size] = head;
    vio_dma_barrier(); // the descriptors and the entry before the index
    q->r->avail.idx = (uint16_t)(idx + 1);
}

// Tell the device that queue `n` has new chains.
static inline void vq_kick(volatile uint32_t *regs, uint32_t n)
{
    vio_dma_barrier();
    vio_wr(regs, VIRTIO_MMIO_QUEUE_NOTIFY, n);
}

// The next chain the device finished with, or false if none yet.  The
// element comes from the device: its id is the caller's to check.
static inline bool vq_used(struct vq *q, struct vq_used_elem *e)
{
    vio_dma_barrier();
    if (q->last_used == q->r->used.idx)
        return false;
    vio_dma_barrier(); // the element after the index
    const volatile struct vq_used_elem *u = &q->r->used.ring[q->last_used % q->size];
    e->id = u->id;
    e->len = u->len;
    q->last_used++;
    return true;
}

#endif
