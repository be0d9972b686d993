// SPDX-License-Identifier: BSD-2-Clause
// virtio-net-mmio driver PD (virtio 1.x, version-2 transport: QEMU with
// -global virtio-mmio.force-legacy=false).  It owns the NIC and two
// connections: rx frames go to net_virt_rx, tx frames come from
// net_virt_tx.  Who may see a frame is the virtualisers' business.
//
// Memory.  DMA needs physical addresses; this PD knows those of its two
// data regions (data_paddr).  The rx region is the driver's: its rx
// buffers are the SG_NET_BUF_SIZE pieces at its start (a pool of
// sg_net_rx_bufs(), owned here and lent to net_virt_rx frame by frame),
// and its last SG_NET_DRIVER_RESERVED bytes hold the virtqueues and the
// virtio-net headers (struct dma).  The tx region is net_virt_tx's and
// read-only here: the device only reads it.
//
// Every rx buffer and every tx slot is a fixed two-descriptor chain
// (virtio-net header, frame), so a used-ring id names the buffer or the
// slot, nothing is allocated at run time, and the frame itself never
// shares a buffer with a header.
#include "virtio/virtq.h"
#include "net/net_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_driver_config config;

#define RXQ       0u
#define TXQ       1u
#define QSIZE     256u // virtqueue entries we ask for (the device may offer fewer)
#define MAX_SLOTS (QSIZE / 2)

// virtio 1.x always has the 12-byte header (num_buffers included).
struct virtio_net_hdr {
    uint8_t flags, gso_type;
    uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio-net header: 12 bytes");

struct dma {
    struct vq_rings q[2]; // rx, tx
    struct virtio_net_hdr rx_hdr[MAX_SLOTS];
    struct virtio_net_hdr tx_hdr; // all zero: no offloads; shared by every tx slot
};
_Static_assert(sizeof(struct dma) <= SG_NET_DRIVER_RESERVED, "virtqueues fit the reserved part");

static volatile uint32_t *regs;
static volatile struct dma *dma;
static uint64_t dma_paddr, rx_paddr, tx_paddr, tx_size;
static struct vq q[2];
static uint32_t nbufs;             // rx pool
static bool rx_at_virt[MAX_SLOTS]; // rx buffer i is lent to net_virt_rx
static uint32_t ntx;               // tx slots
static bool tx_busy[MAX_SLOTS];
static struct sg_net_desc tx_req[MAX_SLOTS]; // what net_virt_tx sent, echoed on the free ring
static uint32_t tx_inflight;
static struct net_end rx, tx; // rx: we fill active; tx: we consume active
static bool ready, dev_ok;

static bool dev_fail(const char *why)
{
    sg_printf("%s: virtio-net at 0x%llx: %s; no frames will move\n", microkit_name,
              (unsigned long long)config.nic.regs_paddr, why);
    vio_wr(regs, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
    return false;
}

static bool queue_init(uint32_t n)
{
    return vq_init(&q[n], regs, n, &dma->q[n], dma_paddr + n * sizeof(struct vq_rings), QSIZE, 2);
}

// The virtio 1.x initialisation sequence (spec 3.1.1): features
// VERSION_1 and, if offered, MAC (read only, to log it); nothing else, so
// no offloads, no mergeable buffers, no control queue.  QEMU's device then
// stays promiscuous, which the rx virtualiser's routing needs: the
// clients' MACs are not the NIC's.
static bool dev_init(void)
{
    uint32_t want_lo = 0;
    const char *why = vio_negotiate(regs, VIRTIO_ID_NET, "no network device in this slot",
                                    VIRTIO_NET_F_MAC, &want_lo);
    if (why)
        return dev_fail(why);

    uint8_t mac[6] = {0};
    if (want_lo & VIRTIO_NET_F_MAC) {
        uint32_t gen;
        do {
            gen = vio_rd(regs, VIRTIO_MMIO_CONFIG_GENERATION);
            for (unsigned i = 0; i < 6; i++)
                mac[i] = ((volatile uint8_t *)regs)[VIRTIO_MMIO_CONFIG + i];
        } while (gen != vio_rd(regs, VIRTIO_MMIO_CONFIG_GENERATION));
    }

    for (uint32_t i = 0; i < sizeof(struct dma); i++)
        ((volatile uint8_t *)dma)[i] = 0;
    if (!queue_init(RXQ) || !queue_init(TXQ))
        return dev_fail("virtqueues not usable (live after reset, or under 2 entries)");
    if (q[RXQ].size / 2 < nbufs)
        nbufs = q[RXQ].size / 2;
    ntx = q[TXQ].size / 2;
    vio_driver_ok(regs);
    if (want_lo & VIRTIO_NET_F_MAC)
        sg_printf("%s: virtio-net at 0x%llx: mac %x:%x:%x:%x:%x:%x, %u rx buffers, %u tx slots\n",
                  microkit_name, (unsigned long long)config.nic.regs_paddr, mac[0], mac[1], mac[2],
                  mac[3], mac[4], mac[5], nbufs, ntx);
    else
        sg_printf("%s: virtio-net at 0x%llx: no mac offered, %u rx buffers, %u tx slots\n",
                  microkit_name, (unsigned long long)config.nic.regs_paddr, nbufs, ntx);
    return true;
}

// Give rx buffer i to the device: descriptors 2i (header) and 2i+1 (frame).
static void rx_post(uint32_t i)
{
    volatile struct vq_desc *d = &q[RXQ].r->desc[2 * i];
    d[0].addr =
        dma_paddr + __builtin_offsetof(struct dma, rx_hdr) + i * sizeof(struct virtio_net_hdr);
    d[0].len = sizeof(struct virtio_net_hdr);
    d[0].flags = VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT;
    d[0].next = (uint16_t)(2 * i + 1);
    d[1].addr = rx_paddr + (uint64_t)i * SG_NET_BUF_SIZE;
    d[1].len = SG_NET_BUF_SIZE;
    d[1].flags = VIRTQ_DESC_F_WRITE;
    d[1].next = 0;
    rx_at_virt[i] = false;
    vq_publish(&q[RXQ], (uint16_t)(2 * i));
}

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_DRIVER, sizeof(config)) ||
        !net_end(&config.rx, &rx) || !net_end(&config.tx, &tx) || !config.nic.regs_vaddr ||
        config.nic.regs_size < 0x200 || !config.rx.data_paddr || !config.tx.data_paddr ||
        (config.rx.data_size & 0xfff) || (config.rx.data_paddr & 0xfff) ||
        !sg_net_rx_bufs(config.rx.data_size)) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    regs = (volatile uint32_t *)config.nic.regs_vaddr;
    uint64_t usable = config.rx.data_size - SG_NET_DRIVER_RESERVED;
    dma = (volatile struct dma *)(config.rx.data_vaddr + usable);
    dma_paddr = config.rx.data_paddr + usable;
    rx_paddr = config.rx.data_paddr;
    tx_paddr = config.tx.data_paddr;
    tx_size = config.tx.data_size;
    nbufs = sg_net_rx_bufs(config.rx.data_size);
    dev_ok = dev_init();
    ready = true;
    if (!dev_ok)
        return;
    for (uint32_t i = 0; i < nbufs; i++)
        rx_post(i);
    vq_kick(regs, RXQ);
}

// Frames the device wrote: lend each buffer to net_virt_rx (its active
// ring has room for the whole pool).  A length the device got wrong puts
// the buffer straight back.
static bool rx_complete(void)
{
    bool sent = false, reposted = false;
    struct vq_used_elem e;
    while (vq_used(&q[RXQ], &e)) {
        uint32_t i = e.id / 2;
        if (e.id % 2 || i >= nbufs || rx_at_virt[i]) {
            sg_printf("%s: device returned unknown rx descriptor %u\n", microkit_name, e.id);
            continue;
        }
        uint32_t len = e.len - (uint32_t)sizeof(struct virtio_net_hdr);
        struct sg_net_desc d = {i * SG_NET_BUF_SIZE, (uint16_t)len, SG_NET_OK};
        if (e.len < sizeof(struct virtio_net_hdr) || !sg_net_len_ok(len) ||
            !sg_net_put(&rx.active, &d)) {
            rx_post(i);
            reposted = true;
            continue;
        }
        rx_at_virt[i] = true;
        sent = true;
    }
    if (reposted)
        vq_kick(regs, RXQ);
    return sent;
}

// Buffers net_virt_rx gives back: each must be one we lent it.
static void rx_refill(void)
{
    bool posted = false;
    for (int n; (n = sg_net_pending(&rx.free)) != 0;) {
        if (n < 0) {
            sg_printf("%s: net_virt_rx broke the rx free ring; ignoring it\n", microkit_name);
            ready = false;
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&rx.free, &d);
        int i = sg_net_buf_index(d.offset, nbufs);
        if (i < 0 || !rx_at_virt[i]) {
            sg_printf("%s: net_virt_rx returned buffer 0x%x it does not hold\n", microkit_name,
                      d.offset);
            continue;
        }
        rx_post((uint32_t)i);
        posted = true;
    }
    if (posted)
        vq_kick(regs, RXQ);
}

// Frames net_virt_tx queued.  One is taken only while a slot is free and
// the free ring can hold every answer we owe.
static bool tx_submit(bool *answered)
{
    bool queued = false;
    for (;;) {
        int n = sg_net_pending(&tx.active);
        if (n < 0) {
            sg_printf("%s: net_virt_tx broke the tx ring; ignoring it\n", microkit_name);
            ready = false;
            break;
        }
        if (n == 0 || sg_net_room(&tx.free) <= tx_inflight)
            break;
        uint32_t s = 0;
        while (s < ntx && tx_busy[s])
            s++;
        if (s == ntx)
            break; // every slot in flight: a completion brings us back
        struct sg_net_desc d;
        sg_net_take(&tx.active, &d);
        // The device would read whatever the descriptor points at: keep it
        // inside the tx region, and a frame.
        if (!sg_net_len_ok(d.len) || !sg_net_range_ok(d.offset, d.len, tx_size)) {
            d.status = SG_NET_EINVAL;
            sg_net_put(&tx.free, &d);
            *answered = true;
            continue;
        }
        volatile struct vq_desc *vd = &q[TXQ].r->desc[2 * s];
        vd[0].addr = dma_paddr + __builtin_offsetof(struct dma, tx_hdr);
        vd[0].len = sizeof(struct virtio_net_hdr);
        vd[0].flags = VIRTQ_DESC_F_NEXT;
        vd[0].next = (uint16_t)(2 * s + 1);
        vd[1].addr = tx_paddr + d.offset;
        vd[1].len = d.len;
        vd[1].flags = 0;
        vd[1].next = 0;
        tx_busy[s] = true;
        tx_req[s] = d;
        tx_inflight++;
        vq_publish(&q[TXQ], (uint16_t)(2 * s));
        queued = true;
    }
    if (queued)
        vq_kick(regs, TXQ);
    return queued;
}

// Frames the device sent: their buffers go back to net_virt_tx.
static bool tx_complete(void)
{
    bool answered = false;
    struct vq_used_elem e;
    while (vq_used(&q[TXQ], &e)) {
        uint32_t id = e.id, s = id / 2;
        if (id % 2 || s >= ntx || !tx_busy[s]) {
            sg_printf("%s: device returned unknown tx descriptor %u\n", microkit_name, id);
            continue;
        }
        tx_busy[s] = false;
        tx_inflight--;
        tx_req[s].status = SG_NET_OK;
        sg_net_put(&tx.free, &tx_req[s]);
        answered = true;
    }
    return answered;
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    bool to_rx = false, to_tx = false;
    if (ch == config.nic.irq_ch) {
        // Acknowledge the device before looking at the rings: a completion
        // landing after the look raises the interrupt again, none is lost.
        uint32_t isr = vio_rd(regs, VIRTIO_MMIO_INTERRUPT_STATUS);
        vio_wr(regs, VIRTIO_MMIO_INTERRUPT_ACK, isr);
        if ((isr & VIRTIO_INT_CONFIG) && (vio_rd(regs, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)) {
            sg_printf("%s: device needs a reset; stopping\n", microkit_name);
            dev_ok = false;
        }
        microkit_irq_ack(ch);
    }
    if (!dev_ok) {
        // Without a device, tx frames are answered at once so that net_virt_tx
        // gets its buffers back; rx simply never happens.
        struct sg_net_desc d;
        while (sg_net_pending(&tx.active) > 0 && sg_net_room(&tx.free)) {
            sg_net_take(&tx.active, &d);
            d.status = SG_NET_EIO;
            sg_net_put(&tx.free, &d);
            to_tx = true;
        }
    } else {
        to_rx = rx_complete();
        rx_refill();
        to_tx = tx_complete();
        tx_submit(&to_tx);
    }
    if (to_rx)
        microkit_notify(config.rx.ch);
    if (to_tx)
        microkit_notify(config.tx.ch);
}
