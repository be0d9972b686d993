// SPDX-License-Identifier: BSD-2-Clause
// Net copier PD, one per client: copies each frame net_virt_rx routed to
// this client out of the driver's rx buffer, or out of the switch's region
// for a frame from another guest (both read-only here; the descriptor's
// status says which), into a buffer the client gave it in the client's
// own rx data region.  So a client
// (its VMM) maps only its own rx region and never sees a driver buffer,
// hence never another client's frames; and a slow or stuck client costs
// only its own frames: the driver buffer always goes straight back to
// net_virt_rx, and a frame that finds no client buffer is dropped.
//
// The client's free ring is untrusted: each buffer {offset, len =
// capacity} must lie in the client's rx region and hold the frame, else it
// is handed back at once on the active ring with len 0 and SG_NET_EINVAL,
// and the next buffer is tried.  A client that breaks its rings is no
// longer served; net_virt_rx still gets every buffer back.
#include "net/net_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_copy_config config;

static struct net_end virt;   // net_virt_rx fills active, we fill free
static struct net_end client; // we fill active, the client fills free
static const volatile uint8_t *local_data; // the switch's frames
static uint64_t local_size;
static bool ready, client_ok;
static uint32_t dropped;

void init(void)
{
    // Without an uplink there are no driver buffers: the rings alone.
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_COPY, sizeof(config)) ||
        !(config.virt.data_vaddr ? net_end(&config.virt, &virt)
                                 : net_end_rings(&config.virt, &virt))) {
        sg_printf("%s: unusable config, copier stays idle\n", microkit_name);
        return;
    }
    if (config.local.vaddr && config.local.size <= 0x100000000ull) {
        local_data = (const volatile uint8_t *)config.local.vaddr;
        local_size = config.local.size;
    }
    client_ok = net_end(&config.client, &client);
    if (!client_ok)
        sg_printf("%s: unusable client connection; dropping every frame\n", microkit_name);
    ready = true;
}

static void client_broke(const char *ring)
{
    sg_printf("%s: the client broke its %s ring; no longer serving it\n", microkit_name, ring);
    client_ok = false;
}

// Deliver one frame (checked) to the client; false if it was dropped.
static bool deliver(const volatile uint8_t *frame, uint16_t len, bool *notify)
{
    while (client_ok) {
        int n = sg_net_pending(&client.free);
        if (n < 0) {
            client_broke("free");
            return false;
        }
        // The client's active ring holds at most what it gave us; no room
        // means it broke that ring's head.  Either way: no buffer, drop.
        if (n == 0 || !sg_net_room(&client.active))
            return false;
        struct sg_net_desc b;
        sg_net_take(&client.free, &b);
        *notify = true;
        if (!sg_net_range_ok(b.offset, b.len, client.data_size) || b.len < len) {
            struct sg_net_desc bad = {b.offset, 0, SG_NET_EINVAL};
            sg_net_put(&client.active, &bad);
            continue;
        }
        net_copy_bytes(client.data + b.offset, frame, len);
        struct sg_net_desc out = {b.offset, len, SG_NET_OK};
        sg_net_put(&client.active, &out);
        return true;
    }
    return false;
}

void notified(microkit_channel ch)
{
    (void)ch;
    if (!ready)
        return;
    bool to_virt = false, to_client = false;
    for (int n; (n = sg_net_pending(&virt.active)) != 0;) {
        if (n < 0) {
            sg_printf("%s: net_virt_rx broke its ring; stopping\n", microkit_name);
            ready = false;
            break;
        }
        // Every frame taken is given back at once: the free ring mirrors the
        // active ring, so it has room unless net_virt_rx broke its head.
        if (!sg_net_room(&virt.free))
            break;
        struct sg_net_desc d;
        sg_net_take(&virt.active, &d);
        bool local = d.status == SG_NET_FROM_LOCAL;
        const volatile uint8_t *region = local ? local_data : virt.data;
        uint64_t size = local ? local_size : d.status == SG_NET_FROM_DRIVER ? virt.data_size : 0;
        if (!sg_net_len_ok(d.len) || !sg_net_range_ok(d.offset, d.len, size) ||
            !deliver(region + d.offset, d.len, &to_client)) {
            // Frames for a client no longer served are not news.
            if (client_ok && (++dropped == 1 || !(dropped & (dropped - 1))))
                sg_printf("%s: %u frames dropped so far (no client buffer)\n", microkit_name,
                          dropped);
        }
        d.len = 0; // the status stays: it names the buffer's region
        sg_net_put(&virt.free, &d);
        to_virt = true;
    }
    if (to_virt)
        microkit_notify(config.virt.ch);
    if (to_client)
        microkit_notify(config.client.ch);
}
