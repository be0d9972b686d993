// SPDX-License-Identifier: BSD-2-Clause
// The block queue: how a block client asks a block server for sectors.
// Used on both hops of the block class: blk_virt -> blk_driver (the server
// exposes the whole disk) and client (a VMM's virtio-blk device, a test PD)
// -> blk_virt (the server exposes the client's partition only).
//
// A connection (struct sysgen_conn in <sysgen/config.h>) has a queue region
// holding one struct sg_blk_queue and a data region the descriptors point
// into.  Two single-producer single-consumer rings live in the queue
// region: requests (client -> server) and responses (server -> client).
// Each index is written by one side only and runs free modulo 2^32.  After
// a batch the producer notifies the other side on the connection's channel.
//
// The server must not trust anything in shared memory: each side keeps its
// own copy of the indices it writes (struct sg_blk_end) and never reads them
// back, copies every descriptor out once before looking at it, and treats an
// index the peer moved impossibly far as a broken ring.
#ifndef SYSGEN_BLK_QUEUE_H
#define SYSGEN_BLK_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#define SG_BLK_SECTOR    512u // bytes; every sector number and count is in these
#define SG_BLK_RING_SIZE 32u  // entries per ring (power of two)

// The last SG_BLK_DRIVER_RESERVED bytes of the blk_virt <-> blk_driver data
// region belong to the driver (virtqueue, request headers): blk_virt places
// data buffers only below data_size - SG_BLK_DRIVER_RESERVED.
#define SG_BLK_DRIVER_RESERVED 0x10000u

enum sg_blk_op {
    SG_BLK_OP_READ = 1,  // disk -> data region
    SG_BLK_OP_WRITE = 2, // data region -> disk
    SG_BLK_OP_FLUSH = 3, // make completed writes durable (sector/count/offset ignored)
};

enum sg_blk_status {
    SG_BLK_OK = 0,
    SG_BLK_EIO = 1,     // the device reported an error
    SG_BLK_EINVAL = 2,  // bad descriptor: op, count, offset or length
    SG_BLK_ERANGE = 3,  // sectors outside what the server exposes
    SG_BLK_ENODEV = 4,  // no usable device, or this client was refused
    SG_BLK_EUNSUPP = 5, // the device does not do this (e.g. write to read-only)
};

// One request, and the same descriptor sent back as the response with
// `status` filled in.  `id` is the client's, echoed unchanged; the server
// ignores `status` in a request.
struct sg_blk_desc {
    uint32_t id;
    uint16_t op;     // enum sg_blk_op
    uint16_t status; // enum sg_blk_status (responses)
    uint32_t count;  // sectors
    uint32_t reserved;
    uint64_t sector; // first sector, relative to what the server exposes
    uint64_t offset; // bytes into the connection's data region
};

// Producer and consumer indices on separate 64-byte lines, so the two
// sides never write the same cache line.
struct sg_blk_ring_idx {
    uint32_t tail; // next entry the producer fills
    uint32_t pad0[15];
    uint32_t head; // next entry the consumer takes
    uint32_t pad1[15];
};

struct sg_blk_queue {
    struct sg_blk_ring_idx req_idx;
    struct sg_blk_ring_idx resp_idx;
    struct sg_blk_desc req[SG_BLK_RING_SIZE];
    struct sg_blk_desc resp[SG_BLK_RING_SIZE];
};

_Static_assert(sizeof(struct sg_blk_desc) == 32, "blk desc: 32 bytes");
_Static_assert(__builtin_offsetof(struct sg_blk_desc, sector) == 16, "blk desc: sector");
_Static_assert(__builtin_offsetof(struct sg_blk_desc, offset) == 24, "blk desc: offset");
_Static_assert(sizeof(struct sg_blk_ring_idx) == 128, "blk ring indices: two 64-byte lines");
_Static_assert(__builtin_offsetof(struct sg_blk_queue, req) == 256, "blk queue: requests");
_Static_assert(__builtin_offsetof(struct sg_blk_queue, resp) == 256 + 32 * SG_BLK_RING_SIZE,
               "blk queue: responses");
_Static_assert(sizeof(struct sg_blk_queue) <= 4096, "blk queue fits one 4 KiB page");
_Static_assert((SG_BLK_RING_SIZE & (SG_BLK_RING_SIZE - 1)) == 0, "ring size: power of two");

// One side's view of a queue: the shared page and private copies of the
// two indices this side writes.
struct sg_blk_end {
    volatile struct sg_blk_queue *q;
    uint32_t own_req;  // client: request tail; server: request head
    uint32_t own_resp; // client: response head; server: response tail
};

// -- server side ---------------------------------------------------------

// Requests waiting, or -1 if the client moved its tail impossibly far (a
// broken or hostile client: stop reading its ring).
static inline int sg_blk_pending(const struct sg_blk_end *e)
{
    uint32_t n = e->q->req_idx.tail - e->own_req;
    return n > SG_BLK_RING_SIZE ? -1 : (int)n;
}

// Take the next request (caller checked sg_blk_pending() > 0).  The copy
// is the only read of that entry: what is checked is what is used.
static inline void sg_blk_take(struct sg_blk_end *e, struct sg_blk_desc *d)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE); // the entry after the tail
    volatile struct sg_blk_desc *s = &e->q->req[e->own_req & (SG_BLK_RING_SIZE - 1)];
    d->id = s->id;
    d->op = s->op;
    d->status = 0;
    d->count = s->count;
    d->reserved = 0;
    d->sector = s->sector;
    d->offset = s->offset;
    __atomic_thread_fence(__ATOMIC_RELEASE); // read the entry before freeing it
    e->q->req_idx.head = ++e->own_req;
}

// Free response entries.  A client head that is ahead of our tail or
// impossibly far behind counts as "no room": that only stalls that client.
static inline uint32_t sg_blk_resp_room(const struct sg_blk_end *e)
{
    uint32_t used = e->own_resp - e->q->resp_idx.head;
    return used > SG_BLK_RING_SIZE ? 0 : SG_BLK_RING_SIZE - used;
}

// Post a response (caller checked sg_blk_resp_room() > 0).
static inline void sg_blk_respond(struct sg_blk_end *e, const struct sg_blk_desc *d)
{
    volatile struct sg_blk_desc *s = &e->q->resp[e->own_resp & (SG_BLK_RING_SIZE - 1)];
    s->id = d->id;
    s->op = d->op;
    s->status = d->status;
    s->count = d->count;
    s->reserved = 0;
    s->sector = d->sector;
    s->offset = d->offset;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the entry before the index
    e->q->resp_idx.tail = ++e->own_resp;
}

// -- client side ---------------------------------------------------------

static inline bool sg_blk_full(const struct sg_blk_end *e)
{
    return e->own_req - e->q->req_idx.head >= SG_BLK_RING_SIZE;
}

static inline bool sg_blk_request(struct sg_blk_end *e, const struct sg_blk_desc *d)
{
    if (sg_blk_full(e))
        return false;
    volatile struct sg_blk_desc *s = &e->q->req[e->own_req & (SG_BLK_RING_SIZE - 1)];
    s->id = d->id;
    s->op = d->op;
    s->status = 0;
    s->count = d->count;
    s->reserved = 0;
    s->sector = d->sector;
    s->offset = d->offset;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->q->req_idx.tail = ++e->own_req;
    return true;
}

// Next response, if any.  The server is trusted by its clients to follow
// the protocol, but a bad tail still cannot make us read past the ring.
static inline bool sg_blk_response(struct sg_blk_end *e, struct sg_blk_desc *d)
{
    uint32_t n = e->q->resp_idx.tail - e->own_resp;
    if (n == 0 || n > SG_BLK_RING_SIZE)
        return false;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    volatile struct sg_blk_desc *s = &e->q->resp[e->own_resp & (SG_BLK_RING_SIZE - 1)];
    d->id = s->id;
    d->op = s->op;
    d->status = s->status;
    d->count = s->count;
    d->reserved = 0;
    d->sector = s->sector;
    d->offset = s->offset;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->q->resp_idx.head = ++e->own_resp;
    return true;
}

// Is [offset, offset + count sectors) inside a data region of `size`
// bytes?  Written so that no value of offset or count can overflow.
static inline bool sg_blk_data_ok(uint64_t offset, uint32_t count, uint64_t size)
{
    uint64_t len = (uint64_t)count * SG_BLK_SECTOR; // < 2^41: no overflow
    return count && len <= size && offset <= size - len;
}

// Is [sector, sector + count) inside `nsectors`?
static inline bool sg_blk_range_ok(uint64_t sector, uint32_t count, uint64_t nsectors)
{
    return count <= nsectors && sector <= nsectors - count;
}

#endif
