// SPDX-License-Identifier: BSD-2-Clause
// Net tx virtualiser PD: takes the clients' frames and switches them
// (net_switch.h): to the uplink through the driver's tx region, to other
// guests through the switch's own region and connection to net_virt_rx,
// or both.  Clients write frames in their own tx data regions (read-only
// here) and queue {offset, len} on their active rings; this PD copies each
// frame into one of its buffers, decides on that copy, and hands the
// client's descriptor straight back on the client's free ring with a
// status:
//
//   SG_NET_OK      copied and sent on (or dropped by the rules: a frame to
//                  the guest's own address, or to nobody known with no uplink)
//   SG_NET_EINVAL  length not a frame (14..1518 bytes), [offset, offset +
//                  len) not inside the client's tx data region, or the
//                  frame changed while it was being copied
//   SG_NET_EPERM   the source MAC is not the client's configured MAC
//
// Every decision is made on our copy, after copying, so the client cannot
// change the frame after the check; the client's bytes are read once
// before that only to choose which pool to copy into.  A bad descriptor
// fails that frame only; a client that breaks its rings is no longer
// served.  Clients are served round robin, one frame each per turn, so one
// client cannot starve the others of buffers.
#include "net/net_config.h"
#include "net/net_switch.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_virt_config config;

struct client {
    struct net_end end; // the client fills active, we fill free
    bool live;
    uint32_t refused;
};

// A pool of our buffers in one region, and who holds each.
struct pool {
    struct net_end end; // we fill the peer's active ring, it gives buffers back on free
    uint32_t n;
    bool lent[SG_NET_RING_SIZE];
    uint32_t free_list[SG_NET_RING_SIZE], nfree;
};

static struct pool uplink, local; // the driver's tx region; the switch's region
static bool has_uplink, ready;
static struct client clients[SYSGEN_MAX_CLIENTS];
static uint8_t macs[SYSGEN_MAX_CLIENTS][6];
static struct net_switch_table table = {macs, 0, 0, 0, false};
static uint64_t notify_clients;
static uint32_t driver_errors;

static bool pool_init(struct pool *p, const struct sysgen_conn *c)
{
    if (!net_end(c, &p->end) || !(p->n = sg_net_tx_bufs(c->data_size)))
        return false;
    for (uint32_t i = 0; i < p->n; i++)
        p->free_list[p->nfree++] = p->n - 1 - i;
    return true;
}

static bool conn_given(const struct sysgen_conn *c)
{
    return c->queue_vaddr || c->data_vaddr;
}

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_VIRT_TX, sizeof(config)) ||
        config.num_clients > SYSGEN_MAX_CLIENTS || !pool_init(&local, &config.local)) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    has_uplink = pool_init(&uplink, &config.driver);
    if (!has_uplink && conn_given(&config.driver))
        sg_printf("%s: unusable driver connection; guests reach only each other\n",
                  microkit_name);
    for (uint32_t c = 0; c < config.num_clients; c++) {
        __builtin_memcpy(macs[c], config.clients[c].mac, 6);
        if (!net_end(&config.clients[c].conn, &clients[c].end)) {
            sg_printf("%s: client %u: unusable connection, ignored\n", microkit_name, c);
            continue;
        }
        clients[c].live = true;
        table.live |= 1ull << c;
    }
    table.nclients = config.num_clients;
    table.has_uplink = has_uplink;
    ready = true;
}

// Buffers the peer is done with: each must be one it holds.
static bool reclaim(struct pool *p, const char *peer)
{
    for (int n; (n = sg_net_pending(&p->end.free)) != 0;) {
        if (n < 0) {
            sg_printf("%s: %s broke its free ring; ignoring it\n", microkit_name, peer);
            return false;
        }
        struct sg_net_desc d;
        sg_net_take(&p->end.free, &d);
        int i = sg_net_buf_index(d.offset, p->n);
        if (i < 0 || !p->lent[i]) {
            sg_printf("%s: %s returned buffer 0x%x it does not hold\n", microkit_name, peer,
                      d.offset);
            continue;
        }
        p->lent[i] = false;
        p->free_list[p->nfree++] = (uint32_t)i;
        // Clients were answered when their frame was copied, so a frame the
        // device would not take is only logged (the first few times).
        if (p == &uplink && d.status != SG_NET_OK && ++driver_errors <= 4)
            sg_printf("%s: the driver could not send a frame (status %u)\n", microkit_name,
                      (unsigned)d.status);
    }
    return true;
}

static volatile uint8_t *buf_of(struct pool *p, uint32_t i)
{
    return p->end.data + (uint64_t)i * SG_NET_BUF_SIZE;
}

// Send buffer i of pool p (taken from its free list) to the peer.  The
// peer holds at most p->n buffers, so its ring has room unless it broke
// its head index; then the buffer is simply lost to this pool.
static bool lend(struct pool *p, uint32_t i, uint16_t len, uint16_t status)
{
    struct sg_net_desc out = {i * SG_NET_BUF_SIZE, len, status};
    if (!sg_net_put(&p->end.active, &out))
        return false;
    p->lent[i] = true;
    return true;
}

static void refuse(uint32_t c, const struct sg_net_desc *d, const char *why)
{
    // Logged for the first few only: a hostile client must not flood the console.
    if (++clients[c].refused <= 8)
        sg_printf("%s: client %u: frame at offset 0x%x len %u refused: %s\n", microkit_name, c,
                  d->offset, (unsigned)d->len, why);
}

// Where one checked descriptor of client c goes; its status.
static uint16_t switch_frame(uint32_t c, const struct sg_net_desc *d, bool *to_driver,
                             bool *to_local)
{
    const volatile uint8_t *src = clients[c].end.data + d->offset;
    // A first look at the client's bytes picks the pool; only our copy counts.
    bool want_local = net_switch_route(&table, src, (int)c).clients != 0;
    struct pool *p = want_local || !has_uplink ? &local : &uplink;
    uint32_t i = p->free_list[--p->nfree];
    volatile uint8_t *buf = buf_of(p, i);
    net_copy_bytes(buf, src, d->len);
    struct net_route r = net_switch_route(&table, buf, (int)c);
    uint16_t status = SG_NET_OK;
    if (r.spoofed) {
        refuse(c, d, "source mac is not the client's");
        status = SG_NET_EPERM;
    } else if ((r.clients != 0) != want_local) {
        refuse(c, d, "the frame changed while it was copied");
        status = SG_NET_EINVAL;
    } else if (want_local) {
        if (r.uplink && uplink.nfree) { // a group frame: the outside gets a copy too
            uint32_t j = uplink.free_list[--uplink.nfree];
            net_copy_bytes(buf_of(&uplink, j), buf, d->len);
            if (lend(&uplink, j, d->len, SG_NET_OK))
                *to_driver = true;
        }
        if (lend(&local, i, d->len, (uint16_t)c)) {
            *to_local = true;
            return status;
        }
    } else if (r.uplink && lend(&uplink, i, d->len, SG_NET_OK)) {
        *to_driver = true;
        return status;
    }
    p->free_list[p->nfree++] = i; // not sent: the buffer is ours again
    return status;
}

// One frame of client c, if it has one and we have buffers for it; true if
// a descriptor was answered.
static bool serve_one(uint32_t c, bool *to_driver, bool *to_local)
{
    struct client *cl = &clients[c];
    if (!cl->live || !local.nfree || (has_uplink && !uplink.nfree) || !sg_net_room(&cl->end.free))
        return false;
    int n = sg_net_pending(&cl->end.active);
    if (n < 0) {
        sg_printf("%s: client %u broke its tx ring; dropping it\n", microkit_name, c);
        cl->live = false;
        return false;
    }
    if (n == 0)
        return false;
    struct sg_net_desc d;
    sg_net_take(&cl->end.active, &d);
    if (!sg_net_len_ok(d.len) || !sg_net_range_ok(d.offset, d.len, cl->end.data_size)) {
        refuse(c, &d, "outside the frame limits or the client's data region");
        d.status = SG_NET_EINVAL;
    } else {
        d.status = switch_frame(c, &d, to_driver, to_local);
    }
    sg_net_put(&cl->end.free, &d);
    notify_clients |= 1ull << c;
    return true;
}

void notified(microkit_channel ch)
{
    (void)ch;
    if (!ready)
        return;
    if (has_uplink && !reclaim(&uplink, "the driver"))
        has_uplink = table.has_uplink = false;
    if (!reclaim(&local, "net_virt_rx")) {
        ready = false;
        return;
    }
    bool to_driver = false, to_local = false, progress = true;
    while (progress) {
        progress = false;
        for (uint32_t c = 0; c < config.num_clients; c++)
            progress |= serve_one(c, &to_driver, &to_local);
    }
    if (to_driver)
        microkit_notify(config.driver.ch);
    if (to_local)
        microkit_notify(config.local.ch);
    for (uint32_t c = 0; c < config.num_clients; c++)
        if (notify_clients & (1ull << c))
            microkit_notify(config.clients[c].conn.ch);
    notify_clients = 0;
}
