// SPDX-License-Identifier: BSD-2-Clause
// virtio-blk (virtio 1.2 §5.2) over the block queue to blk_virt.
//
// A request is a descriptor chain read as two byte streams, whatever its
// layout (VERSION_1 implies ANY_LAYOUT): the device-readable stream is the
// 16-byte header (type, reserved, sector) followed, for a write, by the
// data; the device-writable stream is, for a read, the data, and in every
// case ends with the status byte.  Data goes through one slot of the block
// connection's data region per request in flight: copied in before a
// write, copied out after a read.  Everything about the request is checked
// before anything is sent: data a whole number of sectors, at most one
// slot, inside the partition (blk_virt checks the range again).
#include "blk.h"
#include <sysgen/bytes.h>

#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_SEG_MAX  (1ull << 2)
#define VIRTIO_BLK_F_FLUSH    (1ull << 9)

#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define HDR_LEN 16
#define REQQ    0

static struct virtq_chain chain;

static struct blk *blk_of(struct virtio_dev *d)
{
    return (struct blk *)d->priv;
}

bool blk_setup(struct blk *b, volatile void *queue, uint64_t queue_size, uint8_t *data,
               uint64_t data_size, uint64_t capacity_bytes)
{
    if (!queue || queue_size < sizeof(struct sg_blk_queue) || !data || data_size < BLK_SLOT_SIZE ||
        (capacity_bytes % SG_BLK_SECTOR))
        return false;
    b->end.q = queue;
    b->end.own_req = b->end.q->req_idx.tail;   // start where the ring is
    b->end.own_resp = b->end.q->resp_idx.head; // (zero on a fresh system)
    b->data = data;
    b->nslots = data_size / BLK_SLOT_SIZE;
    if (b->nslots > SG_BLK_RING_SIZE)
        b->nslots = SG_BLK_RING_SIZE;
    b->capacity = capacity_bytes / SG_BLK_SECTOR;
    for (unsigned i = 0; i < SG_BLK_RING_SIZE; i++)
        b->req[i].busy = b->req[i].orphan = false;
    return true;
}

// The status byte: the last byte of the writable stream.
static uint8_t *status_byte(const struct virtq_chain *c)
{
    for (unsigned i = c->n; i-- > 0;)
        if (c->seg[i].write && c->seg[i].len)
            return c->seg[i].va + c->seg[i].len - 1;
    return 0;
}

static void finish(struct blk *b, uint16_t head, uint8_t *status, uint8_t s, uint32_t written)
{
    if (status)
        *status = s;
    virtq_push(&b->dev.vq[REQQ], head, written + (status ? 1 : 0));
}

// What a chain asks for, read from its streams.
struct request {
    uint32_t type;    // VIRTIO_BLK_T_*
    uint64_t sector;
    uint64_t len;     // data bytes: the writable stream less the status byte for a read,
                      // the readable stream less the header for a write
    unsigned wsegs;   // device-writable buffers
    uint8_t *status;  // the last byte of the writable stream
};

// A request slot no request is using, or nslots if all are.
static unsigned free_slot(const struct blk *b)
{
    for (unsigned i = 0; i < b->nslots; i++)
        if (!b->req[i].busy)
            return i;
    return b->nslots;
}

// The chain's header and status byte; false if it has no room for them.
static bool decode(const struct virtq_chain *c, struct request *r)
{
    uint64_t rlen = virtq_stream_len(c, false), wlen = virtq_stream_len(c, true);
    r->wsegs = 0;
    for (unsigned i = 0; i < c->n; i++)
        r->wsegs += c->seg[i].write;
    r->status = status_byte(c);
    if (rlen < HDR_LEN || !r->status)
        return false;
    uint8_t hdr[HDR_LEN];
    virtq_stream_read(c, 0, hdr, HDR_LEN);
    r->type = (uint32_t)sg_le_get(hdr, 4);
    r->sector = sg_le_get(hdr + 8, 8);
    r->len = r->type == VIRTIO_BLK_T_IN ? wlen - 1 : rlen - HDR_LEN;
    return true;
}

// VIRTIO_BLK_S_OK if the request can be sent on, else the status to fail
// it with.  Data must be whole sectors, fit one slot, and lie inside the
// partition.
static uint8_t validate(struct blk *b, const struct request *r)
{
    struct virtio_dev *d = &b->dev;
    switch (r->type) {
    case VIRTIO_BLK_T_IN:
    case VIRTIO_BLK_T_OUT:
        if (!r->len || r->len % SG_BLK_SECTOR || r->len > BLK_SLOT_SIZE ||
            (r->type == VIRTIO_BLK_T_IN && r->wsegs > BLK_SEG_MAX + 1)) {
            d->warn(d, "request length", r->len);
            return VIRTIO_BLK_S_IOERR;
        }
        if (!sg_blk_range_ok(r->sector, (uint32_t)(r->len / SG_BLK_SECTOR), b->capacity)) {
            d->warn(d, "sectors beyond the partition, from", r->sector);
            return VIRTIO_BLK_S_IOERR;
        }
        return VIRTIO_BLK_S_OK;
    case VIRTIO_BLK_T_FLUSH:
        return VIRTIO_BLK_S_OK;
    default: // GET_ID, DISCARD, ...: not offered or not supported
        return VIRTIO_BLK_S_UNSUPP;
    }
}

// Send a valid request on to blk_virt in `slot`: a write's data into the
// slot first; for a read, where its data will go.
static void submit(struct blk *b, unsigned slot, const struct virtq_chain *c,
                   const struct request *r)
{
    bool flush = r->type == VIRTIO_BLK_T_FLUSH;
    struct sg_blk_desc q = {.id = slot,
                            .op = flush                          ? SG_BLK_OP_FLUSH
                                  : r->type == VIRTIO_BLK_T_IN ? SG_BLK_OP_READ
                                                               : SG_BLK_OP_WRITE,
                            .sector = flush ? 0 : r->sector,
                            .count = flush ? 0 : (uint32_t)(r->len / SG_BLK_SECTOR),
                            .offset = (uint64_t)slot * BLK_SLOT_SIZE};
    if (r->type == VIRTIO_BLK_T_OUT)
        virtq_stream_read(c, HDR_LEN, b->data + q.offset, r->len);
    struct blk_req *rq = &b->req[slot];
    rq->busy = true;
    rq->orphan = false;
    rq->head = c->head;
    rq->type = (uint16_t)r->type;
    rq->len = flush ? 0 : (uint32_t)r->len;
    rq->status = r->status;
    rq->nseg = 0;
    if (r->type == VIRTIO_BLK_T_IN) // keep where the data goes (not the status byte)
        for (unsigned i = 0; i < c->n; i++)
            if (c->seg[i].write)
                rq->seg[rq->nseg++] = c->seg[i];
    sg_blk_request(&b->end, &q);
}

// Take one chain and send it on (*sent), or complete it at once (*done);
// false if there is nothing to take or no room to send it.
static bool take_one(struct blk *b, bool *sent, bool *done)
{
    struct virtio_dev *d = &b->dev;
    unsigned slot = free_slot(b);
    if (slot == b->nslots || sg_blk_full(&b->end))
        return false; // the queue waits until blk_virt answers
    const char *why = 0;
    int popped = virtq_pop(&d->vq[REQQ], d->mem, &chain, &why);
    if (popped < 0)
        virtio_needs_reset(d, why, REQQ);
    if (popped <= 0)
        return false;
    *done = true;
    struct request r;
    if (chain.bad) {
        d->warn(d, chain.bad, chain.bad_addr);
        virtq_push(&d->vq[REQQ], chain.head, 0);
    } else if (!decode(&chain, &r)) {
        d->warn(d, "request without header or status byte", chain.head);
        virtq_push(&d->vq[REQQ], chain.head, 0);
    } else {
        uint8_t st = validate(b, &r);
        if (st != VIRTIO_BLK_S_OK) {
            finish(b, chain.head, r.status, st, 0);
        } else {
            submit(b, slot, &chain, &r);
            *sent = true;
            *done = false;
        }
    }
    return true;
}

static void take_requests(struct blk *b)
{
    bool sent = false, done = false, any_done = false;
    while (virtio_running(&b->dev) && b->dev.vq[REQQ].ready && take_one(b, &sent, &done))
        any_done |= done;
    if (sent)
        b->kick(b);
    if (any_done)
        virtio_used(&b->dev, REQQ);
}

void blk_responses(struct blk *b)
{
    struct sg_blk_desc r;
    bool any = false;
    while (sg_blk_response(&b->end, &r)) {
        if (r.id >= b->nslots || !b->req[r.id].busy) {
            b->dev.warn(&b->dev, "blk_virt answered an unknown request", r.id);
            continue;
        }
        struct blk_req *rq = &b->req[r.id];
        rq->busy = false;
        if (rq->orphan || !virtio_running(&b->dev) || !b->dev.vq[REQQ].ready)
            continue; // the driver reset the device meanwhile: drop the answer
        uint8_t st = r.status == SG_BLK_OK ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        uint32_t written = 0;
        if (rq->type == VIRTIO_BLK_T_IN && st == VIRTIO_BLK_S_OK) {
            // The data buffers, then the status byte, in the writable stream.
            const uint8_t *src = b->data + (uint64_t)r.id * BLK_SLOT_SIZE;
            uint32_t left = rq->len;
            for (unsigned i = 0; i < rq->nseg && left; i++) {
                uint32_t n = rq->seg[i].len < left ? rq->seg[i].len : left;
                for (uint32_t k = 0; k < n; k++)
                    rq->seg[i].va[k] = src[k];
                src += n;
                left -= n;
            }
            written = rq->len;
        }
        finish(b, rq->head, rq->status, st, written);
        any = true;
    }
    if (any)
        virtio_used(&b->dev, REQQ);
    take_requests(b); // slots are free again
}

static void notify(struct virtio_dev *d, unsigned q)
{
    if (q == REQQ)
        take_requests(blk_of(d));
}

// struct virtio_blk_config: capacity (le64), size_max, seg_max (le32).
static uint64_t config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    struct blk *b = blk_of(d);
    uint8_t cfg[16];
    sg_le_put(cfg, b->capacity, 8);
    sg_le_put(cfg + 8, BLK_SIZE_MAX, 4);
    sg_le_put(cfg + 12, BLK_SEG_MAX, 4);
    return sg_le_get(cfg + off, size);
}

// Requests in flight keep their slots until blk_virt answers, and the
// answers go nowhere: the chains they belonged to are gone with the reset.
static void reset(struct virtio_dev *d)
{
    struct blk *b = blk_of(d);
    for (unsigned i = 0; i < b->nslots; i++)
        if (b->req[i].busy)
            b->req[i].orphan = true;
}

const struct virtio_dev_ops blk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .features =
        VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_FLUSH,
    .num_queues = 1,
    .config_size = 16,
    .notify = notify,
    .config_read = config_read,
    .reset = reset,
};
