// SPDX-License-Identifier: BSD-2-Clause
// Pass 3, layout.  Device classes follow one shape (design §5): a driver PD
// owns the hardware, virtualisers multiplex it, clients (the VMMs) connect
// through shared queue + data regions and a channel.  The order in which
// things are created below is the order they appear in every output.
#include "layout/layout.h"
#include "check/check.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

static const struct {
    enum pd_role role;
    const char *image; // program image; "%s" takes the board driver name
    uint32_t priority;
    uint16_t kind;
} roles[] = {
    {ROLE_SERIAL_DRIVER, "serial_driver_%s.elf", 250, SYSGEN_KIND_SERIAL_DRIVER},
    {ROLE_SERIAL_VIRT_TX, "serial_virt_tx.elf", 249, SYSGEN_KIND_SERIAL_VIRT_TX},
    {ROLE_SERIAL_VIRT_RX, "serial_virt_rx.elf", 249, SYSGEN_KIND_SERIAL_VIRT_RX},
    {ROLE_BLK_DRIVER, "blk_driver_%s.elf", 240, SYSGEN_KIND_BLK_DRIVER},
    {ROLE_BLK_VIRT, "blk_virt.elf", 239, SYSGEN_KIND_BLK_VIRT},
    {ROLE_NET_DRIVER, "net_driver_%s.elf", 230, SYSGEN_KIND_NET_DRIVER},
    {ROLE_NET_VIRT_RX, "net_virt_rx.elf", 229, SYSGEN_KIND_NET_VIRT_RX},
    {ROLE_NET_VIRT_TX, "net_virt_tx.elf", 229, SYSGEN_KIND_NET_VIRT_TX},
    {ROLE_NET_COPY, "net_copy.elf", 228, SYSGEN_KIND_NET_COPY},
    {ROLE_VMM, "vmm.elf", 100, SYSGEN_KIND_VMM},
};

struct builder {
    struct system *sys;
    struct layout *l;
    bool failed;
};

// ---- physical memory ---------------------------------------------------------

static struct memory_region *new_region(struct builder *b, char *name, uint64_t size,
                                        struct pos pos)
{
    struct layout *l = b->l;
    struct memory_region *mr = xcalloc(1, sizeof(*mr));
    mr->name = name;
    mr->size = size;
    mr->pos = pos;
    mr->page_size = (size >= 2 * MiB && is_aligned(size, 2 * MiB)) ? 2 * MiB : 4 * KiB;
    uint64_t at = align_up(l->pool_next, mr->page_size);
    if (at + size > l->pool_end || at + size < at) {
        char s[32];
        if (!b->failed)
            error_at(pos,
                     "out of RAM placing memory region '%s' (%s): the board has too little "
                     "left after the guests",
                     name, format_size(size, s));
        b->failed = true;
    } else {
        mr->paddr = at;
        l->pool_next = at + size;
    }
    l->mrs = xrealloc(l->mrs, (l->nmrs + 1) * sizeof(*l->mrs));
    l->mrs[l->nmrs++] = mr;
    return mr;
}

// Device registers: fixed addresses, page aligned, shared when two devices
// sit in one page (QEMU's virtio-mmio slots are 0x200 apart).
static struct memory_region *device_region(struct builder *b, const char *name,
                                           const struct board_device *d)
{
    uint64_t start = d->base & ~(4 * KiB - 1);
    uint64_t size = align_up(d->base + d->size, 4 * KiB) - start;
    for (size_t i = 0; i < b->l->nmrs; i++) {
        struct memory_region *mr = b->l->mrs[i];
        if (mr->device && mr->paddr == start && mr->size == size) {
            // "disk_regs" + "nic_regs" -> "disk_nic_regs": say who shares it
            size_t keep = strlen(mr->name) - strlen("_regs");
            char *both = xasprintf("%.*s_%s", (int)keep, mr->name, name);
            free(mr->name);
            mr->name = both;
            return mr;
        }
    }
    struct memory_region *mr = xcalloc(1, sizeof(*mr));
    mr->name = xstrdup(name);
    mr->size = size;
    mr->paddr = start;
    mr->page_size = 4 * KiB;
    mr->device = true;
    mr->pos = b->sys->board_pos;
    b->l->mrs = xrealloc(b->l->mrs, (b->l->nmrs + 1) * sizeof(*b->l->mrs));
    b->l->mrs[b->l->nmrs++] = mr;
    return mr;
}

// ---- protection domains --------------------------------------------------------

static struct pd *new_pd(struct builder *b, enum pd_role role, char *name, const char *driver,
                         struct pos pos)
{
    struct pd *pd = xcalloc(1, sizeof(*pd));
    pd->name = name;
    pd->role = role;
    pd->pos = pos;
    pd->priority = roles[role].priority;
    pd->program_image = xasprintf(roles[role].image, driver ? driver : "");
    pd->next_vaddr = PD_VADDR_BASE;
    b->l->pds = xrealloc(b->l->pds, (b->l->npds + 1) * sizeof(*b->l->pds));
    b->l->pds[b->l->npds++] = pd;
    return pd;
}

static uint64_t map(struct pd *pd, struct memory_region *mr, const char *perms, bool cached)
{
    struct mapping *m;
    pd->maps = xrealloc(pd->maps, (pd->nmaps + 1) * sizeof(*pd->maps));
    m = &pd->maps[pd->nmaps++];
    memset(m, 0, sizeof(*m));
    m->mr = mr;
    m->vaddr = align_up(pd->next_vaddr, mr->page_size);
    snprintf(m->perms, sizeof(m->perms), "%s", perms);
    m->cached = cached;
    pd->next_vaddr = m->vaddr + mr->size;
    return m->vaddr;
}

static uint32_t new_id(struct pd *pd)
{
    return pd->next_id++;
}

static uint32_t add_irq(struct pd *pd, uint32_t irq)
{
    pd->irqs = xrealloc(pd->irqs, (pd->nirqs + 1) * sizeof(*pd->irqs));
    pd->irqs[pd->nirqs] = (struct pd_irq){irq, new_id(pd)};
    return pd->irqs[pd->nirqs++].id;
}

static void new_channel(struct builder *b, struct pd *a, struct pd *bb, uint32_t *id_a,
                        uint32_t *id_b, const char *why, struct pos pos)
{
    struct layout *l = b->l;
    l->channels = xrealloc(l->channels, (l->nchannels + 1) * sizeof(*l->channels));
    struct channel *c = &l->channels[l->nchannels++];
    memset(c, 0, sizeof(*c));
    c->a = a;
    c->b = bb;
    c->id_a = *id_a = new_id(a);
    c->id_b = *id_b = new_id(bb);
    c->why = xstrdup(why);
    c->pos = pos;
}

enum data_flow { ONE_WAY, BOTH_WAYS };

// A connection from producer `p` to consumer `c`: a queue region both
// write (rings run both ways), a data region the producer writes and the
// consumer reads (or both write, for block reads), and a channel.  Fills
// both sides' view of it.
static void connect(struct builder *b, struct pd *p, struct pd *c, const char *name,
                    uint64_t data_size, enum data_flow flow, struct pos pos, struct sysgen_conn *pv,
                    struct sysgen_conn *cv)
{
    struct memory_region *q = new_region(b, xasprintf("%s_queue", name), QUEUE_REGION_SIZE, pos);
    struct memory_region *d = new_region(b, xasprintf("%s_data", name), data_size, pos);
    memset(pv, 0, sizeof(*pv));
    memset(cv, 0, sizeof(*cv));
    pv->queue_vaddr = map(p, q, "rw", true);
    cv->queue_vaddr = map(c, q, "rw", true);
    pv->data_vaddr = map(p, d, "rw", true);
    cv->data_vaddr = map(c, d, flow == BOTH_WAYS ? "rw" : "r", true);
    pv->queue_size = cv->queue_size = q->size;
    pv->data_size = cv->data_size = d->size;
    pv->data_paddr = cv->data_paddr = d->paddr;
    new_channel(b, p, c, &pv->ch, &cv->ch, name, pos);
}

static void *new_config(struct pd *pd, size_t size)
{
    pd->config = xcalloc(1, size);
    pd->config_size = size;
    struct sysgen_config_header *h = pd->config;
    h->magic = SYSGEN_CONFIG_MAGIC;
    h->version = SYSGEN_CONFIG_VERSION;
    h->kind = roles[pd->role].kind;
    h->size = (uint32_t)size;
    snprintf(h->pd_name, sizeof(h->pd_name), "%s", pd->name);
    return pd->config;
}

static void device_config(struct pd *pd, struct memory_region *regs, const struct board_device *d,
                          struct sysgen_device *out)
{
    out->regs_vaddr = map(pd, regs, "rw", false) + (d->base - regs->paddr);
    out->regs_paddr = d->base;
    out->regs_size = d->size;
    out->irq = d->irq;
    out->irq_ch = add_irq(pd, d->irq);
}

// ---- device classes -----------------------------------------------------------------

static void build_serial(struct builder *b)
{
    struct system *sys = b->sys;
    struct pos pos = sys->board_pos;
    const struct board_device *uart = &sys->board->uart;
    struct pd *drv = new_pd(b, ROLE_SERIAL_DRIVER, xstrdup("serial_driver"), uart->driver, pos);
    struct pd *tx = new_pd(b, ROLE_SERIAL_VIRT_TX, xstrdup("serial_virt_tx"), NULL, pos);
    struct pd *rx = new_pd(b, ROLE_SERIAL_VIRT_RX, xstrdup("serial_virt_rx"), NULL, pos);
    struct sysgen_serial_driver_config *dc = new_config(drv, sizeof(*dc));
    struct sysgen_serial_virt_config *tc = new_config(tx, sizeof(*tc));
    struct sysgen_serial_virt_config *rc = new_config(rx, sizeof(*rc));
    device_config(drv, device_region(b, "uart_regs", uart), uart, &dc->uart);
    connect(b, tx, drv, "serial_tx_driver", SERIAL_DATA_SIZE, ONE_WAY, pos, &tc->driver, &dc->tx);
    connect(b, drv, rx, "serial_rx_driver", SERIAL_DATA_SIZE, ONE_WAY, pos, &dc->rx, &rc->driver);
    tc->switch_char = rc->switch_char = SERIAL_SWITCH_CHAR;
}

static void build_blk(struct builder *b)
{
    struct system *sys = b->sys;
    struct pos pos = sys->disk.present ? sys->disk.pos : sys->board_pos;
    const struct board_device *disk = &sys->board->block;
    struct pd *drv = new_pd(b, ROLE_BLK_DRIVER, xstrdup("blk_driver"), disk->driver, pos);
    struct pd *virt = new_pd(b, ROLE_BLK_VIRT, xstrdup("blk_virt"), NULL, pos);
    struct sysgen_blk_driver_config *dc = new_config(drv, sizeof(*dc));
    struct sysgen_blk_virt_config *vc = new_config(virt, sizeof(*vc));
    device_config(drv, device_region(b, "disk_regs", disk), disk, &dc->disk);
    // Requests flow virt -> driver; the driver DMAs into the data region.
    connect(b, virt, drv, "blk_driver", BLK_DATA_SIZE, BOTH_WAYS, pos, &vc->driver, &dc->virt);
}

static void build_net(struct builder *b)
{
    struct system *sys = b->sys;
    struct pos pos = sys->board_pos;
    const struct board_device *nic = &sys->board->net;
    struct pd *drv = new_pd(b, ROLE_NET_DRIVER, xstrdup("net_driver"), nic->driver, pos);
    struct pd *rx = new_pd(b, ROLE_NET_VIRT_RX, xstrdup("net_virt_rx"), NULL, pos);
    struct pd *tx = new_pd(b, ROLE_NET_VIRT_TX, xstrdup("net_virt_tx"), NULL, pos);
    struct sysgen_net_driver_config *dc = new_config(drv, sizeof(*dc));
    struct sysgen_net_virt_config *rc = new_config(rx, sizeof(*rc));
    struct sysgen_net_virt_config *tc = new_config(tx, sizeof(*tc));
    device_config(drv, device_region(b, "nic_regs", nic), nic, &dc->nic);
    connect(b, drv, rx, "net_rx_driver", NET_DATA_SIZE, ONE_WAY, pos, &dc->rx, &rc->driver);
    connect(b, tx, drv, "net_tx_driver", NET_DATA_SIZE, ONE_WAY, pos, &tc->driver, &dc->tx);
}

static struct pd *find_pd(const struct layout *l, enum pd_role role)
{
    for (size_t i = 0; i < l->npds; i++)
        if (l->pds[i]->role == role)
            return l->pds[i];
    return NULL;
}

static struct memory_region *find_region(const struct layout *l, const char *name)
{
    for (size_t i = 0; i < l->nmrs; i++)
        if (strcmp(l->mrs[i]->name, name) == 0)
            return l->mrs[i];
    return NULL;
}

// ---- guests --------------------------------------------------------------------------

uint64_t guest_slot_gpa(const struct board *b, enum guest_slot s)
{
    return b->guest_virtio_base + (uint64_t)s * b->guest_virtio_stride;
}

uint32_t guest_slot_irq(const struct board *b, enum guest_slot s)
{
    return b->guest_virtio_first_irq + (uint32_t)s;
}

static void slot(const struct board *b, enum guest_slot s, struct sysgen_virtio_slot *out)
{
    out->gpa = guest_slot_gpa(b, s);
    out->irq = guest_slot_irq(b, s);
    out->present = 1;
}

// FNV-1a: a stable hash for derived MACs (same names, same MAC, forever).
static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

static bool mac_taken(const struct system *sys, const struct guest *self, const uint8_t mac[6])
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (g != self && g->net && (g->mac_given || g < self) && memcmp(g->mac, mac, 6) == 0)
            return true;
    }
    return false;
}

static void derive_mac(const struct system *sys, struct guest *g)
{
    uint64_t h = fnv1a(g->name, fnv1a("/", fnv1a(sys->name, 0xcbf29ce484222325ull)));
    do {
        for (int i = 0; i < 6; i++)
            g->mac[i] = (uint8_t)(h >> (8 * i));
        g->mac[0] = (uint8_t)((g->mac[0] & 0xfc) | 0x02); // locally administered, unicast
        h = fnv1a("+", h);                                // on a clash, walk on
    } while (mac_taken(sys, g, g->mac));
}

static void assign_cids(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (!g->vsock || g->cid_given)
            continue;
        uint32_t cid = 3;
        for (bool clash = true; clash;) {
            clash = false;
            for (size_t j = 0; j < sys->nguests; j++) {
                const struct guest *o = &sys->guests[j];
                if (o != g && o->vsock && (o->cid_given || j < i) && o->cid == cid) {
                    clash = true;
                    cid++;
                }
            }
        }
        g->cid = cid;
    }
}

static void place_guest_images(const struct board *bd, struct guest *g)
{
    uint64_t base = bd->guest_ram_base;
    g->kernel_gpa = base + g->kernel_text_offset;
    g->dtb_gpa = base + g->memory - 2 * MiB;
    g->initrd_gpa = g->dtb_gpa - align_up(g->initrd_size, 2 * MiB);
}

static void build_vmm(struct builder *b, struct guest *g, struct memory_region *ram)
{
    const struct board *bd = b->sys->board;
    struct layout *l = b->l;
    struct pd *vmm = new_pd(b, ROLE_VMM, xasprintf("vmm_%s", g->name), NULL, g->pos);
    struct sysgen_vmm_config *vc = new_config(vmm, sizeof(*vc));
    g->vmm = vmm;
    vmm->guest = g;
    vmm->guest_ram = ram;
    snprintf(vc->guest_name, sizeof(vc->guest_name), "%s", g->name);
    vc->ram_vaddr = map(vmm, ram, "rw", true);
    vc->ram_gpa = bd->guest_ram_base;
    vc->ram_size = g->memory;
    place_guest_images(bd, g);
    vc->kernel_gpa = g->kernel_gpa;
    vc->dtb_gpa = g->dtb_gpa;
    vc->initrd_gpa = g->initrd_gpa;
    vc->initrd_size = g->initrd_size;
    vc->num_vcpus = 1;
    if (g->console) {
        struct pd *tx = find_pd(l, ROLE_SERIAL_VIRT_TX), *rx = find_pd(l, ROLE_SERIAL_VIRT_RX);
        struct sysgen_serial_virt_config *tc = tx->config, *rc = rx->config;
        struct sysgen_serial_client *tcl = &tc->clients[tc->num_clients++];
        struct sysgen_serial_client *rcl = &rc->clients[rc->num_clients++];
        char *n1 = xasprintf("serial_tx_%s", g->name), *n2 = xasprintf("serial_rx_%s", g->name);
        slot(bd, SLOT_CONSOLE, &vc->console);
        connect(b, vmm, tx, n1, SERIAL_DATA_SIZE, ONE_WAY, g->console_pos, &vc->console_tx,
                &tcl->conn);
        connect(b, rx, vmm, n2, SERIAL_DATA_SIZE, ONE_WAY, g->console_pos, &rcl->conn,
                &vc->console_rx);
        snprintf(tcl->name, sizeof(tcl->name), "%s", g->name);
        snprintf(rcl->name, sizeof(rcl->name), "%s", g->name);
        free(n1);
        free(n2);
    }
    if (g->block && g->part) {
        struct pd *virt = find_pd(l, ROLE_BLK_VIRT);
        struct sysgen_blk_virt_config *bc = virt->config;
        struct sysgen_blk_client *cl = &bc->clients[bc->num_clients++];
        char *n = xasprintf("blk_%s", g->name);
        slot(bd, SLOT_BLOCK, &vc->block);
        connect(b, vmm, virt, n, BLK_DATA_SIZE, BOTH_WAYS, g->block_pos, &vc->block_conn,
                &cl->conn);
        cl->partition = (uint32_t)g->part->index;
        cl->start = g->part->start;
        cl->size = g->part->size;
        vc->block_capacity = g->part->size;
        free(n);
    }
    if (g->net) {
        struct pd *rx = find_pd(l, ROLE_NET_VIRT_RX), *tx = find_pd(l, ROLE_NET_VIRT_TX);
        struct sysgen_net_virt_config *rc = rx->config, *tc = tx->config;
        struct pd *copy = new_pd(b, ROLE_NET_COPY, xasprintf("net_copy_%s", g->name), NULL, g->pos);
        struct sysgen_net_copy_config *cc = new_config(copy, sizeof(*cc));
        struct sysgen_net_client *rcl = &rc->clients[rc->num_clients++];
        struct sysgen_net_client *tcl = &tc->clients[tc->num_clients++];
        char *n1 = xasprintf("net_rx_%s_virt", g->name), *n2 = xasprintf("net_rx_%s", g->name);
        char *n3 = xasprintf("net_tx_%s", g->name);
        copy->guest = g;
        slot(bd, SLOT_NET, &vc->net);
        if (!g->mac_given)
            derive_mac(b->sys, g);
        memcpy(vc->mac, g->mac, 6);
        memcpy(rcl->mac, g->mac, 6);
        memcpy(tcl->mac, g->mac, 6);
        // virt_rx hands the copier descriptors into the driver's rx buffers:
        // the copier reads those buffers, writes nothing the driver owns.
        struct memory_region *q =
            new_region(b, xasprintf("%s_queue", n1), QUEUE_REGION_SIZE, g->net_pos);
        struct sysgen_conn *rv = &rcl->conn, *cv = &cc->virt;
        struct memory_region *rxdata = find_region(l, "net_rx_driver_data");
        rv->queue_vaddr = map(rx, q, "rw", true);
        cv->queue_vaddr = map(copy, q, "rw", true);
        rv->queue_size = cv->queue_size = q->size;
        rv->data_vaddr = rc->driver.data_vaddr;
        cv->data_vaddr = map(copy, rxdata, "r", true);
        rv->data_size = cv->data_size = rxdata->size;
        rv->data_paddr = cv->data_paddr = rxdata->paddr;
        new_channel(b, rx, copy, &rv->ch, &cv->ch, n1, g->net_pos);
        connect(b, copy, vmm, n2, NET_DATA_SIZE, ONE_WAY, g->net_pos, &cc->client, &vc->net_rx);
        connect(b, vmm, tx, n3, NET_DATA_SIZE, ONE_WAY, g->net_pos, &vc->net_tx, &tcl->conn);
        free(n1);
        free(n2);
        free(n3);
    }
    if (g->vsock)
        slot(bd, SLOT_VSOCK, &vc->vsock);
}

// vsock: one shared region and one channel per pair of guests, VMM to VMM.
static void build_vsock(struct builder *b)
{
    struct system *sys = b->sys;
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *gi = &sys->guests[i];
        if (!gi->vsock)
            continue;
        ((struct sysgen_vmm_config *)gi->vmm->config)->cid = gi->cid;
        for (size_t j = i + 1; j < sys->nguests; j++) {
            struct guest *gj = &sys->guests[j];
            if (!gj->vsock)
                continue;
            char *name = xasprintf("vsock_%s_%s", gi->name, gj->name);
            struct memory_region *mr = new_region(b, name, VSOCK_REGION_SIZE, gi->vsock_pos);
            struct sysgen_vmm_config *ci = gi->vmm->config, *cj = gj->vmm->config;
            struct sysgen_vsock_peer *pi = &ci->peers[ci->num_peers++];
            struct sysgen_vsock_peer *pj = &cj->peers[cj->num_peers++];
            pi->cid = gj->cid;
            pj->cid = gi->cid;
            pi->vaddr = map(gi->vmm, mr, "rw", true);
            pj->vaddr = map(gj->vmm, mr, "rw", true);
            pi->size = pj->size = mr->size;
            pi->side = 0;
            pj->side = 1;
            new_channel(b, gi->vmm, gj->vmm, &pi->ch, &pj->ch, mr->name, gi->vsock_pos);
        }
    }
}

bool layout_system(struct system *sys)
{
    struct builder b = {sys, &sys->layout, false};
    const struct board *bd = sys->board;
    bool console = false, block = false, net = false;
    b.l->pool_next = bd->ram_base + bd->runtime_size;
    b.l->pool_end = bd->ram_base + bd->ram_size;
    assign_cids(sys);
    // Guest RAM first, largest alignment first: 2 MiB blocks, in YAML order.
    struct memory_region **ram = xcalloc(sys->nguests, sizeof(*ram));
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        ram[i] = new_region(&b, xasprintf("guest_ram_%s", g->name), g->memory, g->memory_pos);
        g->ram_paddr = ram[i]->paddr;
        console |= g->console;
        block |= g->block;
        net |= g->net;
    }
    if (console)
        build_serial(&b);
    if (block)
        build_blk(&b);
    if (net)
        build_net(&b);
    for (size_t i = 0; i < sys->nguests; i++)
        build_vmm(&b, &sys->guests[i], ram[i]);
    build_vsock(&b);
    free(ram);
    // What check promised, layout must have kept.
    if (b.l->npds != system_pd_count(sys))
        error_at(sys->board_pos, "internal: layout made %zu PDs, check counted %zu", b.l->npds,
                 system_pd_count(sys));
    for (size_t i = 0; i < b.l->npds; i++)
        if (b.l->pds[i]->next_id > SYSGEN_MAX_CHANNEL_ID + 1) {
            error_at(b.l->pds[i]->pos, "PD '%s' needs %u channel ids; the runtime allows 0..%d",
                     b.l->pds[i]->name, b.l->pds[i]->next_id, SYSGEN_MAX_CHANNEL_ID);
            b.failed = true;
        }
    return !b.failed && diag_error_count() == 0;
}

void layout_free(struct layout *l)
{
    for (size_t i = 0; i < l->npds; i++) {
        struct pd *pd = l->pds[i];
        free(pd->name);
        free(pd->program_image);
        for (size_t j = 0; j < pd->nmaps; j++)
            free(pd->maps[j].setvar_vaddr);
        free(pd->maps);
        free(pd->irqs);
        free(pd->config);
        free(pd);
    }
    for (size_t i = 0; i < l->nmrs; i++) {
        free(l->mrs[i]->name);
        free(l->mrs[i]);
    }
    for (size_t i = 0; i < l->nchannels; i++)
        free(l->channels[i].why);
    free(l->pds);
    free(l->mrs);
    free(l->channels);
    memset(l, 0, sizeof(*l));
}
