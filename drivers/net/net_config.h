// SPDX-License-Identifier: BSD-2-Clause
// What every net component does first: check the config sysgen wrote into
// its .sysgen_config section, and turn connections into ring ends.
#ifndef DRIVERS_NET_CONFIG_H
#define DRIVERS_NET_CONFIG_H

#include <microkit.h>
#include <sysgen/config.h>
#include <sysgen/config_check.h>
#include <sysgen/net_queue.h>

// Both rings of a connection, from one side.  `produce_active`: this side
// fills the active ring (and so consumes the free ring).
struct net_end {
    struct sg_net_ring active, free;
    volatile uint8_t *data;
    uint64_t data_size;
};

// The rings of a connection whose data this side does not read through
// it (net_virt_rx's view of a copier): a queue page big enough for them.
// The indices are not reset: the peer may already have queued buffers
// (memory starts zero).
static inline bool net_end_rings(const struct sysgen_conn *c, struct net_end *e)
{
    if (!c->queue_vaddr || c->queue_size < sizeof(struct sg_net_queue))
        return false;
    volatile struct sg_net_queue *q = (volatile struct sg_net_queue *)c->queue_vaddr;
    e->active = sg_net_ring(q, true);
    e->free = sg_net_ring(q, false);
    e->data = 0;
    e->data_size = 0;
    return true;
}

// A usable connection: its rings, and a data region the 32-bit offsets can
// address.
static inline bool net_end(const struct sysgen_conn *c, struct net_end *e)
{
    if (!net_end_rings(c, e) || !c->data_vaddr || c->data_size < SG_NET_MIN_FRAME ||
        c->data_size > 0x100000000ull)
        return false;
    e->data = (volatile uint8_t *)c->data_vaddr;
    e->data_size = c->data_size;
    return true;
}

// Copy a frame between shared regions (libmicrokit's memcpy, which copies
// words when both ends are aligned: buffers are, frames start at them).
// Whatever the peer does to the source meanwhile only changes the bytes
// copied: every check is made on the destination copy, afterwards.
static inline void net_copy_bytes(volatile uint8_t *dst, const volatile uint8_t *src, uint32_t n)
{
    __builtin_memcpy((void *)dst, (const void *)src, n);
}

#endif
