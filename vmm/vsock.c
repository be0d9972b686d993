// SPDX-License-Identifier: BSD-2-Clause
// virtio-vsock (virtio 1.2 §5.10), stream sockets between guests.  The
// device does not take part in the protocol: it carries packets.  A guest
// packet (44-byte header, then `len` payload bytes) is checked (length as
// announced, at most 64 KiB, the source CID forced to the guest's own),
// then written as records into the ring this VMM writes in the region it
// shares with the destination's VMM, split into pieces if the ring has
// less room; a packet to a CID nobody has is answered with RST.  Packets
// from a peer are delivered to the guest's receive buffers, split to fit
// them.  Splitting is allowed for data (RW) packets: credit is counted in
// bytes.
//
// Region layout: the half a VMM writes (side 0: the first) starts with a
// struct sg_serial_queue (its tail written by that VMM, its head by the
// other), followed by a byte ring of the largest power of two that fits.
// Each VMM trusts nothing the other writes: lengths and indices are
// checked, a ring that makes no sense is dropped.
#include "vsock.h"
#include <sysgen/bytes.h>

#define RXQ 0
#define TXQ 1

#define OP_RST       3
#define OFF_SRC_CID  0
#define OFF_DST_CID  8
#define OFF_SRC_PORT 16
#define OFF_DST_PORT 20
#define OFF_LEN      24
#define OFF_TYPE     28
#define OFF_OP       30

static struct virtq_chain chain;

static struct vsock *vsock_of(struct virtio_dev *d)
{
    return (struct vsock *)d->priv;
}

// --- rings --------------------------------------------------------------

static bool ring_init(struct sg_serial_ring *r, uint8_t *half, uint64_t half_size)
{
    if (half_size < sizeof(struct sg_serial_queue) + 2 * VSOCK_REC_LEN)
        return false;
    uint64_t room = half_size - sizeof(struct sg_serial_queue), size = 1;
    while (size * 2 <= room && size * 2 <= (1u << 30))
        size *= 2;
    r->q = (volatile struct sg_serial_queue *)half;
    r->data = (volatile char *)(half + sizeof(struct sg_serial_queue));
    r->size = (uint32_t)size;
    return true;
}

// Bytes in the ring, or more than its size if the indices make no sense.
static uint32_t ring_used(const struct sg_serial_ring *r)
{
    return r->q->tail - r->q->head;
}

static uint32_t ring_space(const struct sg_serial_ring *r)
{
    uint32_t used = ring_used(r);
    return used > r->size ? 0 : r->size - used;
}

// Producer: bytes at `off` past the tail (the index moves in ring_publish).
static void ring_write(struct sg_serial_ring *r, uint32_t off, const volatile uint8_t *p,
                       uint32_t n)
{
    uint32_t t = r->q->tail + off;
    for (uint32_t i = 0; i < n; i++)
        r->data[(t + i) & (r->size - 1)] = (char)p[i];
}

static void ring_publish(struct sg_serial_ring *r, uint32_t n)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->q->tail += n;
}

// Consumer: bytes at `off` past the head.
static void ring_read(const struct sg_serial_ring *r, uint32_t off, volatile uint8_t *p, uint32_t n)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    uint32_t h = r->q->head + off;
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)r->data[(h + i) & (r->size - 1)];
}

static void ring_consume(struct sg_serial_ring *r, uint32_t n)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->q->head += n;
}

bool vsock_add_peer(struct vsock *v, uint64_t cid, uint32_t ch, void *region, uint64_t size,
                    unsigned side)
{
    if (v->npeers == VSOCK_MAX_PEERS || !region || side > 1)
        return false;
    struct vsock_peer *p = &v->peer[v->npeers];
    uint64_t half = size / 2;
    uint8_t *base = region;
    if (!ring_init(&p->out, base + side * half, half) ||
        !ring_init(&p->in, base + (1 - side) * half, half))
        return false;
    p->cid = cid;
    p->ch = ch;
    p->in_done = 0;
    p->broken = false;
    v->npeers++;
    return true;
}

static int peer_of(const struct vsock *v, uint64_t cid)
{
    for (unsigned i = 0; i < v->npeers; i++)
        if (v->peer[i].cid == cid)
            return (int)i;
    return -1;
}

// --- chains and rings ------------------------------------------------------

struct ring_at {
    struct sg_serial_ring *r;
    uint32_t off; // bytes past the ring's tail (writing) or head (reading)
};

static void piece_to_ring(uint8_t *va, uint32_t len, uint64_t at, void *ctx)
{
    struct ring_at *x = ctx;
    ring_write(x->r, x->off + (uint32_t)at, va, len);
}

static void piece_from_ring(uint8_t *va, uint32_t len, uint64_t at, void *ctx)
{
    struct ring_at *x = ctx;
    ring_read(x->r, x->off + (uint32_t)at, va, len);
}

// `len` bytes of the chain's readable stream from `skip` into ring `r`
// at `off`, or of ring `r` from `off` into the writable stream at `skip`.
static void chain_to_ring(const struct virtq_chain *c, uint64_t skip, struct sg_serial_ring *r,
                          uint32_t off, uint64_t len)
{
    virtq_stream_pieces(c, false, skip, len, piece_to_ring, &(struct ring_at){r, off});
}

static void ring_to_chain(const struct virtq_chain *c, uint64_t skip, struct sg_serial_ring *r,
                          uint32_t off, uint64_t len)
{
    virtq_stream_pieces(c, true, skip, len, piece_from_ring, &(struct ring_at){r, off});
}

// --- guest -> peers -------------------------------------------------------

static void queue_rst(struct vsock *v, const uint8_t *hdr)
{
    if (sg_le_get(hdr + OFF_OP, 2) == OP_RST || v->nrst == VSOCK_MAX_RST)
        return; // never answer a RST; a flood of them is dropped
    uint8_t *r = v->rst[v->nrst++];
    for (unsigned i = 0; i < VSOCK_HDR_LEN; i++)
        r[i] = 0;
    sg_le_put(r + OFF_SRC_CID, sg_le_get(hdr + OFF_DST_CID, 8), 8);
    sg_le_put(r + OFF_DST_CID, v->cid, 8);
    sg_le_put(r + OFF_SRC_PORT, sg_le_get(hdr + OFF_DST_PORT, 4), 4);
    sg_le_put(r + OFF_DST_PORT, sg_le_get(hdr + OFF_SRC_PORT, 4), 4);
    sg_le_put(r + OFF_TYPE, sg_le_get(hdr + OFF_TYPE, 2), 2);
    sg_le_put(r + OFF_OP, OP_RST, 2);
}

// Forward what fits of the packet in progress; true when it is all out.
static bool forward(struct vsock *v, uint64_t *kicked)
{
    struct vsock_peer *p = &v->peer[v->tx_peer];
    if (p->broken)
        return true; // nobody reads that ring: the packet is lost
    for (;;) {
        uint32_t left = v->tx_len - v->tx_done, space = ring_space(&p->out);
        if (space < VSOCK_REC_LEN + (left ? 1 : 0))
            return false;
        uint32_t n = left < space - VSOCK_REC_LEN ? left : space - VSOCK_REC_LEN;
        uint8_t rec[VSOCK_REC_LEN];
        sg_le_put(rec, n, 4);
        for (unsigned i = 0; i < VSOCK_HDR_LEN; i++)
            rec[4 + i] = v->tx_hdr[i];
        sg_le_put(rec + 4 + OFF_LEN, n, 4);
        ring_write(&p->out, 0, rec, VSOCK_REC_LEN);
        chain_to_ring(&v->tx_chain, VSOCK_HDR_LEN + v->tx_done, &p->out, VSOCK_REC_LEN, n);
        ring_publish(&p->out, VSOCK_REC_LEN + n);
        *kicked |= 1ull << v->tx_peer;
        v->tx_done += n;
        if (v->tx_done == v->tx_len)
            return true;
    }
}

static void deliver(struct vsock *v);

static void transmit(struct vsock *v)
{
    struct virtio_dev *d = &v->dev;
    struct virtq *q = &d->vq[TXQ];
    uint64_t kicked = 0;
    bool used = false;
    while (virtio_running(d) && q->ready) {
        if (!v->tx_busy) {
            const char *why = 0;
            int r = virtq_pop(q, d->mem, &v->tx_chain, &why);
            if (r < 0)
                virtio_needs_reset(d, why, TXQ);
            if (r <= 0)
                break;
            uint64_t rlen = virtq_stream_len(&v->tx_chain, false);
            uint8_t *h = v->tx_hdr;
            if (!v->tx_chain.bad && rlen >= VSOCK_HDR_LEN)
                virtq_stream_read(&v->tx_chain, 0, h, VSOCK_HDR_LEN);
            if (v->tx_chain.bad || rlen < VSOCK_HDR_LEN ||
                sg_le_get(h + OFF_LEN, 4) != rlen - VSOCK_HDR_LEN ||
                rlen - VSOCK_HDR_LEN > VSOCK_MAX_PAYLOAD) {
                d->warn(d, v->tx_chain.bad ? v->tx_chain.bad : "tx: malformed packet; bytes",
                        v->tx_chain.bad ? v->tx_chain.bad_addr : rlen);
                v->dropped++;
                virtq_push(q, v->tx_chain.head, 0);
                used = true;
                continue;
            }
            sg_le_put(h + OFF_SRC_CID, v->cid, 8); // a guest speaks only for itself
            int p = peer_of(v, sg_le_get(h + OFF_DST_CID, 8));
            if (p < 0) {
                queue_rst(v, h);
                virtq_push(q, v->tx_chain.head, 0);
                used = true;
                continue;
            }
            v->tx_busy = true;
            v->tx_peer = (unsigned)p;
            v->tx_len = (uint32_t)(rlen - VSOCK_HDR_LEN);
            v->tx_done = 0;
        }
        if (!forward(v, &kicked))
            break; // the peer's ring is full: go on when it notifies
        v->tx_busy = false;
        virtq_push(q, v->tx_chain.head, 0);
        used = true;
    }
    for (unsigned i = 0; i < v->npeers; i++)
        if (kicked & (1ull << i))
            v->kick(v, i);
    if (used)
        virtio_used(d, TXQ);
    if (v->nrst)
        deliver(v);
}

// --- peers -> guest -------------------------------------------------------

// The next complete record from peer p: its payload length, or -1.
static int64_t next_record(struct vsock *v, struct vsock_peer *p)
{
    if (p->broken)
        return -1;
    uint32_t used = ring_used(&p->in);
    if (used == 0)
        return -1;
    uint8_t len[4];
    if (used >= 4)
        ring_read(&p->in, 0, len, 4);
    if (used > p->in.size || used < VSOCK_REC_LEN || sg_le_get(len, 4) > VSOCK_MAX_PAYLOAD ||
        used < VSOCK_REC_LEN + sg_le_get(len, 4) || p->in_done > sg_le_get(len, 4)) {
        // The producer publishes whole records: anything else is a broken ring.
        v->dev.warn(&v->dev, "peer's ring makes no sense, ignored from now on; cid", p->cid);
        p->broken = true;
        return -1;
    }
    return (int64_t)sg_le_get(len, 4);
}

static void deliver(struct vsock *v)
{
    struct virtio_dev *d = &v->dev;
    struct virtq *q = &d->vq[RXQ];
    uint64_t freed = 0;
    bool used = false;
    unsigned start = 0;
    while (virtio_running(d) && q->ready) {
        int64_t len = -1;
        unsigned pi = 0;
        if (!v->nrst)
            for (unsigned k = 0; k < v->npeers && len < 0; k++) {
                pi = (start + k) % v->npeers; // round robin between peers
                len = next_record(v, &v->peer[pi]);
            }
        if (!v->nrst && len < 0)
            break;
        const char *why = 0;
        int r = virtq_pop(q, d->mem, &chain, &why);
        if (r < 0)
            virtio_needs_reset(d, why, RXQ);
        if (r <= 0)
            break; // no receive buffer: packets wait in the rings
        uint64_t wlen = virtq_stream_len(&chain, true);
        if (chain.bad || wlen < VSOCK_HDR_LEN) {
            d->warn(d, chain.bad ? chain.bad : "rx: buffer too small; bytes",
                    chain.bad ? chain.bad_addr : wlen);
            virtq_push(q, chain.head, 0);
            used = true;
            continue;
        }
        if (v->nrst) {
            virtq_stream_write(&chain, 0, v->rst[--v->nrst], VSOCK_HDR_LEN);
            virtq_push(q, chain.head, VSOCK_HDR_LEN);
            used = true;
            continue;
        }
        struct vsock_peer *p = &v->peer[pi];
        uint32_t left = (uint32_t)len - p->in_done;
        uint32_t n = left < wlen - VSOCK_HDR_LEN ? left : (uint32_t)(wlen - VSOCK_HDR_LEN);
        if (left && !n) { // a buffer with no room for data: give it back empty
            virtq_push(q, chain.head, 0);
            used = true;
            continue;
        }
        uint8_t h[VSOCK_HDR_LEN];
        ring_read(&p->in, 4, h, VSOCK_HDR_LEN);
        sg_le_put(h + OFF_SRC_CID, p->cid, 8); // whatever the peer's VMM wrote
        sg_le_put(h + OFF_DST_CID, v->cid, 8);
        sg_le_put(h + OFF_LEN, n, 4);
        virtq_stream_write(&chain, 0, h, VSOCK_HDR_LEN);
        ring_to_chain(&chain, VSOCK_HDR_LEN, &p->in, VSOCK_REC_LEN + p->in_done, n);
        virtq_push(q, chain.head, VSOCK_HDR_LEN + n);
        used = true;
        p->in_done += n;
        if (p->in_done == (uint32_t)len) {
            ring_consume(&p->in, VSOCK_REC_LEN + (uint32_t)len);
            p->in_done = 0;
            freed |= 1ull << pi;
            start = pi + 1;
        }
    }
    for (unsigned i = 0; i < v->npeers; i++)
        if (freed & (1ull << i))
            v->kick(v, i); // room again: it may go on sending
    if (used)
        virtio_used(d, RXQ);
}

void vsock_peer_notified(struct vsock *v, unsigned peer)
{
    (void)peer;
    deliver(v);
    transmit(v);
}

void vsock_discard(struct vsock *v, unsigned peer)
{
    struct vsock_peer *p = &v->peer[peer];
    if (p->broken || ring_used(&p->in) == 0)
        return;
    ring_consume(&p->in, ring_used(&p->in) > p->in.size ? 0 : ring_used(&p->in));
    p->in_done = 0;
    v->kick(v, peer);
}

static void notify(struct virtio_dev *d, unsigned q)
{
    struct vsock *v = vsock_of(d);
    if (q == TXQ)
        transmit(v);
    else if (q == RXQ)
        deliver(v);
    // the event queue: the device never has an event to report
}

// struct virtio_vsock_config: guest_cid (le64).
static uint64_t config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    uint8_t cfg[8];
    sg_le_put(cfg, vsock_of(d)->cid, 8);
    return sg_le_get(cfg + off, size);
}

static void reset(struct virtio_dev *d)
{
    struct vsock *v = vsock_of(d);
    v->tx_busy = false; // its chain went with the reset (the part sent stays sent)
    v->nrst = 0;
}

const struct virtio_dev_ops vsock_ops = {
    .device_id = VIRTIO_ID_VSOCK,
    .features = VIRTIO_F_VERSION_1,
    .num_queues = 3,
    .config_size = 8,
    .notify = notify,
    .config_read = config_read,
    .reset = reset,
};
