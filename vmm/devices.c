// SPDX-License-Identifier: BSD-2-Clause
// The device table: see devices.h.  Every field of the config is
// sysgen's, but the VMM checks what it relies on (slot addresses and
// irqs, rings that fit their regions, channel ids used once) before any
// device exists.
#include "devices.h"
#include "blk.h"
#include "console.h"
#include "net.h"
#include "vsock.h"

#include <stddef.h>

#define BOOT_VCPU    0
#define CLASS_SLOTS  4  // console, block, net, vsock
#define MAX_WARNINGS 16 // logged per device; later ones are not

static const struct sysgen_vmm_config *cfg;
static const struct guest_mem *mem;
static const char *guest = "?";

static struct console con;
static struct blk blk;
static struct net net;
static struct vsock vs;

// ---- what every device shares ------------------------------------------------

struct slot {
    uint64_t gpa;
    struct virtio_dev *dev;
    unsigned warnings;
};
static struct slot slots[CLASS_SLOTS];
static unsigned nslots;
static uint64_t used_channels; // channel ids of the devices set up so far

static struct slot *slot_of(const struct virtio_dev *d)
{
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].dev == d)
            return &slots[i];
    return NULL;
}

static void warn(struct virtio_dev *d, const char *what, uint64_t value)
{
    struct slot *s = slot_of(d);
    if (!s || s->warnings > MAX_WARNINGS)
        return;
    if (s->warnings++ == MAX_WARNINGS)
        sg_printf("%s: guest %s: virtio %s: more errors, not reported\n", microkit_name, guest,
                  d->name);
    else
        sg_printf("%s: guest %s: virtio %s: %s (0x%lx)\n", microkit_name, guest, d->name, what,
                  value);
}

// The kernel routes the SPI to whichever vCPU the guest chose.
static void inject(struct virtio_dev *d)
{
    long err = sg_vcpu_inject(BOOT_VCPU, d->irq);
    if (err)
        sg_printf("%s: guest %s: cannot inject irq %u (error %ld)\n", microkit_name, guest, d->irq,
                  err);
}

// A channel id of the config is sysgen's, but one used twice, or beyond
// the runtime's ids, would mix two devices' traffic.
static bool channel_ok(uint32_t ch)
{
    if (ch > SYSGEN_MAX_CHANNEL_ID || (used_channels & (1ull << ch)))
        return false;
    used_channels |= 1ull << ch;
    return true;
}

// A virtio-mmio window: aligned to its size (QEMU's and sysgen's slots are
// 0x200 apart), outside RAM (so every access traps), inside the IPA space,
// on a shared peripheral interrupt, and not shared with another slot.
static bool slot_ok(const struct sysgen_virtio_slot *s)
{
    if ((s->gpa & (VIRTIO_MMIO_WINDOW - 1)) || s->gpa > (1ull << 39) - VIRTIO_MMIO_WINDOW ||
        (s->gpa < mem->gpa + mem->size && s->gpa + VIRTIO_MMIO_WINDOW > mem->gpa))
        return false;
    if (s->irq < 32 || s->irq > 1019)
        return false;
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].gpa == s->gpa || slots[i].dev->irq == s->irq)
            return false;
    return true;
}

static void add_slot(const struct sysgen_virtio_slot *s, struct virtio_dev *d,
                     const struct virtio_dev_ops *ops, const char *name, void *priv)
{
    d->ops = ops;
    d->mem = mem;
    d->name = name;
    d->irq = s->irq;
    d->inject = inject;
    d->warn = warn;
    d->priv = priv;
    virtio_init(d);
    slots[nslots++] = (struct slot){s->gpa, d, 0};
}

// ---- console -----------------------------------------------------------------

static void kick_console(struct console *c)
{
    (void)c;
    microkit_notify(cfg->console_tx.ch);
}

// A serial ring the VMM uses: both regions mapped, the data a power of two.
static bool ring_ok(const struct sysgen_conn *c, struct sg_serial_ring *r)
{
    if (!c->queue_vaddr || c->queue_size < sizeof(struct sg_serial_queue) || !c->data_vaddr ||
        !sg_serial_size_ok(c->data_size) || c->ch > SYSGEN_MAX_CHANNEL_ID)
        return false;
    r->q = (volatile struct sg_serial_queue *)c->queue_vaddr;
    r->data = (volatile char *)c->data_vaddr;
    r->size = (uint32_t)c->data_size;
    return true;
}

static const char *console_attach(const struct sysgen_virtio_slot *s)
{
    if (!ring_ok(&cfg->console_tx, &con.tx) || !ring_ok(&cfg->console_rx, &con.rx) ||
        !channel_ok(cfg->console_tx.ch) || !channel_ok(cfg->console_rx.ch))
        return "console serial rings";
    con.kick_tx = kick_console;
    add_slot(s, &con.dev, &console_ops, "console", &con);
    return NULL;
}

static bool console_notified(microkit_channel ch, bool running)
{
    if (!con.rx.q || ch != cfg->console_rx.ch)
        return false;
    if (running) {
        console_rx(&con);
        return true;
    }
    char c; // a stopped guest takes no input: drop it
    while (sg_serial_get(&con.rx, &c))
        ;
    return true;
}

// ---- block -------------------------------------------------------------------

static void kick_blk(struct blk *b)
{
    (void)b;
    microkit_notify(cfg->block_conn.ch);
}

static const char *blk_attach(const struct sysgen_virtio_slot *s)
{
    const struct sysgen_conn *c = &cfg->block_conn;
    if (!channel_ok(c->ch) ||
        !blk_setup(&blk, (volatile void *)c->queue_vaddr, c->queue_size, (uint8_t *)c->data_vaddr,
                   c->data_size, cfg->block_capacity))
        return "block connection";
    blk.kick = kick_blk;
    add_slot(s, &blk.dev, &blk_ops, "block", &blk);
    return NULL;
}

static bool blk_notified(microkit_channel ch, bool running)
{
    (void)running; // answers for a stopped guest go nowhere, but are taken
    if (!blk.end.q || ch != cfg->block_conn.ch)
        return false;
    blk_responses(&blk);
    return true;
}

// ---- net -----------------------------------------------------------------------

static void kick_net_rx(struct net *n)
{
    (void)n;
    microkit_notify(cfg->net_rx.ch);
}

static void kick_net_tx(struct net *n)
{
    (void)n;
    microkit_notify(cfg->net_tx.ch);
}

static const char *net_attach(const struct sysgen_virtio_slot *s)
{
    const struct sysgen_conn *rx = &cfg->net_rx, *tx = &cfg->net_tx;
    if (!channel_ok(rx->ch) || !channel_ok(tx->ch) ||
        !net_setup(&net, (volatile void *)rx->queue_vaddr, rx->queue_size,
                   (const volatile void *)rx->data_vaddr, rx->data_size,
                   (volatile void *)tx->queue_vaddr, tx->queue_size, (void *)tx->data_vaddr,
                   tx->data_size, cfg->mac))
        return "net connections";
    net.kick_rx = kick_net_rx;
    net.kick_tx = kick_net_tx;
    add_slot(s, &net.dev, &net_ops, "net", &net);
    kick_net_rx(&net); // the copier has our rx buffers
    return NULL;
}

static bool net_notified(microkit_channel ch, bool running)
{
    if (!net.dev.ops)
        return false;
    if (ch == cfg->net_tx.ch)
        net_tx(&net);
    else if (ch != cfg->net_rx.ch)
        return false;
    else if (running)
        net_rx(&net);
    return true;
}

// ---- vsock ---------------------------------------------------------------------

static void kick_vsock(struct vsock *v, unsigned peer)
{
    microkit_notify(v->peer[peer].ch);
}

static const char *vsock_attach(const struct sysgen_virtio_slot *s)
{
    if (cfg->cid < 3 || cfg->cid == ~0u || cfg->num_peers > SYSGEN_MAX_PEERS)
        return "vsock CID or peers";
    vs.cid = cfg->cid;
    vs.kick = kick_vsock;
    for (uint32_t k = 0; k < cfg->num_peers; k++) {
        const struct sysgen_vsock_peer *pr = &cfg->peers[k];
        for (uint32_t j = 0; j < k; j++)
            if (cfg->peers[j].cid == pr->cid)
                return "vsock peer CID twice";
        if (pr->cid < 3 || pr->cid == cfg->cid || !channel_ok(pr->ch) ||
            !vsock_add_peer(&vs, pr->cid, pr->ch, (void *)pr->vaddr, pr->size, pr->side))
            return "vsock peer";
    }
    add_slot(s, &vs.dev, &vsock_ops, "vsock", &vs);
    return NULL;
}

static bool vsock_notified(microkit_channel ch, bool running)
{
    for (unsigned i = 0; i < vs.npeers; i++)
        if (ch == vs.peer[i].ch) {
            if (running)
                vsock_peer_notified(&vs, i);
            else
                vsock_discard(&vs, i);
            return true;
        }
    return false;
}

// Peers must never wait for a guest that is gone.
static void vsock_halt(void)
{
    for (unsigned i = 0; i < vs.npeers; i++)
        vsock_discard(&vs, i);
}

// ---- the table -------------------------------------------------------------------

struct device_class {
    size_t slot; // offsetof the class's struct sysgen_virtio_slot in the config
    const char *(*attach)(const struct sysgen_virtio_slot *s);
    bool (*notified)(microkit_channel ch, bool running);
    void (*halt)(void); // beyond a device reset; NULL: nothing
};

static const struct device_class classes[CLASS_SLOTS] = {
    {offsetof(struct sysgen_vmm_config, console), console_attach, console_notified, NULL},
    {offsetof(struct sysgen_vmm_config, block), blk_attach, blk_notified, NULL},
    {offsetof(struct sysgen_vmm_config, net), net_attach, net_notified, NULL},
    {offsetof(struct sysgen_vmm_config, vsock), vsock_attach, vsock_notified, vsock_halt},
};

static const struct sysgen_virtio_slot *slot_config(const struct device_class *c)
{
    return (const struct sysgen_virtio_slot *)((const char *)cfg + c->slot);
}

const char *devices_attach(const struct sysgen_vmm_config *c, const struct guest_mem *ram,
                           const char *name)
{
    cfg = c;
    mem = ram;
    guest = name;
    for (unsigned i = 0; i < CLASS_SLOTS; i++) {
        const struct sysgen_virtio_slot *s = slot_config(&classes[i]);
        if (!s->present)
            continue;
        if (!slot_ok(s))
            return "virtio-mmio slot address or irq";
        const char *why = classes[i].attach(s);
        if (why)
            return why;
    }
    return NULL;
}

struct virtio_dev *device_at(uint64_t ipa, uint64_t *base)
{
    for (unsigned i = 0; i < nslots; i++)
        if (ipa >= slots[i].gpa && ipa - slots[i].gpa < VIRTIO_MMIO_WINDOW) {
            *base = slots[i].gpa;
            return slots[i].dev;
        }
    return NULL;
}

void devices_notified(microkit_channel ch, bool running)
{
    for (unsigned i = 0; i < CLASS_SLOTS; i++)
        if (cfg && slot_config(&classes[i])->present && classes[i].notified(ch, running))
            return;
}

void devices_halt(void)
{
    // Devices as after a reset: nothing more is taken from the guest's
    // queues, and answers still on their way go nowhere.
    for (unsigned i = 0; i < nslots; i++)
        virtio_init(slots[i].dev);
    for (unsigned i = 0; i < CLASS_SLOTS; i++)
        if (classes[i].halt)
            classes[i].halt();
}
