// SPDX-License-Identifier: BSD-2-Clause
// virtio-blk-mmio driver PD (virtio 1.x, version-2 transport: QEMU with
// -global virtio-mmio.force-legacy=false).  It serves blk_virt's request
// ring with the whole disk and answers on the response ring; what a client
// may see is the virtualiser's business.
//
// DMA needs physical addresses, and the only memory whose physical address
// this PD knows is the data region it shares with blk_virt (data_paddr).
// So the last SG_BLK_DRIVER_RESERVED bytes of that region are the driver's
// (see struct dma below): the split virtqueue, the request headers and the
// status bytes.  blk_virt keeps its buffers below that.  blk_virt could
// scribble on the reserved part, but it is already trusted with the disk.
//
// Each in-flight request owns a fixed slot: descriptors 3s, 3s+1, 3s+2
// (header, data, status), header hdr[s] and status byte st[s], so the used
// ring's id names the slot and nothing is allocated at run time.
#include "blk/blk_config.h"

#include "virtio/virtq.h"

__attribute__((section(".sysgen_config"))) struct sysgen_blk_driver_config config;

#define QSIZE     128u // virtqueue entries we ask for (the device may offer fewer)
#define MAX_SLOTS SG_BLK_RING_SIZE

struct virtio_blk_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

// The reserved tail of the data region: the virtqueue, then each slot's
// request header and status byte.
struct dma {
    struct vq_rings q;
    struct virtio_blk_hdr hdr[MAX_SLOTS];
    uint8_t st[MAX_SLOTS];
};
_Static_assert(sizeof(struct dma) <= SG_BLK_DRIVER_RESERVED, "virtqueue fits the reserved part");

struct slot {
    bool busy;
    struct sg_blk_desc req; // what blk_virt asked, echoed in the response
};

static volatile uint32_t *regs;
static volatile struct dma *dma;
static uint64_t dma_paddr, data_paddr, data_usable;
static uint64_t capacity; // sectors
static struct vq q;
static uint32_t nslots, inflight;
static bool has_flush, read_only;
static bool dev_ok; // false: every request gets SG_BLK_ENODEV
static bool ready;  // false: the config is unusable, stay idle
static struct slot slots[MAX_SLOTS];
static struct sg_blk_end virt;

static bool dev_fail(const char *why)
{
    sg_printf("%s: virtio-blk at 0x%llx: %s; every request will fail\n", microkit_name,
              (unsigned long long)config.disk.regs_paddr, why);
    vio_wr(regs, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
    return false;
}

// The virtio 1.x initialisation sequence (spec 3.1.1), for queue 0 only.
static bool dev_init(void)
{
    // Only what we use: flush (the device has a write cache) and read-only.
    uint32_t got = 0;
    const char *why = vio_negotiate(regs, VIRTIO_ID_BLOCK, "no block device in this slot",
                                    VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_RO, &got);
    if (why)
        return dev_fail(why);
    has_flush = got & VIRTIO_BLK_F_FLUSH;
    read_only = got & VIRTIO_BLK_F_RO;

    // Capacity: two 32-bit reads, retried if the device changed it between.
    uint32_t gen, clo, chi;
    do {
        gen = vio_rd(regs, VIRTIO_MMIO_CONFIG_GENERATION);
        clo = vio_rd(regs, VIRTIO_MMIO_CONFIG + 0);
        chi = vio_rd(regs, VIRTIO_MMIO_CONFIG + 4);
    } while (gen != vio_rd(regs, VIRTIO_MMIO_CONFIG_GENERATION));
    capacity = (uint64_t)chi << 32 | clo;

    for (uint32_t i = 0; i < sizeof(struct dma); i++)
        ((volatile uint8_t *)dma)[i] = 0;
    if (!vq_init(&q, regs, 0, &dma->q, dma_paddr + __builtin_offsetof(struct dma, q), QSIZE, 3))
        return dev_fail("queue 0 unusable (live after reset, or under 3 entries)");
    nslots = q.size / 3 < MAX_SLOTS ? q.size / 3 : MAX_SLOTS;
    vio_driver_ok(regs);
    sg_printf("%s: virtio-blk at 0x%llx: %llu sectors, queue %u, flush %s%s\n", microkit_name,
              (unsigned long long)config.disk.regs_paddr, (unsigned long long)capacity, q.size,
              has_flush ? "yes" : "no", read_only ? ", read-only" : "");
    return true;
}

void init(void)
{
    const struct sysgen_conn *c = &config.virt;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_BLK_DRIVER, sizeof(config)) ||
        !blk_end(c, &virt) || !config.disk.regs_vaddr || config.disk.regs_size < 0x200 ||
        c->data_size <= SG_BLK_DRIVER_RESERVED || !c->data_paddr || (c->data_size & 0xfff) ||
        (c->data_paddr & 0xfff)) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    regs = (volatile uint32_t *)config.disk.regs_vaddr;
    data_usable = c->data_size - SG_BLK_DRIVER_RESERVED;
    data_paddr = c->data_paddr;
    dma = (volatile struct dma *)(c->data_vaddr + data_usable);
    dma_paddr = data_paddr + data_usable;
    dev_ok = dev_init();
    ready = true;
}

static void respond(const struct sg_blk_desc *req, uint16_t status)
{
    struct sg_blk_desc r = *req;
    r.status = status;
    sg_blk_respond(&virt, &r);
}

static uint16_t check(const struct sg_blk_desc *r)
{
    if (!dev_ok)
        return SG_BLK_ENODEV;
    if (r->op == SG_BLK_OP_FLUSH)
        return SG_BLK_OK;
    if (r->op != SG_BLK_OP_READ && r->op != SG_BLK_OP_WRITE)
        return SG_BLK_EINVAL;
    if (!sg_blk_data_ok(r->offset, r->count, data_usable))
        return SG_BLK_EINVAL;
    if (!sg_blk_range_ok(r->sector, r->count, capacity))
        return SG_BLK_ERANGE;
    if (r->op == SG_BLK_OP_WRITE && read_only)
        return SG_BLK_EUNSUPP;
    return SG_BLK_OK;
}

// Put one checked request on the virtqueue in slot s.
static void submit(uint32_t s, const struct sg_blk_desc *r)
{
    volatile struct vq_desc *d = &q.r->desc[3 * s];
    uint64_t base = dma_paddr;
    dma->hdr[s].type = r->op == SG_BLK_OP_READ    ? VIRTIO_BLK_T_IN
                       : r->op == SG_BLK_OP_WRITE ? VIRTIO_BLK_T_OUT
                                                  : VIRTIO_BLK_T_FLUSH;
    dma->hdr[s].reserved = 0;
    dma->hdr[s].sector = r->op == SG_BLK_OP_FLUSH ? 0 : r->sector;
    dma->st[s] = 0xff; // anything but OK, in case the device never writes it
    d[0].addr = base + __builtin_offsetof(struct dma, hdr) + s * sizeof(struct virtio_blk_hdr);
    d[0].len = sizeof(struct virtio_blk_hdr);
    d[0].flags = VIRTQ_DESC_F_NEXT;
    // Reads and writes: header, data, status.  Flush: header, status.
    volatile struct vq_desc *st = &d[2];
    d[0].next = (uint16_t)(3 * s + (r->op == SG_BLK_OP_FLUSH ? 2 : 1));
    if (r->op != SG_BLK_OP_FLUSH) {
        d[1].addr = data_paddr + r->offset;
        d[1].len = r->count * SG_BLK_SECTOR;
        d[1].flags = VIRTQ_DESC_F_NEXT | (r->op == SG_BLK_OP_READ ? VIRTQ_DESC_F_WRITE : 0);
        d[1].next = (uint16_t)(3 * s + 2);
    }
    st->addr = base + __builtin_offsetof(struct dma, st) + s;
    st->len = 1;
    st->flags = VIRTQ_DESC_F_WRITE;
    st->next = 0;
    slots[s].busy = true;
    slots[s].req = *r;
    inflight++;
    vq_publish(&q, (uint16_t)(3 * s));
}

// Take requests while a slot is free and the response ring can hold every
// answer we owe: a request is only taken when its answer has a place.
static bool serve(void)
{
    bool queued = false, answered = false;
    for (;;) {
        int n = sg_blk_pending(&virt);
        if (n < 0) {
            sg_printf("%s: blk_virt's request ring is corrupt; ignoring it\n", microkit_name);
            ready = false;
            break;
        }
        if (n == 0 || sg_blk_resp_room(&virt) <= inflight)
            break;
        uint32_t s = 0;
        while (s < nslots && slots[s].busy)
            s++;
        uint16_t status = SG_BLK_OK;
        struct sg_blk_desc r;
        if (dev_ok && s == nslots)
            break; // all slots busy: the next completion brings us back
        sg_blk_take(&virt, &r);
        status = check(&r);
        // Flush on a device without a write cache: nothing to do.
        if (status == SG_BLK_OK && !(r.op == SG_BLK_OP_FLUSH && !has_flush)) {
            submit(s, &r);
            queued = true;
        } else {
            respond(&r, status);
            answered = true;
        }
    }
    if (queued)
        vq_kick(regs, 0);
    return answered;
}

// Collect what the device finished.  The device is trusted less than
// fully: an id that names no busy slot is logged and skipped.
static bool complete(void)
{
    bool answered = false;
    struct vq_used_elem e;
    while (vq_used(&q, &e)) {
        uint32_t id = e.id, s = id / 3;
        if (id % 3 || s >= nslots || !slots[s].busy) {
            sg_printf("%s: device returned unknown descriptor %u\n", microkit_name, id);
            continue;
        }
        uint8_t st = dma->st[s];
        uint16_t status = st == VIRTIO_BLK_S_OK       ? SG_BLK_OK
                          : st == VIRTIO_BLK_S_UNSUPP ? SG_BLK_EUNSUPP
                                                      : SG_BLK_EIO;
        slots[s].busy = false;
        inflight--;
        respond(&slots[s].req, status);
        answered = true;
    }
    return answered;
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    bool answered = false;
    if (ch == config.disk.irq_ch) {
        // Acknowledge the device before looking at the ring: a completion
        // landing after the look raises the interrupt again, none is lost.
        uint32_t isr = vio_rd(regs, VIRTIO_MMIO_INTERRUPT_STATUS);
        vio_wr(regs, VIRTIO_MMIO_INTERRUPT_ACK, isr);
        if ((isr & VIRTIO_INT_CONFIG) && (vio_rd(regs, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)) {
            // In-flight requests may never finish; new ones fail at once.
            sg_printf("%s: device needs a reset; failing further requests\n", microkit_name);
            dev_ok = false;
        }
        if (dev_ok)
            answered = complete();
        microkit_irq_ack(ch);
    }
    answered |= serve();
    if (answered)
        microkit_notify(config.virt.ch);
}
