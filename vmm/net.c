// SPDX-License-Identifier: BSD-2-Clause
// virtio-net (virtio 1.2 §5.1), features VERSION_1 and MAC only: no
// offloads, no mergeable buffers, no control queue, so every frame is a
// whole frame of 14..1518 bytes after a 12-byte header, in any layout.
// Each step runs to completion: frames the guest has no buffer for wait on
// the copier's ring (the copier then drops this guest's frames only), and
// guest frames wait in the virtqueue while every tx buffer is out.
#include "net.h"

#define VIRTIO_NET_F_MAC (1ull << 5)
#define RXQ              0
#define TXQ              1

static struct virtq_chain chain;

static struct net *net_of(struct virtio_dev *d)
{
    return (struct net *)d->priv;
}

bool net_setup(struct net *n, volatile void *rxq, uint64_t rxq_size, const volatile void *rx_data,
               uint64_t rx_size, volatile void *txq, uint64_t txq_size, void *tx_data,
               uint64_t tx_size, const uint8_t mac[6])
{
    if (!rxq || !txq || !rx_data || !tx_data || rxq_size < sizeof(struct sg_net_queue) ||
        txq_size < sizeof(struct sg_net_queue) || rx_size < SG_NET_BUF_SIZE ||
        tx_size < SG_NET_BUF_SIZE)
        return false;
    n->rx_active = sg_net_ring(rxq, true);
    n->rx_free = sg_net_ring(rxq, false);
    n->tx_active = sg_net_ring(txq, true);
    n->tx_free = sg_net_ring(txq, false);
    n->rx_data = rx_data;
    n->rx_size = rx_size;
    n->tx_data = tx_data;
    n->tx_size = tx_size;
    n->nrx = rx_size / SG_NET_BUF_SIZE < SG_NET_RING_SIZE ? (uint32_t)(rx_size / SG_NET_BUF_SIZE)
                                                          : SG_NET_RING_SIZE;
    n->ntx = tx_size / SG_NET_BUF_SIZE < SG_NET_RING_SIZE ? (uint32_t)(tx_size / SG_NET_BUF_SIZE)
                                                          : SG_NET_RING_SIZE;
    for (unsigned i = 0; i < 6; i++)
        n->mac[i] = mac[i];
    for (unsigned i = 0; i < SG_NET_RING_SIZE; i++)
        n->tx_out[i] = false;
    for (uint32_t k = 0; k < n->nrx; k++) {
        struct sg_net_desc d = {.offset = k * SG_NET_BUF_SIZE, .len = SG_NET_BUF_SIZE};
        sg_net_put(&n->rx_free, &d);
    }
    return true;
}

void net_rx(struct net *n)
{
    struct virtio_dev *d = &n->dev;
    struct virtq *q = &d->vq[RXQ];
    if (!virtio_running(d) || !q->ready)
        return; // frames wait on the copier's ring
    bool used = false, returned = false;
    const char *why = 0;
    int p;
    while ((p = sg_net_pending(&n->rx_active)) > 0) {
        int r = virtq_pop(q, d->mem, &chain, &why);
        if (r < 0)
            virtio_needs_reset(d, why, RXQ);
        if (r <= 0)
            break; // no guest buffer: the frame waits
        if (chain.bad) {
            d->warn(d, chain.bad, chain.bad_addr);
            virtq_push(q, chain.head, 0);
            used = true;
            continue;
        }
        struct sg_net_desc f;
        sg_net_take(&n->rx_active, &f);
        if (f.status || !sg_net_len_ok(f.len) || !sg_net_range_ok(f.offset, f.len, n->rx_size) ||
            f.offset % SG_NET_BUF_SIZE) {
            // Not a frame (a buffer the copier refused, or a copier bug):
            // the guest's buffer goes back unused.
            d->warn(d, "rx: descriptor from the copier is not a frame; offset", f.offset);
            virtq_unpop(q);
        } else if (virtq_stream_len(&chain, true) < NET_HDR_LEN + (uint64_t)f.len) {
            d->warn(d, "rx: guest buffer too small for a frame; bytes",
                    virtq_stream_len(&chain, true));
            virtq_push(q, chain.head, 0);
            n->rx_dropped++;
            used = true;
        } else {
            // Header: flags, gso_type, hdr_len, gso_size, csum_start,
            // csum_offset all 0; num_buffers = 1.
            static const uint8_t hdr[NET_HDR_LEN] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
            virtq_stream_write(&chain, 0, hdr, NET_HDR_LEN);
            virtq_stream_write(&chain, NET_HDR_LEN, n->rx_data + f.offset, f.len);
            virtq_push(q, chain.head, NET_HDR_LEN + f.len);
            used = true;
        }
        if (f.offset % SG_NET_BUF_SIZE == 0 && f.offset / SG_NET_BUF_SIZE < n->nrx) {
            struct sg_net_desc b = {.offset = f.offset, .len = SG_NET_BUF_SIZE};
            returned |= sg_net_put(&n->rx_free, &b);
        }
    }
    if (p < 0)
        d->warn(d, "rx: the copier broke its ring", 0);
    if (returned)
        n->kick_rx(n);
    if (used)
        virtio_used(d, RXQ);
}

static int free_tx_buffer(const struct net *n)
{
    for (uint32_t k = 0; k < n->ntx; k++)
        if (!n->tx_out[k])
            return (int)k;
    return -1;
}

void net_tx(struct net *n)
{
    struct virtio_dev *d = &n->dev;
    // Answers first: they free pool buffers.
    struct sg_net_desc a;
    while (sg_net_pending(&n->tx_free) > 0) {
        sg_net_take(&n->tx_free, &a);
        uint32_t k = a.offset / SG_NET_BUF_SIZE;
        if (a.offset % SG_NET_BUF_SIZE || k >= n->ntx || !n->tx_out[k])
            continue; // not a buffer we sent
        n->tx_out[k] = false;
        if (a.status) {
            n->tx_errors++;
            d->warn(d, "tx: net_virt_tx refused a frame; status", a.status);
        }
    }
    struct virtq *q = &d->vq[TXQ];
    if (!virtio_running(d) || !q->ready)
        return;
    bool used = false, sent = false;
    const char *why = 0;
    int k;
    while ((k = free_tx_buffer(n)) >= 0 && sg_net_room(&n->tx_active)) {
        int r = virtq_pop(q, d->mem, &chain, &why);
        if (r < 0)
            virtio_needs_reset(d, why, TXQ);
        if (r <= 0)
            break;
        used = true;
        uint64_t len = virtq_stream_len(&chain, false);
        if (chain.bad || len < NET_HDR_LEN || !sg_net_len_ok(len - NET_HDR_LEN)) {
            d->warn(d, chain.bad ? chain.bad : "tx: not a frame; bytes",
                    chain.bad ? chain.bad_addr : len);
            n->tx_errors++;
            virtq_push(q, chain.head, 0);
            continue;
        }
        len -= NET_HDR_LEN;
        uint32_t off = (uint32_t)k * SG_NET_BUF_SIZE;
        virtq_stream_read(&chain, NET_HDR_LEN, n->tx_data + off, len);
        struct sg_net_desc f = {.offset = off, .len = (uint16_t)len};
        sg_net_put(&n->tx_active, &f);
        n->tx_out[k] = true;
        virtq_push(q, chain.head, 0);
        sent = true;
    }
    if (sent)
        n->kick_tx(n);
    if (used)
        virtio_used(d, TXQ);
}

static void notify(struct virtio_dev *d, unsigned q)
{
    if (q == RXQ)
        net_rx(net_of(d));
    else if (q == TXQ)
        net_tx(net_of(d));
}

// struct virtio_net_config: mac[6] (the only field without more features).
static uint64_t config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    struct net *n = net_of(d);
    uint64_t v = 0;
    for (unsigned i = size; i-- > 0;)
        v = v << 8 | n->mac[off + i];
    return v;
}

const struct virtio_dev_ops net_ops = {
    .device_id = VIRTIO_ID_NET,
    .features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC,
    .num_queues = 2,
    .config_size = 6,
    .notify = notify,
    .config_read = config_read,
    .reset = 0,
};
