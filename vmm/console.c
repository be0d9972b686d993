// SPDX-License-Identifier: BSD-2-Clause
// virtio-console, single port (virtio 1.2 §5.3).  Transmit: every
// device-readable buffer of a chain goes byte by byte into the tx ring,
// the chain is returned at once (Linux's hvc driver busy-waits for it,
// even with interrupts off, e.g. while panicking).  Receive: bytes waiting
// in the rx ring fill the guest's device-writable buffers, one chain at a
// time; what does not fit waits in the ring for the next buffers.
#include "console.h"

#define RXQ 0
#define TXQ 1

static struct virtq_chain chain; // one request at a time: not on the stack

static struct console *console_of(struct virtio_dev *d)
{
    return (struct console *)d->priv;
}

static void put(struct console *c, char ch)
{
    if (sg_serial_put(&c->tx, ch))
        return;
    c->kick_tx(c); // the virtualiser empties the ring before we go on
    if (!sg_serial_put(&c->tx, ch))
        c->dropped++;
}

static void fail(struct virtio_dev *d, unsigned qi, const struct virtq_chain *ch)
{
    d->warn(d, ch->bad, ch->bad_addr);
    virtq_push(&d->vq[qi], ch->head, 0);
}

static void transmit(struct console *c)
{
    struct virtio_dev *d = &c->dev;
    struct virtq *q = &d->vq[TXQ];
    const char *why = 0;
    bool any = false, sent = false;
    int r;
    while ((r = virtq_pop(q, d->mem, &chain, &why)) > 0) {
        any = true;
        if (chain.bad) {
            fail(d, TXQ, &chain);
            continue;
        }
        for (unsigned i = 0; i < chain.n; i++) {
            if (chain.seg[i].write)
                continue; // nothing to send in a buffer meant for us to fill
            for (uint32_t k = 0; k < chain.seg[i].len; k++)
                put(c, (char)chain.seg[i].va[k]);
            sent |= chain.seg[i].len != 0;
        }
        virtq_push(q, chain.head, 0);
    }
    if (sent)
        c->kick_tx(c);
    if (r < 0)
        virtio_needs_reset(d, why, TXQ);
    if (any)
        virtio_used(d, TXQ);
}

void console_rx(struct console *c)
{
    struct virtio_dev *d = &c->dev;
    struct virtq *q = &d->vq[RXQ];
    if (!virtio_running(d) || !q->ready)
        return; // input waits in the ring until the driver is up
    const char *why = 0;
    bool any = false;
    int r = 0;
    while (!sg_serial_empty(&c->rx) && (r = virtq_pop(q, d->mem, &chain, &why)) > 0) {
        any = true;
        if (chain.bad) {
            fail(d, RXQ, &chain);
            continue;
        }
        uint32_t written = 0;
        for (unsigned i = 0; i < chain.n; i++) {
            if (!chain.seg[i].write)
                continue;
            char ch;
            for (uint32_t k = 0; k < chain.seg[i].len && sg_serial_get(&c->rx, &ch); k++) {
                chain.seg[i].va[k] = (uint8_t)ch;
                written++;
            }
        }
        virtq_push(q, chain.head, written);
    }
    if (r < 0)
        virtio_needs_reset(d, why, RXQ);
    if (any)
        virtio_used(d, RXQ);
}

static void notify(struct virtio_dev *d, unsigned qi)
{
    if (qi == TXQ)
        transmit(console_of(d));
    else
        console_rx(console_of(d)); // new receive buffers: input may be waiting
}

// struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr.  None
// of the features that give them meaning is offered: all read as zero.
static uint64_t config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    (void)d;
    (void)off;
    (void)size;
    return 0;
}

const struct virtio_dev_ops console_ops = {
    .device_id = VIRTIO_ID_CONSOLE,
    .features = VIRTIO_F_VERSION_1,
    .num_queues = 2,
    .config_size = 12,
    .notify = notify,
    .config_read = config_read,
    .reset = 0,
};
