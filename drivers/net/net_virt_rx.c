// SPDX-License-Identifier: BSD-2-Clause
// Net rx virtualiser PD: routes each received frame to the copier of every
// client that should see it (net_switch.h).  Frames come from two places:
// the driver (from the uplink, in the driver's rx region) and net_virt_tx
// (from another guest, in the switch's region; the descriptor's status is
// the sending client, checked by net_virt_tx against its source MAC).
//
// The frame stays where it is (read-only here and in the copiers); the
// copiers get descriptors {offset, len, status = which region} on their
// active rings and give them back on their free rings once copied.  A
// buffer goes back to its owner when every copier it went to has given it
// back: each buffer carries the set of copiers holding it, and a copier
// may only give back a buffer it holds.  A copier whose ring is full
// misses the frame (counted); a copier that breaks its free ring is
// dropped, and the buffers it held count as returned.
#include "net/net_config.h"
#include "net/net_switch.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_virt_config config;

struct client {
    struct net_end end; // we fill its active ring, it fills its free ring
    bool live;
    uint32_t dropped;
};

// One source of frames: the peer fills the active ring, we give buffers
// back on the free ring.
struct source {
    struct net_end end;
    uint32_t n;
    uint64_t holders[SG_NET_RING_SIZE]; // bit c: client c's copier holds buffer i
    bool ok, notify;
    const char *name;
    microkit_channel ch;
};

static struct source sources[2] = {[SG_NET_FROM_DRIVER] = {.name = "the driver"},
                                   [SG_NET_FROM_LOCAL] = {.name = "net_virt_tx"}};
static struct client clients[SYSGEN_MAX_CLIENTS];
static uint8_t macs[SYSGEN_MAX_CLIENTS][6];
static struct net_switch_table table = {macs, 0, 0, 0, false};
static uint64_t notify_clients; // bit c: frames were posted to copier c
static bool ready;

static bool source_init(struct source *s, const struct sysgen_conn *c, uint32_t nbufs)
{
    s->ok = net_end(c, &s->end) && (s->n = nbufs) != 0;
    s->ch = c->ch;
    return s->ok;
}

void init(void)
{
    const struct sysgen_conn *dc = &config.driver, *lc = &config.local;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_VIRT_RX, sizeof(config)) ||
        config.num_clients > SYSGEN_MAX_CLIENTS ||
        !source_init(&sources[SG_NET_FROM_LOCAL], lc, sg_net_tx_bufs(lc->data_size))) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    table.has_uplink =
        source_init(&sources[SG_NET_FROM_DRIVER], dc, sg_net_rx_bufs(dc->data_size));
    if (!table.has_uplink && (dc->queue_vaddr || dc->data_vaddr))
        sg_printf("%s: unusable driver connection; guests reach only each other\n",
                  microkit_name);
    for (uint32_t i = 0; i < config.num_clients; i++) {
        const struct sysgen_net_client *c = &config.clients[i];
        __builtin_memcpy(macs[i], c->mac, 6);
        if (!net_end_rings(&c->conn, &clients[i].end)) {
            sg_printf("%s: client %u: unusable connection, ignored\n", microkit_name, i);
            continue;
        }
        if (sg_net_mac_is_group(c->mac))
            sg_printf("%s: client %u: mac is a group address; it gets group frames only\n",
                      microkit_name, i);
        clients[i].live = true;
        table.live |= 1ull << i;
    }
    table.nclients = config.num_clients;
    ready = true;
}

static void give_back(struct source *s, uint32_t i)
{
    struct sg_net_desc d = {i * SG_NET_BUF_SIZE, 0, SG_NET_OK};
    // The source lends at most n buffers, so its free ring has room.
    sg_net_put(&s->end.free, &d);
    s->notify = true;
}

// Client c's copier no longer holds buffer i of source s.
static void release(struct source *s, uint32_t i, uint32_t c)
{
    s->holders[i] &= ~(1ull << c);
    if (!s->holders[i])
        give_back(s, i);
}

static void route(enum sg_net_source from, const struct sg_net_desc *d)
{
    struct source *s = &sources[from];
    int i = sg_net_buf_index(d->offset, s->n);
    if (i < 0 || s->holders[i] || !sg_net_len_ok(d->len)) {
        sg_printf("%s: %s sent a bad descriptor (offset 0x%x len %u)\n", microkit_name, s->name,
                  d->offset, (unsigned)d->len);
        if (i >= 0 && !s->holders[i])
            give_back(s, (uint32_t)i);
        return;
    }
    table.full = 0;
    for (uint32_t c = 0; c < config.num_clients; c++)
        if (!sg_net_room(&clients[c].end.active))
            table.full |= 1ull << c;
    // A frame from the switch names its sender; net_virt_tx checked it.
    int sender = from == SG_NET_FROM_LOCAL ? (int)d->status : NET_FROM_UPLINK;
    struct net_route r = net_switch_route(&table, s->end.data + d->offset, sender);
    struct sg_net_desc out = {d->offset, d->len, (uint16_t)from};
    for (uint32_t c = 0; c < config.num_clients; c++) {
        if (r.dropped & (1ull << c)) {
            uint32_t n = ++clients[c].dropped;
            if ((n & (n - 1)) == 0) // logged at powers of two
                sg_printf("%s: client %u: %u frames dropped so far (its queue was full)\n",
                          microkit_name, c, n);
        }
        if ((r.clients & (1ull << c)) && sg_net_put(&clients[c].end.active, &out)) {
            s->holders[i] |= 1ull << c;
            notify_clients |= 1ull << c;
        }
    }
    if (!s->holders[i])
        give_back(s, (uint32_t)i); // nobody's: dropped
}

static void from_source(enum sg_net_source from)
{
    struct source *s = &sources[from];
    for (int n; s->ok && (n = sg_net_pending(&s->end.active)) != 0;) {
        if (n < 0) {
            sg_printf("%s: %s broke its ring; ignoring it\n", microkit_name, s->name);
            s->ok = false;
            if (from == SG_NET_FROM_DRIVER)
                table.has_uplink = false;
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&s->end.active, &d);
        route(from, &d);
    }
}

static void from_copier(uint32_t c)
{
    struct client *cl = &clients[c];
    for (int n; cl->live && (n = sg_net_pending(&cl->end.free)) != 0;) {
        if (n < 0) {
            sg_printf("%s: client %u's copier broke its free ring; dropping it\n", microkit_name,
                      c);
            cl->live = false;
            table.live &= ~(1ull << c);
            for (int from = 0; from < 2; from++)
                for (uint32_t i = 0; i < sources[from].n; i++)
                    if (sources[from].holders[i] & (1ull << c))
                        release(&sources[from], i, c);
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&cl->end.free, &d);
        struct source *s = d.status <= SG_NET_FROM_LOCAL ? &sources[d.status] : 0;
        int i = s ? sg_net_buf_index(d.offset, s->n) : -1;
        if (i < 0 || !(s->holders[i] & (1ull << c))) {
            sg_printf("%s: client %u's copier returned buffer 0x%x it does not hold\n",
                      microkit_name, c, d.offset);
            continue;
        }
        release(s, (uint32_t)i, c);
    }
}

void notified(microkit_channel ch)
{
    (void)ch; // every event: look at every ring, they are cheap to check
    if (!ready)
        return;
    for (uint32_t c = 0; c < config.num_clients; c++)
        from_copier(c);
    from_source(SG_NET_FROM_DRIVER);
    from_source(SG_NET_FROM_LOCAL);
    for (int from = 0; from < 2; from++)
        if (sources[from].notify) {
            microkit_notify(sources[from].ch);
            sources[from].notify = false;
        }
    for (uint32_t c = 0; c < config.num_clients; c++)
        if (notify_clients & (1ull << c))
            microkit_notify(config.clients[c].conn.ch);
    notify_clients = 0;
}
