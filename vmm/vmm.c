// SPDX-License-Identifier: BSD-2-Clause
// The VMM protection domain: one per guest.  It checks the config sysgen
// wrote into its .sysgen_config section, starts vCPU 0 on the kernel image
// that the system image already preloaded into guest RAM, and emulates the
// guest's virtio-mmio devices on the data aborts the kernel forwards.
// See docs/vmm.md.
#include <microkit.h>
#include <sysgen/bytes.h>
#include <sysgen/config.h>
#include <sysgen/mmio.h>
#include "blk.h"
#include "console.h"
#include "net.h"
#include "vsock.h"
#include "guest_mem.h"
#include "virtio_mmio.h"

__attribute__((section(".sysgen_config"))) struct sysgen_vmm_config config;

#define BOOT_VCPU        0
#define MAX_SLOTS        4           // console, block, net, vsock
#define MAX_WARNINGS     16          // logged per device; later ones are not
#define ARM64_MAGIC      0x644d5241u // "ARM\x64" at offset 0x38 of an Image
#define FDT_MAGIC        0xd00dfeedu
#define FDT_MAX_SIZE     0x200000u // booting.rst: the DTB must not exceed 2 MiB
#define SPSR_EL1H_MASKED 0x3c5u

#define PSCI_SYSTEM_OFF   0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

// ESR_EL2 of an abort from a lower EL (Arm ARM D17.2.37); <sysgen/mmio.h>
// decodes the rest of a data abort's syndrome (ISV, SAS, SSE, SRT, SF, WnR).
#define ESR_EC(e)   (((e) >> 26) & 0x3f)
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define ESR_S1PTW   (1ull << 7)
#define ESR_WNR     (1ull << 6)

static const char *guest = "?";
static struct guest_mem ram;
static bool running; // false: config unusable, or the guest was stopped

struct slot {
    uint64_t gpa;
    struct virtio_dev *dev;
};
static struct slot slots[MAX_SLOTS];
static unsigned nslots;
static struct console con;
static struct blk blk;
static struct net net;
static struct vsock vsock;
static unsigned warnings[MAX_SLOTS];

// --- messages ---------------------------------------------------------

static void warn(struct virtio_dev *d, const char *what, uint64_t value)
{
    unsigned i = 0;
    while (i < nslots && slots[i].dev != d)
        i++;
    if (i == nslots || warnings[i] > MAX_WARNINGS)
        return;
    if (warnings[i]++ == MAX_WARNINGS)
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

static void kick_tx(struct console *c)
{
    (void)c;
    microkit_notify(config.console_tx.ch);
}

static void kick_blk(struct blk *b)
{
    (void)b;
    microkit_notify(config.block_conn.ch);
}

static void kick_net_rx(struct net *n)
{
    (void)n;
    microkit_notify(config.net_rx.ch);
}

static void kick_net_tx(struct net *n)
{
    (void)n;
    microkit_notify(config.net_tx.ch);
}

static void kick_vsock(struct vsock *v, unsigned peer)
{
    microkit_notify(v->peer[peer].ch);
}

// Channel ids of the devices set up so far, so that none is used twice.
static uint64_t used_channels;

static bool channel_ok(uint32_t ch)
{
    if (ch > SYSGEN_MAX_CHANNEL_ID || (used_channels & (1ull << ch)))
        return false;
    used_channels |= 1ull << ch;
    return true;
}

// Stop every vCPU of the guest and leave it stopped: its devices and
// inputs are dropped from now on.  Nothing else in the system is touched.
static void halt_guest(void)
{
    for (uint32_t i = 0; i < config.num_vcpus; i++)
        microkit_vcpu_stop(i);
    running = false;
    // Devices as after a reset: nothing more is taken from the guest's
    // queues, and answers still on their way go nowhere.
    for (unsigned i = 0; i < nslots; i++)
        virtio_init(slots[i].dev);
    // Peers must never wait for a guest that is gone.
    for (unsigned i = 0; i < vsock.npeers; i++)
        vsock_discard(&vsock, i);
}

static void stop_guest(const char *why)
{
    halt_guest();
    sg_printf("%s: guest %s stopped: %s\n", microkit_name, guest, why);
}

// --- config checks ----------------------------------------------------

static bool bad(const char *what)
{
    sg_printf("%s: unusable config: %s; guest not started\n", microkit_name, what);
    return false;
}

static bool name_ok(const char *s)
{
    for (unsigned i = 0; i < SYSGEN_NAME_LEN; i++)
        if (!s[i])
            return i > 0;
    return false;
}

// A serial ring the VMM uses: both regions mapped, the data a power of two.
static bool ring_ok(const struct sysgen_conn *c, struct sg_serial_ring *r)
{
    if (!c->queue_vaddr || c->queue_size < sizeof(struct sg_serial_queue) || !c->data_vaddr ||
        !sq_valid_size(c->data_size) || c->ch > SYSGEN_MAX_CHANNEL_ID)
        return false;
    r->q = (volatile struct sg_serial_queue *)c->queue_vaddr;
    r->data = (volatile char *)c->data_vaddr;
    r->size = (uint32_t)c->data_size;
    return true;
}

// A virtio-mmio window: aligned to its size (QEMU's and sysgen's slots are
// 0x200 apart), outside RAM (so every access traps), inside the IPA space,
// on a shared peripheral interrupt, and not shared with another slot.
static bool slot_ok(const struct sysgen_virtio_slot *s)
{
    if (!s->present)
        return true;
    if ((s->gpa & (VIRTIO_MMIO_WINDOW - 1)) || s->gpa > (1ull << 39) - VIRTIO_MMIO_WINDOW ||
        (s->gpa < ram.gpa + ram.size && s->gpa + VIRTIO_MMIO_WINDOW > ram.gpa))
        return false;
    if (s->irq < 32 || s->irq > 1019)
        return false;
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].gpa == s->gpa || slots[i].dev->irq == s->irq)
            return false;
    return true;
}

static void add_slot(const struct sysgen_virtio_slot *s, struct virtio_dev *d,
                     const struct virtio_dev_ops *ops, const char *name)
{
    d->ops = ops;
    d->mem = &ram;
    d->name = name;
    d->irq = s->irq;
    d->inject = inject;
    d->warn = warn;
    virtio_init(d);
    slots[nslots].gpa = s->gpa;
    slots[nslots].dev = d;
    nslots++;
}

static bool config_ok(void)
{
    const struct sysgen_config_header *h = &config.header;
    if (h->magic != SYSGEN_CONFIG_MAGIC || h->version != SYSGEN_CONFIG_VERSION ||
        h->kind != SYSGEN_KIND_VMM || h->size != sizeof(config)) {
        sg_printf("%s: bad config (magic 0x%x version %u kind %u size %u, want kind %u size %u)\n",
                  microkit_name, h->magic, (unsigned)h->version, (unsigned)h->kind, h->size,
                  (unsigned)SYSGEN_KIND_VMM, (unsigned)sizeof(config));
        return false;
    }
    if (!name_ok(config.guest_name))
        return bad("guest name");
    guest = config.guest_name;
    if (config.num_vcpus < 1 || config.num_vcpus > SYSGEN_MAX_CHANNEL_ID + 1)
        return bad("number of vCPUs");
    uint64_t size = config.ram_size;
    if (!size || (size & 0xfff) || (config.ram_gpa & 0xfff) || (config.ram_vaddr & 0xfff) ||
        !config.ram_vaddr || config.ram_gpa + size < config.ram_gpa ||
        config.ram_vaddr + size < config.ram_vaddr || config.ram_gpa + size > (1ull << 39))
        return bad("guest RAM");
    ram.base = (uint8_t *)config.ram_vaddr;
    ram.gpa = config.ram_gpa;
    ram.size = size;

    // The kernel: an arm64 Image, wholly inside RAM.
    const uint8_t *img = gpa_to_va(&ram, config.kernel_gpa, 64);
    if (!img || (config.kernel_gpa & 0xfff))
        return bad("kernel address outside guest RAM");
    if (sg_le_get(img + 0x38, 4) != ARM64_MAGIC)
        return bad("no arm64 Image header at the kernel address");
    uint64_t image_size = sg_le_get(img + 0x10, 8);
    if (image_size && !gpa_to_va(&ram, config.kernel_gpa, image_size))
        return bad("kernel image_size runs past guest RAM");
    // The device tree: 8-byte aligned, a flattened tree, at most 2 MiB.
    const uint8_t *dtb = gpa_to_va(&ram, config.dtb_gpa, 8);
    if (!dtb || (config.dtb_gpa & 7) || sg_be_get(dtb, 4) != FDT_MAGIC)
        return bad("no device tree at the DTB address");
    uint32_t dtb_size = (uint32_t)sg_be_get(dtb + 4, 4);
    if (dtb_size > FDT_MAX_SIZE || !gpa_to_va(&ram, config.dtb_gpa, dtb_size))
        return bad("device tree size");
    if (config.initrd_size && !gpa_to_va(&ram, config.initrd_gpa, config.initrd_size))
        return bad("initrd outside guest RAM");

    // Devices: console, block, net and vsock.
    const struct sysgen_virtio_slot *s[MAX_SLOTS] = {&config.console, &config.block, &config.net,
                                                     &config.vsock};
    static const char *const names[MAX_SLOTS] = {"console", "block", "net", "vsock"};
    for (unsigned i = 0; i < MAX_SLOTS; i++) {
        if (!slot_ok(s[i]))
            return bad("virtio-mmio slot address or irq");
        if (!s[i]->present)
            continue;
        if (i == 0) {
            if (!ring_ok(&config.console_tx, &con.tx) || !ring_ok(&config.console_rx, &con.rx) ||
                !channel_ok(config.console_tx.ch) || !channel_ok(config.console_rx.ch))
                return bad("console serial rings");
            con.kick_tx = kick_tx;
            con.dev.priv = &con;
            add_slot(s[i], &con.dev, &console_ops, names[i]);
        } else if (i == 1) {
            const struct sysgen_conn *c = &config.block_conn;
            if (!channel_ok(c->ch) ||
                !blk_setup(&blk, (volatile void *)c->queue_vaddr, c->queue_size,
                           (uint8_t *)c->data_vaddr, c->data_size, config.block_capacity))
                return bad("block connection");
            blk.kick = kick_blk;
            blk.dev.priv = &blk;
            add_slot(s[i], &blk.dev, &blk_ops, names[i]);
        } else if (i == 2) {
            const struct sysgen_conn *rx = &config.net_rx, *tx = &config.net_tx;
            if (!channel_ok(rx->ch) || !channel_ok(tx->ch) ||
                !net_setup(&net, (volatile void *)rx->queue_vaddr, rx->queue_size,
                           (const volatile void *)rx->data_vaddr, rx->data_size,
                           (volatile void *)tx->queue_vaddr, tx->queue_size, (void *)tx->data_vaddr,
                           tx->data_size, config.mac))
                return bad("net connections");
            net.kick_rx = kick_net_rx;
            net.kick_tx = kick_net_tx;
            net.dev.priv = &net;
            add_slot(s[i], &net.dev, &net_ops, names[i]);
            kick_net_rx(&net); // the copier has our rx buffers
        } else {
            if (config.cid < 3 || config.cid == ~0u || config.num_peers > SYSGEN_MAX_PEERS)
                return bad("vsock CID or peers");
            vsock.cid = config.cid;
            vsock.kick = kick_vsock;
            vsock.dev.priv = &vsock;
            for (uint32_t k = 0; k < config.num_peers; k++) {
                const struct sysgen_vsock_peer *pr = &config.peers[k];
                for (uint32_t j = 0; j < k; j++)
                    if (config.peers[j].cid == pr->cid)
                        return bad("vsock peer CID twice");
                if (pr->cid < 3 || pr->cid == config.cid || !channel_ok(pr->ch) ||
                    !vsock_add_peer(&vsock, pr->cid, pr->ch, (void *)pr->vaddr, pr->size, pr->side))
                    return bad("vsock peer");
            }
            add_slot(s[i], &vsock.dev, &vsock_ops, names[i]);
        }
    }
    return true;
}

void init(void)
{
    if (!config_ok())
        return;
    // Linux's booting.rst: x0 = the DTB, x1..x3 = 0, MMU off, interrupts
    // masked; the kernel sets SPSR and the entry on restart.
    struct sg_vcpu_regs r = {0};
    r.x[0] = config.dtb_gpa;
    r.pc = config.kernel_gpa;
    r.spsr = SPSR_EL1H_MASKED;
    long err = sg_vcpu_write_regs(BOOT_VCPU, &r);
    if (err) {
        sg_printf("%s: cannot set vcpu %u registers (error %ld)\n", microkit_name, BOOT_VCPU, err);
        return;
    }
    running = true;
    sg_printf("%s: guest %s: starting vcpu %u at 0x%lx, dtb 0x%lx, %lu MiB RAM at 0x%lx\n",
              microkit_name, guest, BOOT_VCPU, config.kernel_gpa, config.dtb_gpa, ram.size >> 20,
              ram.gpa);
    microkit_vcpu_restart(BOOT_VCPU, config.kernel_gpa);
}

void notified(microkit_channel ch)
{
    if (config.block.present && blk.end.q && ch == config.block_conn.ch) {
        blk_responses(&blk); // answers for a stopped guest go nowhere
        return;
    }
    if (config.net.present && net.dev.ops && (ch == config.net_rx.ch || ch == config.net_tx.ch)) {
        if (ch == config.net_tx.ch)
            net_tx(&net);
        else if (running)
            net_rx(&net);
        return;
    }
    for (unsigned i = 0; i < vsock.npeers; i++)
        if (ch == vsock.peer[i].ch) {
            if (running)
                vsock_peer_notified(&vsock, i);
            else
                vsock_discard(&vsock, i);
            return;
        }
    if (!config.console.present || ch != config.console_rx.ch || !con.rx.q)
        return;
    if (!running) { // a stopped guest takes no input: drop it
        char c;
        while (sq_get(&con.rx, &c))
            ;
        return;
    }
    console_rx(&con);
}

// --- guest traps ------------------------------------------------------

static struct slot *slot_at(uint64_t ipa)
{
    for (unsigned i = 0; i < nslots; i++)
        if (ipa >= slots[i].gpa && ipa - slots[i].gpa < VIRTIO_MMIO_WINDOW)
            return &slots[i];
    return 0;
}

// Emulate a load or store the data-abort syndrome describes completely.
static bool emulate_mmio(microkit_child vcpu, const struct sg_mmio *m, struct slot *s)
{
    struct sg_vcpu_regs r;
    if (sg_vcpu_read_regs(vcpu, &r))
        return false;
    uint64_t off = m->addr - s->gpa, val = 0;
    if (off & (m->size - 1)) {
        s->dev->warn(s->dev, "unaligned access, ignored; offset", off);
    } else {
        if (m->write)
            val = sg_mmio_store_value(m, &r);
        virtio_mmio_access(s->dev, off, m->size, m->write, &val);
    }
    sg_mmio_complete(m, &r, val);
    return sg_vcpu_write_regs(vcpu, &r) == 0;
}

static bool guest_abort(microkit_child vcpu, uint64_t esr, uint64_t ipa, uint64_t pc)
{
    uint64_t ec = ESR_EC(esr);
    struct slot *s = slot_at(ipa);
    struct sg_mmio m;
    if (s && ec == EC_DABT_LOW && !(esr & ESR_S1PTW)) {
        if (sg_mmio_decode(esr, ipa, &m)) {
            if (emulate_mmio(vcpu, &m, s))
                return true;
            stop_guest("the kernel refused to read or write its vCPU registers");
            return false;
        }
        sg_printf("%s: guest %s: access to virtio %s at 0x%lx without syndrome (pc 0x%lx, esr "
                  "0x%lx)\n",
                  microkit_name, guest, s->dev->name, ipa, pc, esr);
        stop_guest("device access the VMM cannot decode");
        return false;
    }
    // Neither RAM nor a device: the guest gets what hardware would give
    // it, a synchronous external abort (Linux: SIGBUS for a user access).
    sg_printf("%s: guest %s: access to unmapped 0x%lx (%s, pc 0x%lx, esr 0x%lx)\n", microkit_name,
              guest, ipa,
              ec == EC_IABT_LOW ? "instruction fetch"
              : esr & ESR_WNR   ? "write"
                                : "read",
              pc, esr);
    if (sg_vcpu_inject_abort(vcpu) == 0)
        return false; // the kernel already made the vCPU runnable at its vector
    stop_guest("external abort (access to unmapped guest-physical memory) not deliverable");
    return false;
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    uint64_t esr = microkit_mr_get(0), addr = microkit_mr_get(1), pc = microkit_mr_get(2),
             kind = microkit_mr_get(3);
    if (!running || child >= config.num_vcpus) {
        sg_printf("%s: guest %s: fault of vcpu %u ignored (guest not running)\n", microkit_name,
                  guest, child);
        return false;
    }
    switch (kind) {
    case SG_FAULT_STAGE2:
        return guest_abort(child, esr, addr, pc);
    case SG_FAULT_VCPU_OFF:
        if ((uint32_t)addr == PSCI_SYSTEM_OFF) {
            halt_guest();
            sg_printf("%s: guest %s powered off\n", microkit_name, guest);
        } else {
            // The kernel does not reload preloaded images, and the one in
            // RAM has run (its data and the freed initrd are gone): a reset
            // cannot start the guest afresh, so it ends like a power-off.
            stop_guest("it asked for a reset; images are not reloaded, so it stays off");
        }
        return false;
    default:
        sg_printf("%s: guest %s: unhandled trap (kind %lu, esr 0x%lx, pc 0x%lx)\n", microkit_name,
                  guest, kind, esr, pc);
        stop_guest("trap the VMM does not emulate");
        return false;
    }
}
