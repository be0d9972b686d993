// SPDX-License-Identifier: BSD-2-Clause
// virtio-blk (device id 2) on top of a block connection to blk_virt
// (<sysgen/blk_queue.h>), which exposes exactly the guest's partition.
#ifndef VMM_BLK_H
#define VMM_BLK_H

#include <sysgen/blk_queue.h>
#include "virtio_mmio.h"

#define VIRTIO_ID_BLOCK 2
#define BLK_SLOT_SIZE   0x10000u // bytes of the data region per request in flight
#define BLK_SEG_MAX     16u      // data buffers per request (seg_max)
#define BLK_SIZE_MAX    0x1000u  // bytes per data buffer (size_max): 64 KiB a request

// One virtio request in flight: where its answer goes.
struct blk_req {
    bool busy;
    bool orphan;     // the driver reset the device since: drop the answer
    uint16_t head;   // the virtio chain
    uint16_t type;   // VIRTIO_BLK_T_*
    uint32_t len;    // data bytes
    uint8_t *status; // the status byte in guest RAM
    unsigned nseg;   // device-writable buffers (reads; the last may hold the status)
    struct virtq_seg seg[BLK_SEG_MAX + 1];
};

struct blk {
    struct virtio_dev dev;
    struct sg_blk_end end;       // the connection to blk_virt
    uint8_t *data;               // its data region
    unsigned nslots;             // requests in flight at most
    uint64_t capacity;           // sectors of 512 bytes
    void (*kick)(struct blk *b); // tell blk_virt there are requests
    struct blk_req req[SG_BLK_RING_SIZE];
};

extern const struct virtio_dev_ops blk_ops;
// Set up from the connection; false if its regions cannot hold the queue
// and at least one request.
bool blk_setup(struct blk *b, volatile void *queue, uint64_t queue_size, uint8_t *data,
               uint64_t data_size, uint64_t capacity_bytes);
// blk_virt answered: complete what it finished, then take more requests.
void blk_responses(struct blk *b);

#endif
