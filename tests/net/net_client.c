// SPDX-License-Identifier: BSD-2-Clause
// A net test client: stands where a guest's VMM will, reads the VMM config
// sysgen writes (struct sysgen_vmm_config: mac, net_rx, net_tx), and talks
// to its copier (rx) and to net_virt_tx (tx) through the queues the way a
// VMM's virtio-net device will, on QEMU's user-mode network (gateway
// 10.0.2.2).  "client0" is the one whose guest name ends in 0, "client1"
// the other; client i uses IP 10.0.2.(15 + i).
//
// Each client, one step at a time:
//   1. ARP request for 10.0.2.2 from its own MAC and IP: the reply must come
//      back to it (and, checked on every frame, never to the other client);
//   2. tx descriptors net_virt_tx must refuse (offsets, lengths, a source
//      MAC not its own), each answered with its status;
//   3. ARP again: still served after its bad descriptors;
//   4. a burst of NET_TEST_BURST ARP requests in flight at once: as many replies;
//   5. a ping with a full-size frame, its payload compared on return;
//   6. client0 broadcasts a DHCP DISCOVER once client1 says it is at this
//      step; the gateway's DHCP OFFER goes to the broadcast MAC, and both
//      clients must receive it;
//   7. client1, done, breaks its tx and rx rings; client0 then sends one
//      more ARP request and one more DHCP DISCOVER, which must still be
//      answered (the OFFER, broadcast, meets client1's broken rx ring).
// client1 first gives its copier two bad rx buffers, which must come back
// unused with SG_NET_EINVAL.
// Neither starts before both have posted their rx buffers: client0 may
// never idle while the net PDs answer it, so without that client1 might
// not have run at all while client0's replies went by.
// Every frame received must be for this client's MAC or a group address;
// anything else is a FAIL line.  client0 ends the run when both are done.
#include <microkit.h>
#include <sysgen/config.h>
#include <sysgen/net_queue.h>

#include "net_test.h"

// A VMM's config: the test client stands where a guest's VMM will, and
// reads the same struct sysgen writes for it (net_rx from its copier,
// net_tx to net_virt_tx, its MAC; peers[0].ch, the vsock channel to the
// other VMM in sysgen's layout, serves as the clients' "done" channel).
__attribute__((section(".sysgen_config"))) struct sysgen_vmm_config config;

static uint64_t rx_data, tx_data, rx_size, tx_size;
static microkit_channel ch_rx, ch_tx, ch_done;

#define RX_BUFS 64u

enum kind { ARP, BAD, SPOOF, BURST, PING, DHCP, LAST_ARP, LAST_DHCP };

struct step {
    enum kind kind;
    uint32_t offset; // BAD: the descriptor sent (from_end: bytes before the region's end)
    bool from_end;
    uint16_t len;
    uint16_t want; // status wanted back
    const char *what;
};

static const struct step steps[] = {
    {ARP, 0, 0, 0, SG_NET_OK, "ARP request for 10.0.2.2"},
    {BAD, 30, 1, 60, SG_NET_EINVAL, "tx frame running past the data region's end"},
    {BAD, 0xfffffff0u, 0, 60, SG_NET_EINVAL, "tx offset that wraps around"},
    {BAD, 0, 0, 0, SG_NET_EINVAL, "tx length 0"},
    {BAD, 0, 0, 13, SG_NET_EINVAL, "tx length 13 (shorter than a header)"},
    {BAD, 0, 0, SG_NET_MAX_FRAME + 1, SG_NET_EINVAL, "tx length 1519"},
    {SPOOF, 0, 0, 0, SG_NET_EPERM, "tx frame with a source mac not its own"},
    {ARP, 0, 0, 0, SG_NET_OK, "ARP request for 10.0.2.2 again"},
    {BURST, 0, 0, 0, SG_NET_OK, "burst of ARP requests"},
    {PING, 0, 0, 0, SG_NET_OK, "ping 10.0.2.2 with 1472 bytes of payload (1514-byte frames)"},
    {DHCP, 0, 0, 0, SG_NET_OK, "DHCP DISCOVER broadcast"},
    // client0 only, once client1 is done and has broken its rings.
    {LAST_ARP, 0, 0, 0, SG_NET_OK, "ARP request after the other client broke its tx ring"},
    {LAST_DHCP, 0, 0, 0, SG_NET_OK, "DHCP DISCOVER after the other client broke its rx ring"},
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]) - 2 * (me != 0)) // client1: no LAST_*

// client1 also gives its copier two rx buffers it must hand back unused:
// one running past the rx data region, one too small for any frame.
#define NBAD_RX 2u
static struct sg_net_desc bad_rx[NBAD_RX]; // set in init(), from the region's size

static const char *const status_names[] = {"ok", "invalid", "refused (not its mac)", "io error"};

static struct sg_net_ring rx_act, rx_free, tx_act, tx_free;
static unsigned me, step, failures;
static bool started, done, dhcp_sent, last_sent;
static unsigned bad_rx_back; // of bad_rx, handed back 'invalid'
// Notifications from client1 on the done channel: 1 = its rx buffers are
// posted; 2 = at its DHCP step, listening; 3 = done.  client0 answers the
// first with "go" (client1 waits for it before its first step), and the
// third can only follow our DISCOVER: each follows our answer to the one
// before, so no two merge into one notification.
static unsigned peer_events;
static uint8_t mac[6];
static const uint8_t spoof_mac[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x66};
static uint8_t ip[4];
static const uint8_t gw_ip[4] = {10, 0, 2, 2};

// Per step: tx descriptors still out, replies counted since the step began.
static unsigned tx_out, arp_replies, arp_want, offers, pongs, frames, foreign;
static uint16_t last_status;

static void fail2(const char *what, const char *detail)
{
    sg_printf("%s: FAIL: %s: %s\n", microkit_name, what, detail);
    failures++;
}

static volatile uint8_t *tx_buf(unsigned slot)
{
    return (volatile uint8_t *)tx_data + slot * SG_NET_BUF_SIZE;
}

static void put_mac(volatile uint8_t *p, const uint8_t *m)
{
    for (int k = 0; k < 6; k++)
        p[k] = m[k];
}

static void put16(volatile uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_ip(volatile uint8_t *p, const uint8_t *a)
{
    for (int k = 0; k < 4; k++)
        p[k] = a[k];
}

static void send(uint32_t offset, uint16_t len)
{
    struct sg_net_desc d = {offset, len, 0};
    if (!sg_net_put(&tx_act, &d)) {
        fail2("send", "tx ring full");
        return;
    }
    tx_out++;
}

// An ARP request for 10.0.2.2 from `src` in tx slot `slot` (60 bytes,
// padded to Ethernet's minimum).
static void arp_request(unsigned slot, const uint8_t *src)
{
    volatile uint8_t *f = tx_buf(slot);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    for (int k = 0; k < 60; k++)
        f[k] = 0;
    put_mac(f, bcast);
    put_mac(f + 6, src);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);      // hardware: Ethernet
    put16(f + 16, 0x0800); // protocol: IPv4
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1); // request
    put_mac(f + 22, src);
    put_ip(f + 28, ip);
    put_ip(f + 38, gw_ip);
    send(slot * SG_NET_BUF_SIZE, 60);
}

#define PING_PAYLOAD 1472u // a 1500-byte IP packet, a full-size frame

static uint8_t ping_byte(unsigned k)
{
    return (uint8_t)(k * 7 + me * 13 + 1);
}

static uint16_t ip_checksum(const volatile uint8_t *h, unsigned n)
{
    uint32_t sum = 0;
    for (unsigned k = 0; k < n; k += 2)
        sum += (uint32_t)h[k] << 8 | h[k + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

// DHCP DISCOVER from 0.0.0.0:68 to 255.255.255.255:67 (UDP checksum 0:
// none, which IPv4 allows).
static void dhcp_discover(unsigned slot)
{
    volatile uint8_t *f = tx_buf(slot);
    const unsigned len = 14 + 20 + 8 + 236 + 4 + 4;
    for (unsigned k = 0; k < len; k++)
        f[k] = 0;
    for (int k = 0; k < 6; k++)
        f[k] = 0xff;
    put_mac(f + 6, mac);
    put16(f + 12, 0x0800);
    volatile uint8_t *iph = f + 14;
    iph[0] = 0x45;
    put16(iph + 2, (uint16_t)(len - 14));
    iph[8] = 64; // TTL
    iph[9] = 17; // UDP
    for (int k = 16; k < 20; k++)
        iph[k] = 0xff;
    put16(iph + 10, ip_checksum(iph, 20));
    volatile uint8_t *udp = iph + 20;
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, (uint16_t)(len - 34));
    volatile uint8_t *bp = udp + 8;
    bp[0] = 1; // BOOTREQUEST
    bp[1] = 1; // Ethernet
    bp[2] = 6;
    bp[4] = 0x5e; // xid
    bp[5] = 0x70 + (uint8_t)me;
    put_mac(bp + 28, mac);
    static const uint8_t cookie_opts[8] = {99, 130, 83, 99, 53, 1, 1, 255}; // DISCOVER, end
    for (int k = 0; k < 8; k++)
        bp[236 + k] = cookie_opts[k];
    send(slot * SG_NET_BUF_SIZE, (uint16_t)len);
}

// An ICMP echo request to 10.0.2.2, which the user-mode network answers
// itself with the same payload: full-size frames both ways, bytes compared.
static void ping(unsigned slot)
{
    volatile uint8_t *f = tx_buf(slot);
    const unsigned len = 14 + 20 + 8 + PING_PAYLOAD;
    static const uint8_t gw_mac[6] = {0x52, 0x55, 10, 0, 2, 2};
    put_mac(f, gw_mac);
    put_mac(f + 6, mac);
    put16(f + 12, 0x0800);
    volatile uint8_t *iph = f + 14;
    for (int k = 0; k < 20; k++)
        iph[k] = 0;
    iph[0] = 0x45;
    put16(iph + 2, (uint16_t)(len - 14));
    iph[8] = 64;
    iph[9] = 1; // ICMP
    put_ip(iph + 12, ip);
    put_ip(iph + 16, gw_ip);
    put16(iph + 10, ip_checksum(iph, 20));
    volatile uint8_t *icmp = iph + 20;
    icmp[0] = 8; // echo request
    icmp[1] = 0;
    put16(icmp + 2, 0);
    put16(icmp + 4, (uint16_t)(0x5e00 + me)); // id
    put16(icmp + 6, 1);                       // sequence
    for (unsigned k = 0; k < PING_PAYLOAD; k++)
        icmp[8 + k] = ping_byte(k);
    put16(icmp + 2, ip_checksum(icmp, 8 + PING_PAYLOAD));
    send(slot * SG_NET_BUF_SIZE, (uint16_t)len);
}

static bool mac_eq(const volatile uint8_t *a, const uint8_t *b)
{
    for (int k = 0; k < 6; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static bool ip_eq(const volatile uint8_t *a, const uint8_t *b)
{
    for (int k = 0; k < 4; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static unsigned get16(const volatile uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void start_step(void)
{
    const struct step *s = &steps[step];
    last_status = 0xffff;
    switch (s->kind) {
    case LAST_ARP:
        return; // sent by advance() once client1 is done
    case LAST_DHCP:
        dhcp_discover(0);
        break;
    case ARP:
        arp_want = arp_replies + 1;
        arp_request(0, mac);
        break;
    case BAD:
        send(s->from_end ? (uint32_t)(tx_size - s->offset) : s->offset, s->len);
        break;
    case SPOOF:
        arp_request(0, spoof_mac);
        break;
    case PING:
        ping(0);
        break;
    case BURST:
        arp_want = arp_replies + NET_TEST_BURST;
        for (unsigned k = 0; k < NET_TEST_BURST; k++)
            arp_request(k, mac);
        break;
    case DHCP:
        // client1 says it is listening; client0 sends once it heard that
        // (see advance()), so the broadcast cannot beat client1's buffers.
        if (me != 0)
            microkit_notify(ch_done);
        break;
    }
    microkit_notify(ch_tx);
}

static void finish(void)
{
    if (me != 0) {
        if (bad_rx_back == NBAD_RX)
            sg_printf("%s: its %u bad rx buffers came back unused, 'invalid'\n", microkit_name,
                      (unsigned)NBAD_RX);
        else
            fail2("bad rx buffers", "not all handed back 'invalid'");
    }
    sg_printf("%s: done, %u frames received, %u for another mac, %u failures\n", microkit_name,
              frames, foreign, failures);
    done = true;
    if (me == 0)
        return;
    // Last, break both rings (tails far beyond anything posted):
    // net_virt_tx and the copier must stop serving this client and go on
    // serving client0 (its next ARP request, and its next broadcast).
    tx_act.idx->tail = tx_act.own + 1000;
    rx_free.idx->tail = rx_free.own + 1000;
    microkit_notify(ch_tx);
    microkit_notify(ch_done);
}

// Is the current step complete?  Then report it and start the next.
static void advance(void)
{
    while (!done) {
        const struct step *s = &steps[step];
        if (s->kind == DHCP && me == 0 && !dhcp_sent) {
            if (peer_events < 2)
                return;
            dhcp_sent = true;
            dhcp_discover(0);
            microkit_notify(ch_tx);
        }
        if (s->kind == LAST_ARP && !last_sent) {
            if (peer_events < 3)
                return;
            last_sent = true;
            arp_want = arp_replies + 1;
            arp_request(0, mac);
            microkit_notify(ch_tx);
        }
        if (tx_out)
            return;
        if ((s->kind == ARP || s->kind == BURST || s->kind == LAST_ARP) && arp_replies < arp_want)
            return;
        if (s->kind == DHCP && !offers)
            return;
        if (s->kind == PING && !pongs)
            return;
        if (s->kind == LAST_DHCP && offers < 2)
            return;
        bool sent = s->kind != DHCP || me == 0;
        if (sent && last_status != s->want) {
            const char *got = last_status < 4 ? status_names[last_status] : "?";
            fail2(s->what, got);
        } else if (s->kind == BAD || s->kind == SPOOF) {
            sg_printf("%s: %s -> %s\n", microkit_name, s->what, status_names[s->want]);
        } else if (s->kind == BURST) {
            sg_printf("%s: %s: %u in flight, %u replies\n", microkit_name, s->what, NET_TEST_BURST,
                      NET_TEST_BURST);
        } else if (s->kind == PING) {
            sg_printf("%s: %s: reply, payload identical\n", microkit_name, s->what);
        } else if (s->kind == DHCP) {
            sg_printf("%s: received the gateway's broadcast DHCP OFFER\n", microkit_name);
        } else if (s->kind == LAST_ARP) {
            sg_printf("%s: %s -> reply\n", microkit_name, s->what);
        } else if (s->kind == LAST_DHCP) {
            sg_printf("%s: %s -> OFFER\n", microkit_name, s->what);
        }
        if (++step == NSTEPS) {
            finish();
            return;
        }
        start_step();
    }
}

static void on_frame(const volatile uint8_t *f, uint16_t len)
{
    frames++;
    if (!mac_eq(f, mac) && !sg_net_mac_is_group(f)) {
        foreign++;
        sg_printf("%s: FAIL: received a frame for %x:%x:%x:%x:%x:%x\n", microkit_name, f[0], f[1],
                  f[2], f[3], f[4], f[5]);
        failures++;
        return;
    }
    unsigned type = get16(f + 12);
    if (type == 0x0806 && len >= 42 && get16(f + 20) == 2 && ip_eq(f + 28, gw_ip) &&
        ip_eq(f + 38, ip) && mac_eq(f + 32, mac)) {
        if (arp_replies++ == 0)
            sg_printf("%s: ARP reply: 10.0.2.2 is at %x:%x:%x:%x:%x:%x\n", microkit_name, f[22],
                      f[23], f[24], f[25], f[26], f[27]);
    } else if (type == 0x0800 && len >= 14 + 20 + 8 + 240 && f[14 + 9] == 17 &&
               get16(f + 34) == 67 && get16(f + 36) == 68 && f[42] == 2) {
        if (!sg_net_mac_is_group(f))
            fail2("DHCP OFFER", "not sent to the broadcast address");
        offers++;
    } else if (type == 0x0800 && f[14 + 9] == 1 && f[34] == 0 && get16(f + 38) == 0x5e00 + me) {
        // Our echo reply: the whole payload must have come through intact.
        bool same = len == 14 + 20 + 8 + PING_PAYLOAD;
        for (unsigned k = 0; same && k < PING_PAYLOAD; k++)
            same = f[42 + k] == ping_byte(k);
        if (!same)
            fail2("ping", "echo reply differs from the request");
        pongs++;
    }
}

static void poll(void)
{
    bool repost = false;
    for (int n; (n = sg_net_pending(&rx_act)) != 0;) {
        if (n < 0) {
            fail2("rx", "copier broke the active ring");
            break;
        }
        struct sg_net_desc d;
        sg_net_take(&rx_act, &d);
        if (d.status == SG_NET_EINVAL && d.len == 0 && me != 0 && bad_rx_back < NBAD_RX &&
            d.offset == bad_rx[bad_rx_back].offset) {
            bad_rx_back++; // handed back in the order given; not posted again
            continue;
        }
        if (d.status != SG_NET_OK || !sg_net_len_ok(d.len) ||
            !sg_net_range_ok(d.offset, d.len, rx_size) || d.offset % SG_NET_BUF_SIZE)
            fail2("rx", "copier returned a bad descriptor");
        else
            on_frame((const volatile uint8_t *)rx_data + d.offset, d.len);
        struct sg_net_desc b = {d.offset - d.offset % SG_NET_BUF_SIZE, SG_NET_BUF_SIZE, 0};
        sg_net_put(&rx_free, &b);
        repost = true;
    }
    if (repost)
        microkit_notify(ch_rx);
    for (int n; (n = sg_net_pending(&tx_free)) > 0;) {
        struct sg_net_desc d;
        sg_net_take(&tx_free, &d);
        if (tx_out)
            tx_out--;
        // A burst's statuses must all be OK: keep the worst.
        if (last_status == 0xffff || d.status != SG_NET_OK)
            last_status = d.status;
    }
}

void init(void)
{
    const struct sysgen_config_header *h = &config.header;
    if (h->magic != SYSGEN_CONFIG_MAGIC || h->kind != SYSGEN_KIND_VMM ||
        h->size != sizeof(config) || !config.net_rx.queue_vaddr || !config.net_tx.queue_vaddr ||
        config.num_peers < 1 || config.net_rx.data_size < RX_BUFS * SG_NET_BUF_SIZE ||
        config.net_tx.data_size < NET_TEST_BURST * SG_NET_BUF_SIZE) {
        sg_printf("%s: FAIL: no usable VMM config with net connections and a peer\n",
                  microkit_name);
        sg_dbg_exit(1);
    }
    // client0 ends the run: the guest whose name ends in 0.
    const char *g = config.guest_name;
    unsigned n = 0;
    while (n < SYSGEN_NAME_LEN - 1 && g[n])
        n++;
    me = n && g[n - 1] == '0' ? 0 : 1;
    for (int k = 0; k < 6; k++)
        mac[k] = config.mac[k];
    rx_data = config.net_rx.data_vaddr;
    rx_size = config.net_rx.data_size;
    tx_data = config.net_tx.data_vaddr;
    tx_size = config.net_tx.data_size;
    ch_rx = config.net_rx.ch;
    ch_tx = config.net_tx.ch;
    ch_done = config.peers[0].ch;
    bad_rx[0] = (struct sg_net_desc){(uint32_t)(rx_size - 100), SG_NET_BUF_SIZE, 0};
    bad_rx[1] = (struct sg_net_desc){RX_BUFS * SG_NET_BUF_SIZE, 10, 0};
    ip[0] = 10;
    ip[1] = 0;
    ip[2] = 2;
    ip[3] = (uint8_t)(15 + me);
    volatile struct sg_net_queue *rq = (volatile struct sg_net_queue *)config.net_rx.queue_vaddr;
    volatile struct sg_net_queue *tq = (volatile struct sg_net_queue *)config.net_tx.queue_vaddr;
    rx_act = sg_net_ring(rq, true);
    rx_free = sg_net_ring(rq, false);
    tx_act = sg_net_ring(tq, true);
    tx_free = sg_net_ring(tq, false);
    for (unsigned k = 0; me != 0 && k < NBAD_RX; k++)
        sg_net_put(&rx_free, &bad_rx[k]);
    for (unsigned k = 0; k < RX_BUFS; k++) {
        struct sg_net_desc b = {k * SG_NET_BUF_SIZE, SG_NET_BUF_SIZE, 0};
        sg_net_put(&rx_free, &b);
    }
    microkit_notify(ch_rx);
    // Both clients listen before either sends: every frame routed wrongly
    // would find the other one ready to notice it.
    if (me != 0)
        microkit_notify(ch_done);
}

void notified(microkit_channel ch)
{
    if (ch == ch_done) {
        peer_events++;
        if (!started) { // client0: client1 is listening; client1: go
            started = true;
            if (me == 0)
                microkit_notify(ch_done);
            start_step();
        }
    }
    if (!started)
        return;
    poll();
    advance();
    if (me == 0 && done && peer_events >= 3) {
        sg_printf("%s: all clients done\n", microkit_name);
        sg_dbg_exit(failures ? 1 : 0);
    }
}
