// SPDX-License-Identifier: BSD-2-Clause
// The net queue: how Ethernet frames move between the net class's PDs
// (drivers/net/) and a client (a VMM's virtio-net device, a test PD).
//
// A connection (struct sysgen_conn in <sysgen/config.h>) has a 4 KiB queue
// region holding one struct sg_net_queue and a data region the descriptors
// point into.  As in sDDF, the queue holds two single-producer
// single-consumer rings of buffer descriptors {offset, len}:
//
//   active: buffers holding a frame, from whoever filled them
//   free:   buffers given back, empty, to whoever fills them next
//
// Who produces which ring on each hop (-> is the direction of frames):
//
//   hop                          data region      active ring      free ring
//   net_driver -> net_virt_rx    driver rx (DMA)  driver           net_virt_rx
//   net_virt_rx -> net_copy_<g>  driver rx (r/o)  net_virt_rx      net_copy
//   net_copy_<g> -> client       client rx        net_copy         client
//   client -> net_virt_tx        client tx        client           net_virt_tx
//   net_virt_tx -> net_driver    driver tx (DMA)  net_virt_tx      net_driver
//
// On the free ring back to a sender (net_virt_tx -> client, net_driver ->
// net_virt_tx, net_copy -> client for a refused buffer) `status` says what
// became of the frame; everywhere else it is written 0 and ignored.
//
// Each index is written by one side only and runs free modulo 2^32.  After
// a batch the producer notifies the other side on the connection's channel.
// Nobody trusts the shared page: each side keeps private copies of the
// indices it writes (struct sg_net_ring) and never reads them back, copies
// every descriptor out once before checking it, and treats an index the
// peer moved impossibly far as a broken ring.
#ifndef SYSGEN_NET_QUEUE_H
#define SYSGEN_NET_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#define SG_NET_RING_SIZE 128u  // entries per ring (power of two)
#define SG_NET_BUF_SIZE  2048u // bytes per buffer in the driver's regions
#define SG_NET_MIN_FRAME 14u   // an Ethernet header, nothing else
#define SG_NET_MAX_FRAME 1518u // 1500 bytes of payload, header, one VLAN tag; no FCS

// The last SG_NET_DRIVER_RESERVED bytes of the driver's rx data region
// belong to the driver (virtqueues, virtio-net headers): its rx buffers
// are the SG_NET_BUF_SIZE pieces below that, at most one ring's worth.
#define SG_NET_DRIVER_RESERVED 0x10000u

enum sg_net_status {
    SG_NET_OK = 0,
    SG_NET_EINVAL = 1, // bad descriptor: offset or length outside the data region or frame limits
    SG_NET_EPERM = 2,  // tx: the source MAC is not the client's own
    SG_NET_EIO = 3,    // the device would not take the frame
};

// Between the virtualisers and the copiers the status field says where a
// frame is instead: net_virt_tx -> net_virt_rx (the switch's connection):
// the sending client's index; net_virt_rx -> a copier, and back: which
// region the offset is in.
enum sg_net_source {
    SG_NET_FROM_DRIVER = 0, // the driver's rx region
    SG_NET_FROM_LOCAL = 1,  // the switch's region (a frame from another guest)
};

struct sg_net_desc {
    uint32_t offset; // bytes into the connection's data region
    uint16_t len;    // active: frame bytes; free from a client: buffer capacity
    uint16_t status; // enum sg_net_status, see above
};

// Producer and consumer indices on separate 64-byte lines, so the two
// sides never write the same cache line.
struct sg_net_ring_idx {
    uint32_t tail; // next entry the producer fills
    uint32_t pad0[15];
    uint32_t head; // next entry the consumer takes
    uint32_t pad1[15];
};

struct sg_net_queue {
    struct sg_net_ring_idx active_idx;
    struct sg_net_ring_idx free_idx;
    struct sg_net_desc active[SG_NET_RING_SIZE];
    struct sg_net_desc free[SG_NET_RING_SIZE];
};

_Static_assert(sizeof(struct sg_net_desc) == 8, "net desc: 8 bytes");
_Static_assert(__builtin_offsetof(struct sg_net_desc, len) == 4, "net desc: len");
_Static_assert(__builtin_offsetof(struct sg_net_desc, status) == 6, "net desc: status");
_Static_assert(sizeof(struct sg_net_ring_idx) == 128, "net ring indices: two 64-byte lines");
_Static_assert(__builtin_offsetof(struct sg_net_queue, active) == 256, "net queue: active ring");
_Static_assert(__builtin_offsetof(struct sg_net_queue, free) == 256 + 8 * SG_NET_RING_SIZE,
               "net queue: free ring");
_Static_assert(sizeof(struct sg_net_queue) <= 4096, "net queue fits one 4 KiB page");
_Static_assert((SG_NET_RING_SIZE & (SG_NET_RING_SIZE - 1)) == 0, "ring size: power of two");
_Static_assert(SG_NET_MAX_FRAME <= SG_NET_BUF_SIZE, "a frame fits a buffer");

// One side's view of one ring: where it is, and the private copy of the
// index this side writes (tail when producing, head when consuming).
struct sg_net_ring {
    volatile struct sg_net_ring_idx *idx;
    volatile struct sg_net_desc *d;
    uint32_t own;
};

// `active` selects the active ring, else the free ring.  The private index
// starts at 0 with the shared memory (PDs start in any order; the peer may
// already have produced entries, which are then simply pending).
static inline struct sg_net_ring sg_net_ring(volatile struct sg_net_queue *q, bool active)
{
    struct sg_net_ring r = {active ? &q->active_idx : &q->free_idx, active ? q->active : q->free,
                            0};
    return r;
}

// -- consumer --------------------------------------------------------------

// Entries waiting, or -1 if the producer moved its tail impossibly far (a
// broken or hostile peer: stop reading that ring).
static inline int sg_net_pending(const struct sg_net_ring *r)
{
    uint32_t n = r->idx->tail - r->own;
    return n > SG_NET_RING_SIZE ? -1 : (int)n;
}

// Take the next entry (caller checked sg_net_pending() > 0).  The copy is
// the only read of that entry: what is checked is what is used.
static inline void sg_net_take(struct sg_net_ring *r, struct sg_net_desc *d)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE); // the entry after the tail
    volatile struct sg_net_desc *s = &r->d[r->own & (SG_NET_RING_SIZE - 1)];
    d->offset = s->offset;
    d->len = s->len;
    d->status = s->status;
    __atomic_thread_fence(__ATOMIC_RELEASE); // read the entry before freeing it
    r->idx->head = ++r->own;
}

// -- producer --------------------------------------------------------------

// Free entries.  A consumer head that is ahead of our tail or impossibly
// far behind counts as "no room": that only stalls this ring.
static inline uint32_t sg_net_room(const struct sg_net_ring *r)
{
    uint32_t used = r->own - r->idx->head;
    return used > SG_NET_RING_SIZE ? 0 : SG_NET_RING_SIZE - used;
}

// Post an entry; false (nothing written) if the ring is full.
static inline bool sg_net_put(struct sg_net_ring *r, const struct sg_net_desc *d)
{
    if (!sg_net_room(r))
        return false;
    volatile struct sg_net_desc *s = &r->d[r->own & (SG_NET_RING_SIZE - 1)];
    s->offset = d->offset;
    s->len = d->len;
    s->status = d->status;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the entry before the index
    r->idx->tail = ++r->own;
    return true;
}

// -- checks ----------------------------------------------------------------

// Is [offset, offset + len) a non-empty range inside a data region of
// `size` bytes?  No value of the arguments can overflow.
static inline bool sg_net_range_ok(uint64_t offset, uint64_t len, uint64_t size)
{
    return len && len <= size && offset <= size - len;
}

// Is `len` a frame length the class carries?
static inline bool sg_net_len_ok(uint64_t len)
{
    return len >= SG_NET_MIN_FRAME && len <= SG_NET_MAX_FRAME;
}

// The driver's rx buffers: how many fit its rx data region (0: too small).
// net_driver and net_virt_rx both derive the pool from this.
static inline uint32_t sg_net_rx_bufs(uint64_t data_size)
{
    if (data_size <= SG_NET_DRIVER_RESERVED)
        return 0;
    uint64_t n = (data_size - SG_NET_DRIVER_RESERVED) / SG_NET_BUF_SIZE;
    return n > SG_NET_RING_SIZE ? SG_NET_RING_SIZE : (uint32_t)n;
}

// net_virt_tx's buffers in the driver's tx data region.
static inline uint32_t sg_net_tx_bufs(uint64_t data_size)
{
    uint64_t n = data_size / SG_NET_BUF_SIZE;
    return n > SG_NET_RING_SIZE ? SG_NET_RING_SIZE : (uint32_t)n;
}

// Buffer index of `offset` in a pool of `n` buffers, or -1 if it names none.
static inline int sg_net_buf_index(uint32_t offset, uint32_t n)
{
    if (offset % SG_NET_BUF_SIZE || offset / SG_NET_BUF_SIZE >= n)
        return -1;
    return (int)(offset / SG_NET_BUF_SIZE);
}

// Ethernet: group (broadcast or multicast) destinations have bit 0 of the
// first byte set.
static inline bool sg_net_mac_is_group(const volatile uint8_t *mac)
{
    return mac[0] & 1;
}

#endif
