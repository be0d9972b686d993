// SPDX-License-Identifier: BSD-2-Clause
// The serial queue: a single-producer single-consumer byte ring between two
// PDs.  Its indices live in the connection's queue region, its bytes in the
// data region (struct sysgen_conn in <sysgen/config.h>); the producer
// writes only `tail`, the consumer only `head`, and both run free, wrapping
// modulo 2^32, so the data size must be a power of two.  After a batch the
// producer notifies the consumer over the connection's channel.
#ifndef SYSGEN_SERIAL_QUEUE_H
#define SYSGEN_SERIAL_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct sg_serial_queue {
    uint32_t tail; // next byte the producer writes
    uint32_t pad0[15];
    uint32_t head; // next byte the consumer reads
    uint32_t pad1[15];
};
_Static_assert(sizeof(struct sg_serial_queue) == 128, "serial queue: two 64-byte lines");

struct sg_serial_ring {
    volatile struct sg_serial_queue *q;
    volatile char *data;
    uint32_t size; // power of two
};

static inline bool sg_serial_size_ok(uint64_t size)
{
    return size && size <= (1u << 31) && (size & (size - 1)) == 0;
}

static inline bool sg_serial_empty(const struct sg_serial_ring *r)
{
    return r->q->tail == r->q->head;
}

static inline bool sg_serial_full(const struct sg_serial_ring *r)
{
    return r->q->tail - r->q->head >= r->size;
}

static inline bool sg_serial_put(struct sg_serial_ring *r, char c)
{
    if (sg_serial_full(r))
        return false;
    r->data[r->q->tail & (r->size - 1)] = c;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the byte before the index
    r->q->tail++;
    return true;
}

static inline bool sg_serial_get(struct sg_serial_ring *r, char *c)
{
    if (sg_serial_empty(r))
        return false;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    *c = r->data[r->q->head & (r->size - 1)];
    __atomic_thread_fence(__ATOMIC_RELEASE); // read the byte before freeing it
    r->q->head++;
    return true;
}

#endif
