// SPDX-License-Identifier: BSD-2-Clause
// virtio-vsock (device id 19), guest to guest: each packet a guest sends
// goes, by destination CID, into the ring this VMM writes in the region it
// shares with that peer's VMM; the peer's VMM delivers it to its guest.
#ifndef VMM_VSOCK_H
#define VMM_VSOCK_H

#include <sysgen/serial_queue.h>
#include "virtio_mmio.h"

#define VIRTIO_ID_VSOCK   19
#define VSOCK_HDR_LEN     44                  // struct virtio_vsock_hdr
#define VSOCK_REC_LEN     (4 + VSOCK_HDR_LEN) // a record: payload length, header, payload
#define VSOCK_MAX_PAYLOAD 0x10000             // Linux's VIRTIO_VSOCK_MAX_PKT_BUF_SIZE
#define VSOCK_MAX_PEERS   31
#define VSOCK_MAX_RST     16

struct vsock_peer {
    uint64_t cid;
    uint32_t ch;
    struct sg_serial_ring out, in; // records we write, records the peer writes
    uint32_t in_done;              // payload of the record at in's head already delivered
    bool broken;                   // its ring made no sense: ignored from then on
};

struct vsock {
    struct virtio_dev dev;
    uint64_t cid;
    unsigned npeers;
    struct vsock_peer peer[VSOCK_MAX_PEERS];
    void (*kick)(struct vsock *v, unsigned peer); // notify that peer's VMM
    // The guest packet being forwarded, when the peer's ring was too full
    // to take all of it.
    bool tx_busy;
    unsigned tx_peer;
    uint8_t tx_hdr[VSOCK_HDR_LEN];
    uint32_t tx_len, tx_done;
    struct virtq_chain tx_chain;
    // RST answers for packets to nobody, waiting for a receive buffer.
    uint8_t rst[VSOCK_MAX_RST][VSOCK_HDR_LEN];
    unsigned nrst;
    uint64_t dropped;
};

extern const struct virtio_dev_ops vsock_ops;
// Add a peer: its CID, channel, and the shared region (`side` is the half
// this VMM writes).  False if the region is too small.
bool vsock_add_peer(struct vsock *v, uint64_t cid, uint32_t ch, void *region, uint64_t size,
                    unsigned side);
// A peer's VMM notified: deliver its packets, go on forwarding ours.
void vsock_peer_notified(struct vsock *v, unsigned peer);
// The guest is gone: throw away what peers send, so that they never wait.
void vsock_discard(struct vsock *v, unsigned peer);

#endif
