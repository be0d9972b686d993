// SPDX-License-Identifier: BSD-2-Clause
// Split virtqueues (virtio 1.2 §2.7), device side.  Everything in them is
// written by the guest and untrusted: ring addresses are checked once when
// the driver makes the queue ready, every descriptor is copied out of guest
// memory once and its buffer checked against guest RAM, and chains are
// bounded by the queue size.
#ifndef VMM_VIRTQ_H
#define VMM_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include "guest_mem.h"

#define VIRTQ_NUM_MAX 128 // QueueNumMax of every queue

#define VIRTQ_DESC_F_NEXT          1
#define VIRTQ_DESC_F_WRITE         2
#define VIRTQ_DESC_F_INDIRECT      4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[]; // num entries, then used_event
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[]; // num entries, then avail_event
};

struct virtq {
    // As the driver wrote them through the transport.
    uint32_t num;
    bool ready;
    uint64_t desc_gpa, avail_gpa, used_gpa;
    // Set by virtq_enable() once the above are checked.
    volatile struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
    uint16_t last_avail; // next avail ring entry the device takes
    uint16_t used_idx;   // the device's copy, never read back from the guest
    bool broken;         // the ring itself is malformed: no more processing
};

// One buffer of a chain, as a VMM address already checked against RAM.
struct virtq_seg {
    uint8_t *va;
    uint32_t len;
    bool write; // device-writable
};

struct virtq_chain {
    uint16_t head;
    unsigned n;
    const char *bad; // non-NULL: this request is malformed (why); fail it
    uint64_t bad_addr;
    struct virtq_seg seg[VIRTQ_NUM_MAX];
};

// Check the queue's size and ring addresses; on success the queue is
// ready.  Returns NULL or the reason it cannot be.
const char *virtq_enable(struct virtq *q, const struct guest_mem *m);
void virtq_reset(struct virtq *q);
// Take the next available chain.  1: got one (check c->bad before using
// it); 0: nothing available; -1: the ring is malformed (q->broken is set,
// `why` says how).
int virtq_pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *c, const char **why);
// Put the chain virtq_pop() just returned back: the next pop returns it again.
void virtq_unpop(struct virtq *q);
// Return chain `head` to the driver with `len` bytes written.
void virtq_push(struct virtq *q, uint16_t head, uint32_t len);
// Whether the driver asked not to be interrupted for this queue.
bool virtq_no_interrupt(const struct virtq *q);

// A chain as two byte streams, whatever its layout (virtio's ANY_LAYOUT):
// its device-readable buffers in chain order (what the driver sends) and
// its device-writable ones (where the device answers).
uint64_t virtq_stream_len(const struct virtq_chain *c, bool writable);
// Call `fn` for each piece of the stream's bytes [skip, skip + len) (less
// if the stream is shorter): its address, its length, and how far into
// the range it starts.
typedef void virtq_piece_fn(uint8_t *va, uint32_t len, uint64_t at, void *ctx);
void virtq_stream_pieces(const struct virtq_chain *c, bool writable, uint64_t skip, uint64_t len,
                         virtq_piece_fn *fn, void *ctx);
// Copy out of the readable stream, or into the writable one.
void virtq_stream_read(const struct virtq_chain *c, uint64_t skip, volatile uint8_t *dst,
                       uint64_t len);
void virtq_stream_write(const struct virtq_chain *c, uint64_t skip, const volatile uint8_t *src,
                        uint64_t len);

#endif
