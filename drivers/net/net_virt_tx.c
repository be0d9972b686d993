// SPDX-License-Identifier: BSD-2-Clause
// Net tx virtualiser PD: merges the clients' frames into the driver's tx
// region.  Clients write frames in their own tx data regions (read-only
// here) and queue {offset, len} on their active rings; this PD copies each
// frame into one of its buffers in the driver's tx region, queues it to
// the driver, and hands the client's descriptor straight back on the
// client's free ring with a status:
//
//   SG_NET_OK      copied and queued to the driver
//   SG_NET_EINVAL  length not a frame (14..1518 bytes), or [offset, offset
//                  + len) not inside the client's tx data region
//   SG_NET_EPERM   the source MAC is not the client's configured MAC
//
// The source MAC check stops a client from sending as another client or
// as anything else: frames from a client carry its own address, which is
// also the one net_virt_rx routes replies by.  It is made on our copy,
// after copying, so the client cannot change the frame after the check.
// A bad descriptor fails that frame only; a client that breaks its rings
// is no longer served.  Clients are served round robin, one frame each
// per turn, so one client cannot starve the others of driver buffers.
#include "net/net_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_virt_config config;

struct client {
    struct net_end end; // the client fills active, we fill free
    bool live;
    uint32_t refused;
};

static struct net_end drv; // we fill the driver's active ring, it fills free
static struct client clients[SYSGEN_MAX_CLIENTS];
static uint32_t nbufs;
static bool at_driver[SG_NET_RING_SIZE];
static uint32_t free_list[SG_NET_RING_SIZE], nfree;
static uint64_t notify_clients;
static uint32_t driver_errors;
static bool ready;

void init(void)
{
    const struct sysgen_conn *dc = &config.driver;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_VIRT_TX, sizeof(config)) ||
        config.num_clients > SYSGEN_MAX_CLIENTS || !net_end(dc, &drv) ||
        !(nbufs = sg_net_tx_bufs(dc->data_size))) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    for (uint32_t i = 0; i < nbufs; i++)
        free_list[nfree++] = nbufs - 1 - i;
    for (uint32_t c = 0; c < config.num_clients; c++) {
        if (!net_end(&config.clients[c].conn, &clients[c].end)) {
            sg_printf("%s: client %u: unusable connection, ignored\n", microkit_name, c);
            continue;
        }
        clients[c].live = true;
    }
    ready = true;
}

// Buffers the driver has sent (or refused): each must be one it holds.
static void from_driver(void)
{
    for (int n; (n = sg_net_pending(&drv.free)) != 0;) {
        if (n < 0) {
            sg_printf("%s: the driver broke its tx free ring; ignoring it\n", microkit_name);
            ready = false;
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&drv.free, &d);
        int i = sg_net_buf_index(d.offset, nbufs);
        if (i < 0 || !at_driver[i]) {
            sg_printf("%s: driver returned buffer 0x%x it does not hold\n", microkit_name,
                      d.offset);
            continue;
        }
        at_driver[i] = false;
        free_list[nfree++] = (uint32_t)i;
        // Clients were answered when their frame was copied, so a frame the
        // device would not take is only logged (the first few times).
        if (d.status != SG_NET_OK && ++driver_errors <= 4)
            sg_printf("%s: the driver could not send a frame (status %u)\n", microkit_name,
                      (unsigned)d.status);
    }
}

static void refuse(uint32_t c, const struct sg_net_desc *d, const char *why)
{
    // Logged for the first few only: a hostile client must not flood the console.
    if (++clients[c].refused <= 8)
        sg_printf("%s: client %u: frame at offset 0x%x len %u refused: %s\n", microkit_name, c,
                  d->offset, (unsigned)d->len, why);
}

// One frame of client c, if it has one and we have a buffer; true if a
// descriptor was answered.
static bool serve_one(uint32_t c, bool *queued)
{
    struct client *cl = &clients[c];
    if (!cl->live || !nfree || !sg_net_room(&cl->end.free))
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
        uint32_t i = free_list[nfree - 1];
        volatile uint8_t *buf = drv.data + (uint64_t)i * SG_NET_BUF_SIZE;
        net_copy_bytes(buf, cl->end.data + d.offset, d.len);
        const uint8_t *mac = config.clients[c].mac;
        bool own = true;
        for (int k = 0; k < 6; k++)
            own &= buf[6 + k] == mac[k];
        if (!own) {
            refuse(c, &d, "source mac is not the client's");
            d.status = SG_NET_EPERM;
        } else {
            struct sg_net_desc out = {i * SG_NET_BUF_SIZE, d.len, SG_NET_OK};
            // The driver holds at most nbufs buffers, so its ring has room
            // unless the driver broke its head index.
            if (sg_net_put(&drv.active, &out)) {
                at_driver[i] = true;
                nfree--;
                *queued = true;
                d.status = SG_NET_OK;
            } else {
                d.status = SG_NET_EIO;
            }
        }
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
    from_driver();
    bool queued = false, progress = true;
    while (progress) {
        progress = false;
        for (uint32_t c = 0; c < config.num_clients; c++)
            progress |= serve_one(c, &queued);
    }
    if (queued)
        microkit_notify(config.driver.ch);
    for (uint32_t c = 0; c < config.num_clients; c++)
        if (notify_clients & (1ull << c))
            microkit_notify(config.clients[c].conn.ch);
    notify_clients = 0;
}
