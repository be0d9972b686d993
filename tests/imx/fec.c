// SPDX-License-Identifier: BSD-2-Clause
// The FEC driver's register logic, PHY handling and rings
// (drivers/net/imx_fec/fec.c) against QEMU's own ENET model: ENET1 of
// mcimx7d-sabre, at the MaaXBoard's FEC1 address, on QEMU's user network
// (slirp: 10.0.2.2 and 10.0.2.3 answer ARP).  Polled, as the PD is when
// its interrupt arrives.  Small rings (4 descriptors) so that every test
// wraps them.  The suite counts the ARP requests QEMU saw leave (pcap)
// against the number this program says it sent.
#include "harness.h"
#include "net/imx_fec/fec.h"

#define ENET1 0x30be0000u
#define NBD   4u
#define BUFSZ 2048u

static const uint8_t our_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static const uint8_t macs[2][6] = {{0x02, 0x00, 0x5e, 0x10, 0x00, 0x01},
                                   {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02}};
static const uint8_t our_ip[4] = {10, 0, 2, 15};

static struct fec fec;
static uint32_t sent; // ARP requests handed to the controller and completed

// DMA memory: both rings, then NBD rx buffers, then NBD tx buffers.
#define RX_RING ((volatile struct fec_bd *)__dma_start)
#define TX_RING ((volatile struct fec_bd *)(__dma_start + 0x800))
#define RX_BUF(i) (__dma_start + 0x1000 + (i) * BUFSZ)
#define TX_BUF(i) (__dma_start + 0x1000 + (NBD + (i)) * BUFSZ)

static uint32_t reg(uint32_t off)
{
    return *(volatile uint32_t *)(ENET1 + off);
}

static uint64_t now_us(void)
{
    return h_now() / h_ticks_per_us();
}

// An ARP request for 10.0.2.<host> into tx buffer i; its length.
static uint32_t arp_request(uint32_t i, uint8_t host)
{
    uint8_t *f = TX_BUF(i);
    static const uint8_t head[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
                                   0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01};
    h_memcpy(f, head, sizeof(head));
    h_memcpy(f + 6, our_mac, 6);
    h_memcpy(f + 22, our_mac, 6);
    h_memcpy(f + 28, our_ip, 4);
    h_memset(f + 32, 0, 6);
    const uint8_t tip[4] = {10, 0, 2, host};
    h_memcpy(f + 38, tip, 4);
    return 42;
}

// Whether rx buffer i holds slirp's ARP reply for 10.0.2.<host>.
static bool is_arp_reply(uint32_t i, uint32_t len, uint8_t host)
{
    const uint8_t *f = RX_BUF(i);
    const uint8_t tip[4] = {10, 0, 2, host};
    return len >= 42 && len <= 64 && h_memcmp(f, our_mac, 6) == 0 && f[12] == 0x08 &&
           f[13] == 0x06 && f[20] == 0 && f[21] == 2 && h_memcmp(f + 28, tip, 4) == 0 &&
           h_memcmp(f + 32, our_mac, 6) == 0 && h_memcmp(f + 38, our_ip, 4) == 0;
}

// Poll as the PD does on an interrupt until `ntx` frames were sent and
// `nrx` received (or 1 s passed); received cookies go to got[].
static void run(uint32_t ntx, uint32_t nrx, struct fec_rx *got, uint32_t *ntx_done,
                uint32_t *nrx_done)
{
    uint64_t end = now_us() + 1000000;
    *ntx_done = *nrx_done = 0;
    while ((*ntx_done < ntx || *nrx_done < nrx) && now_us() < end) {
        (void)fec_events(&fec);
        uint32_t c;
        while (fec_tx_take(&fec, &c))
            ++*ntx_done;
        while (*nrx_done < nrx && fec_rx_take(&fec, &got[*nrx_done]))
            ++*nrx_done;
        fec_tx_kick(&fec);
    }
    sent += *ntx_done;
}

// One request, one reply; the reply's buffer is posted again.
static bool round_trip(uint8_t host)
{
    uint32_t len = arp_request(0, host), t, r;
    struct fec_rx got;
    if (!fec_tx_put(&fec, 0, (uint32_t)TX_BUF(0), TX_BUF(0), len))
        return false;
    fec_tx_kick(&fec);
    run(1, 1, &got, &t, &r);
    bool ok = t == 1 && r == 1 && got.ok && is_arp_reply(got.cookie, got.len, host);
    if (r)
        fec_rx_post(&fec, got.cookie, (uint32_t)RX_BUF(got.cookie), RX_BUF(got.cookie));
    fec_rx_kick(&fec);
    return ok;
}

int main(void);

int main(void)
{
    // The MaaXBoard's PHY is at MDIO address 4; QEMU's answers at 0.
    struct fec_params p = {
        .regs = (volatile void *)ENET1, .clock_hz = 266000000, .now_us = now_us,
        .rx_ring = RX_RING, .tx_ring = TX_RING, .rx_ring_pa = (uint32_t)RX_RING,
        .tx_ring_pa = (uint32_t)TX_RING, .nrx = NBD, .ntx = NBD, .phy_addr = 4,
        .macs = macs, .nmacs = 2,
    };
    enum fec_result e = fec_init(&fec, &p);
    if (!h_ok(e == FEC_OK, "init: controller and PHY set up (%s)", fec_strerror(e)))
        return h_done();
    h_ok(fec.phy == 0 && fec.phy_id == 0x0007c0d1,
         "init: the PHY is found by a scan when the board's address has none (at %u, id %x)",
         fec.phy, (unsigned)fec.phy_id);
    h_ok(fec.link.up && fec.link.mbps == 100 && fec.link.full_duplex && !fec.gigabit,
         "link: up at 100 Mbit/s full duplex, what the PHY's and partner's abilities share");
    h_ok((reg(0x024) & 0x132) == 0x102, "ECR: enabled, little-endian legacy descriptors, not "
                                        "gigabit (0x%x)", (unsigned)reg(0x024));
    h_ok(reg(0x084) >> 16 == 1522 && (reg(0x084) & 0xf) == 0x4,
         "RCR: frames up to 1522 bytes with FCS, MII mode, no loopback, no promiscuity (0x%x)",
         (unsigned)reg(0x084));
    h_ok(reg(0x0c4) == 0x4, "TCR: full duplex (0x%x)", (unsigned)reg(0x0c4));
    h_ok(reg(0x044) == (53u << 1), "MSCR: MDC at 2.46 MHz from 266 MHz (0x%x)",
         (unsigned)reg(0x044));
    h_ok(reg(0x188) == FEC_RX_BUF, "MRBR: %u-byte receive buffers", (unsigned)reg(0x188));
    h_ok(reg(0x0e4) == 0x02005e10u && reg(0x0e8) >> 16 == 0x0001,
         "PALR/PAUR: the first MAC is the controller's (0x%x 0x%x)", (unsigned)reg(0x0e4),
         (unsigned)reg(0x0e8));
    h_ok(reg(0x180) == (uint32_t)RX_RING && reg(0x184) == (uint32_t)TX_RING,
         "RDSR/TDSR: the rings' addresses");

    for (uint32_t i = 0; i < NBD; i++)
        fec_rx_post(&fec, i, (uint32_t)RX_BUF(i), RX_BUF(i));
    h_ok(!fec_rx_post(&fec, 9, (uint32_t)RX_BUF(0), RX_BUF(0)), "rx: a full ring takes no more");
    fec_rx_kick(&fec);

    h_ok(round_trip(2), "ARP who-has 10.0.2.2 goes out; the reply comes back to our MAC");

    bool all = true;
    for (int i = 0; i < 20; i++)
        all &= round_trip(i % 2 ? 3 : 2);
    h_ok(all, "20 round trips through 4-descriptor rings: every reply right, the rings wrap "
              "five times");

    // Four requests in one batch: the transmitter takes them all.
    for (uint32_t i = 0; i < NBD; i++)
        fec_tx_put(&fec, i, (uint32_t)TX_BUF(i), TX_BUF(i), arp_request(i, 2));
    h_ok(!fec_tx_put(&fec, 9, (uint32_t)TX_BUF(0), TX_BUF(0), 42), "tx: a full ring takes no more");
    fec_tx_kick(&fec);
    struct fec_rx got[8];
    uint32_t t, r;
    run(NBD, NBD, got, &t, &r);
    bool replies = r == NBD;
    for (uint32_t i = 0; i < r; i++)
        replies &= got[i].ok && is_arp_reply(got[i].cookie, got[i].len, 2);
    h_ok(t == NBD && replies, "a batch of 4: sent and answered (%u sent, %u replies)",
         (unsigned)t, (unsigned)r);

    // Those four replies filled the rx ring, and nothing was posted again:
    // the controller stops (RDAR clear), QEMU holds the next frames back.
    for (uint32_t i = 0; i < 2; i++)
        fec_tx_put(&fec, i, (uint32_t)TX_BUF(i), TX_BUF(i), arp_request(i, 3));
    fec_tx_kick(&fec);
    struct fec_rx more[2];
    run(2, 0, more, &t, &r);
    h_ok(t == 2 && !fec_rx_take(&fec, &more[0]) && !(reg(0x010) & (1u << 24)),
         "rx ring full: two more requests go out, no reply lands, RDAR is clear");
    for (uint32_t i = 0; i < NBD; i++)
        fec_rx_post(&fec, got[i].cookie, (uint32_t)RX_BUF(got[i].cookie), RX_BUF(got[i].cookie));
    fec_rx_kick(&fec);
    run(0, 2, more, &t, &r);
    h_ok(r == 2 && more[0].ok && more[1].ok && is_arp_reply(more[0].cookie, more[0].len, 3) &&
             is_arp_reply(more[1].cookie, more[1].len, 3),
         "buffers posted again and RDAR written: the two held-back replies arrive");
    for (uint32_t i = 0; i < r; i++)
        fec_rx_post(&fec, more[i].cookie, (uint32_t)RX_BUF(more[i].cookie),
                    RX_BUF(more[i].cookie));

    // A restart (as for a new link speed) with the rx ring's head mid-way:
    // the buffers it holds move to the ring's start.
    uint32_t head_cookie = fec.rx.slot[fec.rx.head].cookie, was_head = fec.rx.head;
    fec_stop(&fec);
    h_ok(!(reg(0x024) & 2), "stop: the controller is disabled");
    fec_start(&fec);
    h_ok(was_head != 0 && fec.rx.head == 0 && fec.rx.count == NBD &&
             RX_RING[0].addr == (uint32_t)RX_BUF(head_cookie) && (RX_RING[0].flags & 0x8000) &&
             (RX_RING[NBD - 1].flags & 0x2000),
         "restart: rx buffers laid out from descriptor 0 (head was %u), wrap bit on the last",
         (unsigned)was_head);
    h_ok(round_trip(2) && round_trip(3), "after the restart, round trips work");

    h_ok(!fec_tx_put(&fec, 0, (uint32_t)TX_BUF(0) + 2, TX_BUF(0) + 2, 42) &&
             !fec_tx_put(&fec, 0, (uint32_t)TX_BUF(0), TX_BUF(0), 13) &&
             !fec_tx_put(&fec, 0, (uint32_t)TX_BUF(0), TX_BUF(0), FEC_MAX_FRAME + 1),
         "tx: a misaligned buffer, a runt and an oversized frame are refused");
    h_ok(fec.stats.rx_errors == 0 && fec.stats.bus_errors == 0 && fec.stats.tx_frames == sent,
         "stats: %u frames sent, %u received, no errors", (unsigned)fec.stats.tx_frames,
         (unsigned)fec.stats.rx_frames);
    h_printf("# arp requests sent: %u\n", (unsigned)sent);
    return h_done();
}
