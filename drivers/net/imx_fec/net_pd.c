// SPDX-License-Identifier: BSD-2-Clause
// The i.MX FEC net driver PD (net_driver_imx_fec.elf): the MaaXBoard's
// Ethernet behind the same two connections as the virtio-net driver, so
// net_virt_rx and net_virt_tx do not know which they talk to.  The
// register logic and the PHY are fec.c.
//
// Memory.  The descriptor rings live in the uncached region sysgen gives a
// NIC that does not see the CPU's caches (config.rings): rx ring in its
// first half, tx ring in its second.  The rx buffers are the
// SG_NET_BUF_SIZE pieces at the start of the rx data region, owned here
// and lent to net_virt_rx frame by frame (as the virtio driver does); the
// tx frames are read where net_virt_tx put them.
//
// Link.  The FEC has no link interrupt and the MaaXBoard wires the PHY's
// to a GPIO, so the link is read when the driver starts and then, at most
// once a second, whenever it has work.  When it comes up at another speed
// or duplex, the controller is restarted with every buffer kept.
#include "net/imx_fec/fec.h"
#include "net/net_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_net_driver_config config;

#define RING_BDS        128u // per ring: the queues' depth
#define LINK_POLL_US    1000000u

static struct fec fec;
static struct net_end rx, tx; // rx: we fill active; tx: we consume active
static uint64_t rx_paddr, tx_paddr, tx_size;
static uint32_t nbufs;                  // rx pool
static bool rx_at_virt[SG_NET_RING_SIZE]; // rx buffer i is lent to net_virt_rx
static struct sg_net_desc tx_req[RING_BDS]; // what net_virt_tx sent, by tx cookie
static bool tx_busy[RING_BDS];
static uint64_t last_link_poll;
static bool ready, dev_ok;

static uint64_t now_us(void)
{
    uint64_t count, freq;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(count));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return freq >= 1000000 ? count / (freq / 1000000) : count;
}

static void log_link(void)
{
    if (fec.link.up)
        sg_printf("%s: FEC at 0x%llx: link up, %u Mbit/s %s duplex\n", microkit_name,
                  (unsigned long long)config.nic.regs_paddr, fec.link.mbps,
                  fec.link.full_duplex ? "full" : "half");
    else
        sg_printf("%s: FEC at 0x%llx: link down\n", microkit_name,
                  (unsigned long long)config.nic.regs_paddr);
}

static bool rx_post(uint32_t i)
{
    rx_at_virt[i] = false;
    return fec_rx_post(&fec, i, (uint32_t)(rx_paddr + (uint64_t)i * SG_NET_BUF_SIZE),
                       (volatile uint8_t *)rx.data + (uint64_t)i * SG_NET_BUF_SIZE);
}

void init(void)
{
    const struct sysgen_dma_memory *rings = &config.rings;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_NET_DRIVER, sizeof(config)) ||
        !net_end(&config.rx, &rx) || !net_end(&config.tx, &tx) || !config.nic.regs_vaddr ||
        config.nic.regs_size < 0x200 || !config.num_macs || config.num_macs > SYSGEN_MAX_CLIENTS ||
        !rings->vaddr || rings->size < 2 * RING_BDS * sizeof(struct fec_bd) ||
        (rings->paddr & 0xfff) || rings->paddr + rings->size > 0x100000000ull ||
        !config.rx.data_paddr || (config.rx.data_paddr & 0xfff) ||
        config.rx.data_paddr + config.rx.data_size > 0x100000000ull || !config.tx.data_paddr ||
        config.tx.data_paddr + config.tx.data_size > 0x100000000ull ||
        !sg_net_rx_bufs(config.rx.data_size)) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    rx_paddr = config.rx.data_paddr;
    tx_paddr = config.tx.data_paddr;
    tx_size = config.tx.data_size;
    nbufs = sg_net_rx_bufs(config.rx.data_size);
    if (nbufs > RING_BDS)
        nbufs = RING_BDS;
    const uint8_t(*macs)[6] = (const uint8_t(*)[6])config.macs;
    struct fec_params p = {
        .regs = (volatile void *)config.nic.regs_vaddr,
        .clock_hz = config.nic.clock_hz,
        .now_us = now_us,
        .rx_ring = (volatile struct fec_bd *)rings->vaddr,
        .tx_ring = (volatile struct fec_bd *)(rings->vaddr + rings->size / 2),
        .rx_ring_pa = (uint32_t)rings->paddr,
        .tx_ring_pa = (uint32_t)(rings->paddr + rings->size / 2),
        .nrx = nbufs,
        .ntx = RING_BDS,
        .phy_addr = config.phy_addr,
        .macs = macs,
        .nmacs = config.num_macs,
    };
    enum fec_result e = fec_init(&fec, &p);
    ready = true;
    dev_ok = e == FEC_OK;
    if (!dev_ok) {
        sg_printf("%s: FEC at 0x%llx: %s; no frames will move\n", microkit_name,
                  (unsigned long long)config.nic.regs_paddr, fec_strerror(e));
        return;
    }
    for (uint32_t i = 0; i < nbufs; i++)
        rx_post(i);
    fec_rx_kick(&fec);
    last_link_poll = now_us();
    sg_printf("%s: FEC at 0x%llx: PHY %x at MDIO %u%s, %u rx buffers, %u tx slots, %u macs\n",
              microkit_name, (unsigned long long)config.nic.regs_paddr, fec.phy_id, fec.phy,
              fec.phy == config.phy_addr ? "" : " (not where the board says)", nbufs, RING_BDS,
              config.num_macs);
    log_link();
}

// Frames the controller wrote: lend each buffer to net_virt_rx (its active
// ring has room for the whole pool).  A bad frame puts the buffer straight
// back.
static bool rx_complete(void)
{
    bool sent = false;
    struct fec_rx r;
    while (fec_rx_take(&fec, &r)) {
        struct sg_net_desc d = {r.cookie * SG_NET_BUF_SIZE, (uint16_t)r.len, SG_NET_OK};
        if (!r.ok || !sg_net_len_ok(r.len) || !sg_net_put(&rx.active, &d)) {
            rx_post(r.cookie);
            continue;
        }
        rx_at_virt[r.cookie] = true;
        sent = true;
    }
    return sent;
}

// Buffers net_virt_rx gives back: each must be one we lent it.
static void rx_refill(void)
{
    for (int n; (n = sg_net_pending(&rx.free)) != 0;) {
        if (n < 0) {
            sg_printf("%s: net_virt_rx broke the rx free ring; ignoring it\n", microkit_name);
            ready = false;
            return;
        }
        struct sg_net_desc d;
        sg_net_take(&rx.free, &d);
        int i = sg_net_buf_index(d.offset, nbufs);
        if (i < 0 || !rx_at_virt[i]) {
            sg_printf("%s: net_virt_rx returned buffer 0x%x it does not hold\n", microkit_name,
                      d.offset);
            continue;
        }
        rx_post((uint32_t)i);
    }
}

// Frames the controller sent: their buffers go back to net_virt_tx.
static bool tx_complete(void)
{
    bool answered = false;
    uint32_t s;
    while (fec_tx_take(&fec, &s)) {
        tx_busy[s] = false;
        tx_req[s].status = SG_NET_OK;
        sg_net_put(&tx.free, &tx_req[s]);
        answered = true;
    }
    return answered;
}

// Frames net_virt_tx queued.  One is taken only while a descriptor is free
// and the free ring can hold every answer we owe.
static bool tx_submit(void)
{
    bool answered = false;
    for (;;) {
        int n = sg_net_pending(&tx.active);
        if (n < 0) {
            sg_printf("%s: net_virt_tx broke the tx ring; ignoring it\n", microkit_name);
            ready = false;
            break;
        }
        if (n == 0 || sg_net_room(&tx.free) <= fec.tx.count || fec.tx.count == fec.tx.n)
            break;
        uint32_t s = 0;
        while (s < RING_BDS && tx_busy[s])
            s++;
        struct sg_net_desc d;
        sg_net_take(&tx.active, &d);
        // The controller reads whatever the descriptor points at: keep it
        // inside the tx region, a frame, aligned as its DMA needs.
        if (!sg_net_len_ok(d.len) || !sg_net_range_ok(d.offset, d.len, tx_size) ||
            d.offset % FEC_BUF_ALIGN ||
            !fec_tx_put(&fec, s, (uint32_t)(tx_paddr + d.offset), tx.data + d.offset, d.len)) {
            d.status = SG_NET_EINVAL;
            sg_net_put(&tx.free, &d);
            answered = true;
            continue;
        }
        tx_busy[s] = true;
        tx_req[s] = d;
    }
    fec_tx_kick(&fec); // also restarts a transmitter stopped with frames ready
    return answered;
}

// The controller is stopped and started again (a bus error, a new link
// speed): what it finished is passed on first, every buffer it still holds
// stays lent to it.
static void restart(void)
{
    fec_stop(&fec);
    if (rx_complete())
        microkit_notify(config.rx.ch);
    if (tx_complete())
        microkit_notify(config.tx.ch);
    fec_start(&fec);
}

static void link_check(void)
{
    uint64_t now = now_us();
    if (now - last_link_poll < LINK_POLL_US)
        return;
    last_link_poll = now;
    enum fec_link_change c = fec_link_poll(&fec);
    if (c == FEC_LINK_SAME)
        return;
    if (c == FEC_LINK_RESTART)
        restart();
    log_link();
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    bool to_rx = false, to_tx = false;
    if (!dev_ok) {
        // Without a device, tx frames are answered at once so that
        // net_virt_tx gets its buffers back; rx simply never happens.
        struct sg_net_desc d;
        while (sg_net_pending(&tx.active) > 0 && sg_net_room(&tx.free)) {
            sg_net_take(&tx.active, &d);
            d.status = SG_NET_EIO;
            sg_net_put(&tx.free, &d);
            to_tx = true;
        }
        if (ch == config.nic.irq_ch)
            microkit_irq_ack(ch);
    } else {
        if (ch == config.nic.irq_ch) {
            // Acknowledge first: a completion after the look below raises
            // the interrupt again.
            uint32_t ev = fec_events(&fec);
            if (ev & FEC_EV_BUS_ERROR) {
                sg_printf("%s: FEC DMA bus error; restarting the controller\n", microkit_name);
                restart();
            }
            microkit_irq_ack(ch);
        }
        link_check();
        to_rx = rx_complete();
        rx_refill();
        fec_rx_kick(&fec);
        to_tx = tx_complete();
        to_tx |= tx_submit();
    }
    if (to_rx)
        microkit_notify(config.rx.ch);
    if (to_tx)
        microkit_notify(config.tx.ch);
}
