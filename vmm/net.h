// SPDX-License-Identifier: BSD-2-Clause
// virtio-net (device id 1) on the net class's connections
// (<sysgen/net_queue.h>): frames from the guest's copier on `rx`, frames to
// net_virt_tx on `tx`.  docs/net.md has the recipe this follows.
#ifndef VMM_NET_H
#define VMM_NET_H

#include <sysgen/net_queue.h>
#include "virtio_mmio.h"

#define VIRTIO_ID_NET 1
#define NET_HDR_LEN   12 // struct virtio_net_hdr_v1

struct net {
    struct virtio_dev dev;
    uint8_t mac[6];
    // rx: the copier fills our buffers (active), we give them back (free).
    struct sg_net_ring rx_active, rx_free;
    const volatile uint8_t *rx_data; // read-only to the VMM
    uint64_t rx_size;
    uint32_t nrx; // buffers we lent the copier
    // tx: we send frames (active), net_virt_tx answers each (free).
    struct sg_net_ring tx_active, tx_free;
    uint8_t *tx_data;
    uint64_t tx_size;
    uint32_t ntx;                   // pool buffers in tx_data
    bool tx_out[SG_NET_RING_SIZE];  // sent, not answered yet
    void (*kick_rx)(struct net *n); // notify the copier
    void (*kick_tx)(struct net *n); // notify net_virt_tx
    uint64_t tx_errors, rx_dropped;
};

extern const struct virtio_dev_ops net_ops;
// Set up from the two connections and lend the copier every rx buffer;
// false if a region is too small.
bool net_setup(struct net *n, volatile void *rxq, uint64_t rxq_size, const volatile void *rx_data,
               uint64_t rx_size, volatile void *txq, uint64_t txq_size, void *tx_data,
               uint64_t tx_size, const uint8_t mac[6]);
void net_rx(struct net *n); // the copier posted frames
void net_tx(struct net *n); // net_virt_tx answered (or the guest sent)

#endif
