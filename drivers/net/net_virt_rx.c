// SPDX-License-Identifier: BSD-2-Clause
// Net rx virtualiser PD: routes each frame the driver received to the
// copier of every client that should see it, by destination MAC:
//
//   unicast             the client whose configured MAC it is (else dropped)
//   broadcast/multicast every client
//
// The frame stays in the driver's rx buffer (read-only here and in the
// copiers); the copiers get descriptors {offset, len} on their active
// rings and give them back on their free rings once copied.  A buffer goes
// back to the driver when every copier it went to has given it back: each
// buffer carries the set of copiers holding it, and a copier may only give
// back a buffer it holds.  A copier that breaks its free ring is dropped,
// and the buffers it held count as returned.
#include "net/net_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_virt_config config;

struct client {
    struct net_end end; // we fill its active ring, it fills its free ring
    bool live;
};

static struct net_end drv; // the driver fills its active ring, we fill its free ring
static struct client clients[SYSGEN_MAX_CLIENTS];
static uint32_t nbufs;
static uint32_t holders[SG_NET_RING_SIZE]; // bit c: client c's copier holds buffer i
static uint64_t notify_clients;            // bit c: frames were posted to copier c
static bool notify_driver, ready;

void init(void)
{
    const struct sysgen_conn *dc = &config.driver;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_VIRT_RX, sizeof(config)) ||
        config.num_clients > SYSGEN_MAX_CLIENTS || !net_end(dc, &drv) ||
        !(nbufs = sg_net_rx_bufs(dc->data_size))) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    for (uint32_t i = 0; i < config.num_clients; i++) {
        const struct sysgen_net_client *c = &config.clients[i];
        if (!net_end(&c->conn, &clients[i].end)) {
            sg_printf("%s: client %u: unusable connection, ignored\n", microkit_name, i);
            continue;
        }
        if (sg_net_mac_is_group(c->mac))
            sg_printf("%s: client %u: mac is a group address; it gets group frames only\n",
                      microkit_name, i);
        clients[i].live = true;
    }
    ready = true;
}

static void to_driver(uint32_t i)
{
    struct sg_net_desc d = {i * SG_NET_BUF_SIZE, 0, SG_NET_OK};
    // The driver lends at most nbufs buffers, so its free ring has room.
    sg_net_put(&drv.free, &d);
    notify_driver = true;
}

// Client c's copier no longer holds buffer i.
static void release(uint32_t i, uint32_t c)
{
    holders[i] &= ~(1u << c);
    if (!holders[i])
        to_driver(i);
}

static bool mac_eq(const volatile uint8_t *a, const uint8_t *b)
{
    for (int k = 0; k < 6; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static void route(const struct sg_net_desc *d)
{
    int i = sg_net_buf_index(d->offset, nbufs);
    if (i < 0 || holders[i] || !sg_net_len_ok(d->len)) {
        sg_printf("%s: driver sent a bad rx descriptor (offset 0x%x len %u)\n", microkit_name,
                  d->offset, (unsigned)d->len);
        if (i >= 0 && !holders[i])
            to_driver((uint32_t)i);
        return;
    }
    const volatile uint8_t *dst = drv.data + d->offset;
    bool group = sg_net_mac_is_group(dst);
    struct sg_net_desc out = {d->offset, d->len, SG_NET_OK};
    for (uint32_t c = 0; c < config.num_clients; c++) {
        if (!clients[c].live || !(group || mac_eq(dst, config.clients[c].mac)))
            continue;
        // A copier holds at most the whole pool, so this only fails on a
        // copier that broke its ring; that copier misses the frame.
        if (sg_net_put(&clients[c].end.active, &out)) {
            holders[i] |= 1u << c;
            notify_clients |= 1ull << c;
        }
    }
    if (!holders[i])
        to_driver((uint32_t)i); // nobody's: dropped
}

static void from_driver(void)
{
    for (int n; (n = sg_net_pending(&drv.active)) != 0;) {
        if (n < 0) {
            sg_printf("%s: the driver broke its rx ring; ignoring it\n", microkit_name);
            ready = false;
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&drv.active, &d);
        route(&d);
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
            for (uint32_t i = 0; i < nbufs; i++)
                if (holders[i] & (1u << c))
                    release(i, c);
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&cl->end.free, &d);
        int i = sg_net_buf_index(d.offset, nbufs);
        if (i < 0 || !(holders[i] & (1u << c))) {
            sg_printf("%s: client %u's copier returned buffer 0x%x it does not hold\n",
                      microkit_name, c, d.offset);
            continue;
        }
        release((uint32_t)i, c);
    }
}

void notified(microkit_channel ch)
{
    (void)ch; // every event: look at every ring, they are cheap to check
    if (!ready)
        return;
    for (uint32_t c = 0; c < config.num_clients; c++)
        from_copier(c);
    from_driver();
    if (notify_driver)
        microkit_notify(config.driver.ch);
    for (uint32_t c = 0; c < config.num_clients; c++)
        if (notify_clients & (1ull << c))
            microkit_notify(config.clients[c].conn.ch);
    notify_driver = false;
    notify_clients = 0;
}
