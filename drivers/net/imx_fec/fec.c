// SPDX-License-Identifier: BSD-2-Clause
// The i.MX ENET and its PHY: see fec.h.  Registers from the i.MX 8M
// Dual/Quad reference manual (ENET chapter); the PHY's registers from IEEE
// 802.3 clause 22 (and the Atheros AR8031 datasheet for its RGMII delays).
#include "net/imx_fec/fec.h"
#include "dma.h"
#include "mmio.h"

// ---- controller registers ----------------------------------------------------

#define EIR  0x004
#define EIMR 0x008
#define RDAR 0x010
#define TDAR 0x014
#define ECR  0x024
#define MMFR 0x040
#define MSCR 0x044
#define RCR  0x084
#define TCR  0x0c4
#define PALR 0x0e4
#define PAUR 0x0e8
#define IAUR 0x118
#define IALR 0x11c
#define GAUR 0x120
#define GALR 0x124
#define TFWR 0x144
#define RDSR 0x180
#define TDSR 0x184
#define MRBR 0x188
#define TACC 0x1c0
#define RACC 0x1c4

#define EIR_GRA   (1u << 28) // graceful stop complete
#define EIR_TXF   (1u << 27)
#define EIR_TXB   (1u << 26)
#define EIR_RXF   (1u << 25)
#define EIR_RXB   (1u << 24)
#define EIR_MII   (1u << 23)
#define EIR_EBERR (1u << 22)
#define EIR_LC    (1u << 21) // late collision
#define EIR_RL    (1u << 20) // collision retry limit
#define EIR_UN    (1u << 19) // transmit FIFO underrun
#define EIR_TX_ERRORS (EIR_LC | EIR_RL | EIR_UN)
#define EIR_HANDLED   (EIR_TXF | EIR_TXB | EIR_RXF | EIR_RXB | EIR_EBERR | EIR_TX_ERRORS)

#define ACTIVE (1u << 24) // RDAR/TDAR: descriptors are ready

#define ECR_ETHEREN (1u << 1)
#define ECR_SPEED   (1u << 5) // 1000 Mbit/s
#define ECR_DBSWP   (1u << 8) // little-endian descriptors

#define MMFR_ST    (1u << 30)
#define MMFR_READ  (2u << 28)
#define MMFR_WRITE (1u << 28)
#define MMFR_TA    (2u << 16)

#define RCR_DRT      (1u << 1) // half duplex: no receive while sending
#define RCR_MII_MODE (1u << 2)
#define RCR_RGMII_EN (1u << 6)
#define RCR_RMII_10T (1u << 9)
#define RCR_MAX_FL   ((FEC_MAX_FRAME + FEC_FCS) << 16)

#define TCR_GTS  (1u << 0)
#define TCR_FDEN (1u << 2)

#define TFWR_STRFWD (1u << 8) // send a frame once it is all in the FIFO

#define PAUR_TYPE 0x8808u // the pause frame type field, fixed

// ---- buffer descriptor flags ---------------------------------------------------

#define BD_E  0x8000u // rx: empty, the controller's
#define BD_R  0x8000u // tx: ready, the controller's
#define BD_W  0x2000u // the last descriptor of the ring
#define BD_L  0x0800u // the last buffer of a frame
#define BD_TC 0x0400u // tx: append the FCS
#define BD_LG 0x0020u // rx: longer than RCR.MAX_FL
#define BD_NO 0x0010u // rx: not a whole number of octets
#define BD_CR 0x0004u // rx: FCS or code error
#define BD_OV 0x0002u // rx: FIFO overrun
#define BD_TR 0x0001u // rx: truncated
#define BD_RX_ERRORS (BD_LG | BD_NO | BD_CR | BD_OV | BD_TR)

// ---- PHY registers (clause 22) -------------------------------------------------

#define MII_BMCR      0
#define MII_BMSR      1
#define MII_PHYID1    2
#define MII_PHYID2    3
#define MII_ADVERTISE 4
#define MII_LPA       5
#define MII_CTRL1000  9
#define MII_STAT1000  10
#define MII_ESTATUS   15

#define BMCR_RESET     0x8000u
#define BMCR_ANENABLE  0x1000u
#define BMCR_ANRESTART 0x0200u
#define BMSR_LSTATUS   0x0004u // latched low: read twice for now
#define BMSR_ANEGDONE  0x0020u
#define BMSR_ESTATEN   0x0100u // extended status (gigabit abilities) in register 15
#define BMSR_ABILITIES 0x7800u // 100FD 100HD 10FD 10HD, bits 14..11
#define ADV_CSMA       0x0001u
#define ADV_10HALF     0x0020u
#define ADV_10FULL     0x0040u
#define ADV_100HALF    0x0080u
#define ADV_100FULL    0x0100u
#define CTRL1000_FULL  0x0200u
#define STAT1000_FULL  0x0800u // the partner does 1000BASE-T full duplex
#define ESTATUS_1000_TFULL 0x2000u

// The Atheros AR8031 (the MaaXBoard's PHY): debug registers behind
// 0x1d/0x1e hold its RGMII clock delays.
#define AR8031_ID          0x004dd074u
#define AR8031_DEBUG_ADDR  0x1d
#define AR8031_DEBUG_DATA  0x1e
#define AR8031_DBG_RX      0x00
#define AR8031_DBG_RX_DLY  0x8000u
#define AR8031_DBG_TX      0x05
#define AR8031_DBG_TX_DLY  0x0100u

// Clause-45 registers through clause 22 (IEEE 802.3 annex 22D): the MMD
// access control and address/data registers.
#define MII_MMD_CTRL      13
#define MII_MMD_DATA      14
#define MMD_CTRL_DATA     0x4000u // the next data access is the register's value
#define MMD_AN            7       // the auto-negotiation MMD
#define MMD_AN_EEE_ADV    0x3c    // EEE advertisement

#define MDIO_TIMEOUT_US      10000u  // one transfer: 64 bits at >= 2.5 MHz is 26 us
#define PHY_RESET_TIMEOUT_US 500000u // IEEE 802.3: reset completes within 0.5 s
#define GRACEFUL_STOP_US     10000u  // a longest frame at 10 Mbit/s takes 1.2 ms

// ---- MDIO ---------------------------------------------------------------------

static bool mdio_wait(struct fec *f)
{
    uint64_t start = f->now_us();
    for (;;) {
        if (mmio_read32(f->regs, EIR) & EIR_MII) {
            mmio_write32(f->regs, EIR, EIR_MII);
            return true;
        }
        if (f->now_us() - start > MDIO_TIMEOUT_US)
            return false;
    }
}

// A PHY register, or -1 if the transfer never finished.
static int mdio_read(struct fec *f, unsigned phy, unsigned reg)
{
    mmio_write32(f->regs, EIR, EIR_MII);
    mmio_write32(f->regs, MMFR, MMFR_ST | MMFR_READ | phy << 23 | reg << 18 | MMFR_TA);
    if (!mdio_wait(f))
        return -1;
    return (int)(mmio_read32(f->regs, MMFR) & 0xffff);
}

static bool mdio_write(struct fec *f, unsigned phy, unsigned reg, uint16_t v)
{
    mmio_write32(f->regs, EIR, EIR_MII);
    mmio_write32(f->regs, MMFR, MMFR_ST | MMFR_WRITE | phy << 23 | reg << 18 | MMFR_TA | v);
    return mdio_wait(f);
}

// MDC = clock / ((MII_SPEED + 1) * 2) at most 2.5 MHz (IEEE 802.3 22.2.2.13),
// MDIO held 10 ns past MDC's edge.  Unknown clock: the slowest MDC.
static uint32_t mscr_for(uint32_t clock_hz)
{
    if (!clock_hz)
        return 63u << 1 | 7u << 8;
    uint32_t speed = (clock_hz + 4999999u) / 5000000u, hold = (clock_hz + 99999999u) / 100000000u;
    speed = speed > 64 ? 63 : speed < 2 ? 1 : speed - 1; // 0 would stop MDC
    hold = hold > 8 ? 7 : hold ? hold - 1 : 0;
    return speed << 1 | hold << 8;
}

// ---- the PHY --------------------------------------------------------------------

static bool phy_id_valid(int id1, int id2)
{
    return !(id1 == 0xffff && id2 == 0xffff) && !(id1 == 0 && id2 == 0);
}

// The board's address first, then every other one.
static enum fec_result phy_find(struct fec *f, unsigned want)
{
    for (unsigned i = 0; i <= 32; i++) {
        unsigned a = i == 0 ? want : i - 1;
        if (i && a == want)
            continue;
        int id1 = mdio_read(f, a, MII_PHYID1), id2 = mdio_read(f, a, MII_PHYID2);
        if (id1 < 0 || id2 < 0)
            return FEC_ETIMEOUT;
        if (phy_id_valid(id1, id2)) {
            f->phy = (uint8_t)a;
            f->phy_id = (uint32_t)id1 << 16 | (uint32_t)id2;
            return FEC_OK;
        }
    }
    f->phy = FEC_NO_PHY;
    return FEC_ENOPHY;
}

static bool ar8031_debug_set(struct fec *f, uint16_t reg, uint16_t bits)
{
    if (!mdio_write(f, f->phy, AR8031_DEBUG_ADDR, reg))
        return false;
    int v = mdio_read(f, f->phy, AR8031_DEBUG_DATA);
    return v >= 0 && mdio_write(f, f->phy, AR8031_DEBUG_DATA, (uint16_t)(v | bits));
}

static bool mmd_write(struct fec *f, uint16_t devad, uint16_t reg, uint16_t v)
{
    return mdio_write(f, f->phy, MII_MMD_CTRL, devad) && mdio_write(f, f->phy, MII_MMD_DATA, reg) &&
           mdio_write(f, f->phy, MII_MMD_CTRL, MMD_CTRL_DATA | devad) &&
           mdio_write(f, f->phy, MII_MMD_DATA, v);
}

// The AR8031 adds its RGMII clock delays only when told ("rgmii-id" in the
// MaaXBoard's tree), and its tree disables energy-efficient Ethernet: no
// EEE is advertised (the MAC never signals low-power idle).
static bool ar8031_setup(struct fec *f)
{
    return ar8031_debug_set(f, AR8031_DBG_RX, AR8031_DBG_RX_DLY) &&
           ar8031_debug_set(f, AR8031_DBG_TX, AR8031_DBG_TX_DLY) &&
           mmd_write(f, MMD_AN, MMD_AN_EEE_ADV, 0);
}

// Reset the PHY, advertise what both it and the MAC can do (not 1000
// half duplex, which the ENET lacks) and start negotiating.
static enum fec_result phy_setup(struct fec *f)
{
    if (!mdio_write(f, f->phy, MII_BMCR, BMCR_RESET))
        return FEC_ETIMEOUT;
    uint64_t start = f->now_us();
    for (;;) {
        int bmcr = mdio_read(f, f->phy, MII_BMCR);
        if (bmcr < 0)
            return FEC_ETIMEOUT;
        if (!(bmcr & BMCR_RESET))
            break;
        if (f->now_us() - start > PHY_RESET_TIMEOUT_US)
            return FEC_ETIMEOUT;
    }
    if (f->phy_id == AR8031_ID && !ar8031_setup(f))
        return FEC_ETIMEOUT;

    int bmsr = mdio_read(f, f->phy, MII_BMSR);
    if (bmsr < 0)
        return FEC_ETIMEOUT;
    uint16_t adv = ADV_CSMA;
    adv |= (bmsr & 0x0800) ? ADV_10HALF : 0;
    adv |= (bmsr & 0x1000) ? ADV_10FULL : 0;
    adv |= (bmsr & 0x2000) ? ADV_100HALF : 0;
    adv |= (bmsr & 0x4000) ? ADV_100FULL : 0;
    f->gigabit = false;
    if (bmsr & BMSR_ESTATEN) {
        int est = mdio_read(f, f->phy, MII_ESTATUS);
        if (est < 0)
            return FEC_ETIMEOUT;
        f->gigabit = est & ESTATUS_1000_TFULL;
    }
    if (!mdio_write(f, f->phy, MII_ADVERTISE, adv) ||
        (f->gigabit && !mdio_write(f, f->phy, MII_CTRL1000, CTRL1000_FULL)) ||
        !mdio_write(f, f->phy, MII_BMCR, BMCR_ANENABLE | BMCR_ANRESTART))
        return FEC_ETIMEOUT;
    return FEC_OK;
}

// What autonegotiation settled on: the best mode both ends advertise.
static bool link_resolve(struct fec *f, struct fec_link *l)
{
    l->full_duplex = true;
    if (f->gigabit) {
        int ctrl = mdio_read(f, f->phy, MII_CTRL1000), stat = mdio_read(f, f->phy, MII_STAT1000);
        if (ctrl < 0 || stat < 0)
            return false;
        if ((ctrl & CTRL1000_FULL) && (stat & STAT1000_FULL)) {
            l->mbps = 1000;
            return true;
        }
    }
    int adv = mdio_read(f, f->phy, MII_ADVERTISE), lpa = mdio_read(f, f->phy, MII_LPA);
    if (adv < 0 || lpa < 0)
        return false;
    int common = adv & lpa;
    l->mbps = (common & (ADV_100FULL | ADV_100HALF)) ? 100 : 10;
    l->full_duplex = (common & ADV_100FULL) || (!(common & ADV_100HALF) && (common & ADV_10FULL));
    return true;
}

enum fec_link_change fec_link_poll(struct fec *f)
{
    if (f->phy == FEC_NO_PHY)
        return FEC_LINK_SAME;
    struct fec_link l = {false, false, 0};
    (void)mdio_read(f, f->phy, MII_BMSR); // the link bit latches low: this read clears it
    int bmsr = mdio_read(f, f->phy, MII_BMSR);
    if (bmsr < 0)
        return FEC_LINK_SAME;
    l.up = (bmsr & BMSR_LSTATUS) && (bmsr & BMSR_ANEGDONE);
    if (l.up && !link_resolve(f, &l))
        return FEC_LINK_SAME;
    if (l.up == f->link.up &&
        (!l.up || (l.mbps == f->link.mbps && l.full_duplex == f->link.full_duplex)))
        return FEC_LINK_SAME;
    f->link = l;
    if (l.up && f->running && (l.mbps != f->mac.mbps || l.full_duplex != f->mac.full_duplex))
        return FEC_LINK_RESTART;
    return FEC_LINK_CHANGED;
}

// ---- the address filter -----------------------------------------------------------

// CRC-32 (IEEE, bit-reversed, no final inversion) of the address; its top
// six bits pick one of the 64 hash bits.
unsigned fec_hash_bit(const uint8_t mac[6])
{
    uint32_t crc = 0xffffffffu;
    for (int i = 0; i < 6; i++) {
        crc ^= mac[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320u : 0);
    }
    return crc >> 26;
}

// The first address is the controller's own (PALR/PAUR); every address
// also sets its bit of the individual (unicast) hash.
static void filter_set(struct fec *f, const uint8_t (*macs)[6], uint32_t n)
{
    const uint8_t *m = macs[0];
    f->palr = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    f->paur = (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 | PAUR_TYPE;
    f->ialr = f->iaur = 0;
    for (uint32_t i = 0; i < n; i++) {
        unsigned bit = fec_hash_bit(macs[i]);
        if (bit >= 32)
            f->iaur |= 1u << (bit - 32);
        else
            f->ialr |= 1u << bit;
    }
}

// ---- rings --------------------------------------------------------------------------

static uint16_t wrap_of(const struct fec_ring *r, uint32_t i)
{
    return i == r->n - 1 ? BD_W : 0;
}

// Hand descriptor i to the controller: address and length first, the
// ownership bit last.
static void bd_give(struct fec_ring *r, uint32_t i, uint16_t own)
{
    volatile struct fec_bd *bd = &r->bd[i];
    bd->addr = r->slot[i].pa;
    bd->len = (uint16_t)r->slot[i].len;
    dma_barrier();
    bd->flags = (uint16_t)(own | wrap_of(r, i));
}

static void slots_reverse(struct fec_slot *s, uint32_t a, uint32_t b)
{
    for (; a + 1 < b; a++, b--) {
        struct fec_slot t = s[a];
        s[a] = s[b - 1];
        s[b - 1] = t;
    }
}

// With the controller stopped (its descriptor pointers back at the ring's
// start), move the buffers it still owns to slots 0..count-1, in order.
static void ring_relay(struct fec_ring *r, uint16_t own)
{
    slots_reverse(r->slot, 0, r->head);
    slots_reverse(r->slot, r->head, r->n);
    slots_reverse(r->slot, 0, r->n);
    r->head = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        if (i < r->count) {
            bd_give(r, i, own);
        } else {
            r->bd[i].flags = wrap_of(r, i);
            r->bd[i].len = 0;
            r->bd[i].addr = 0;
        }
    }
    dma_barrier();
}

bool fec_rx_post(struct fec *f, uint32_t cookie, uint32_t pa, volatile void *va)
{
    struct fec_ring *r = &f->rx;
    if (r->count == r->n || pa % FEC_BUF_ALIGN)
        return false;
    uint32_t i = (r->head + r->count) % r->n;
    r->slot[i] = (struct fec_slot){cookie, pa, 0, va};
    // No dirty line of the buffer may be written back over the frame.
    dma_invalidate(va, FEC_RX_BUF);
    bd_give(r, i, BD_E);
    r->count++;
    return true;
}

void fec_rx_kick(struct fec *f)
{
    if (!f->running || !f->rx.count)
        return;
    dma_barrier();
    mmio_write32(f->regs, RDAR, ACTIVE);
}

bool fec_rx_take(struct fec *f, struct fec_rx *out)
{
    struct fec_ring *r = &f->rx;
    if (!r->count)
        return false;
    volatile struct fec_bd *bd = &r->bd[r->head];
    uint16_t flags = bd->flags;
    if (flags & BD_E)
        return false;
    dma_barrier(); // the length after the ownership bit
    uint32_t len = bd->len;
    const struct fec_slot *s = &r->slot[r->head];
    out->cookie = s->cookie;
    out->ok = (flags & BD_L) && !(flags & BD_RX_ERRORS) && len >= FEC_MIN_FRAME + FEC_FCS &&
              len <= FEC_MAX_FRAME + FEC_FCS;
    out->len = out->ok ? len - FEC_FCS : 0;
    if (out->ok) {
        dma_invalidate(s->va, out->len); // lines read ahead while the controller wrote
        f->stats.rx_frames++;
    } else {
        f->stats.rx_errors++;
    }
    r->head = (r->head + 1) % r->n;
    r->count--;
    return true;
}

bool fec_tx_put(struct fec *f, uint32_t cookie, uint32_t pa, const volatile void *va,
                uint32_t len)
{
    struct fec_ring *r = &f->tx;
    if (r->count == r->n || pa % FEC_BUF_ALIGN || len < FEC_MIN_FRAME || len > FEC_MAX_FRAME)
        return false;
    uint32_t i = (r->head + r->count) % r->n;
    r->slot[i] = (struct fec_slot){cookie, pa, len, va};
    dma_clean(va, len);
    bd_give(r, i, BD_R | BD_L | BD_TC);
    r->count++;
    return true;
}

// Erratum ERR007885: writing TDAR while it is still set can stall the
// transmitter, so write it only when it reads clear.  Called after every
// batch and after reaping, it also restarts a transmitter that stopped with
// frames still ready.
void fec_tx_kick(struct fec *f)
{
    if (!f->running || !f->tx.count)
        return;
    dma_barrier();
    for (int i = 0; i < 4; i++)
        if (!(mmio_read32(f->regs, TDAR) & ACTIVE)) {
            mmio_write32(f->regs, TDAR, ACTIVE);
            return;
        }
}

bool fec_tx_take(struct fec *f, uint32_t *cookie)
{
    struct fec_ring *r = &f->tx;
    if (!r->count || (r->bd[r->head].flags & BD_R))
        return false;
    *cookie = r->slot[r->head].cookie;
    r->head = (r->head + 1) % r->n;
    r->count--;
    f->stats.tx_frames++;
    return true;
}

// ---- the controller ---------------------------------------------------------------

uint32_t fec_events(struct fec *f)
{
    uint32_t eir = mmio_read32(f->regs, EIR) & EIR_HANDLED, ev = 0;
    if (eir)
        mmio_write32(f->regs, EIR, eir);
    if (eir & (EIR_RXF | EIR_RXB))
        ev |= FEC_EV_RX;
    if (eir & (EIR_TXF | EIR_TXB | EIR_TX_ERRORS))
        ev |= FEC_EV_TX;
    if (eir & EIR_TX_ERRORS)
        f->stats.tx_errors++;
    if (eir & EIR_EBERR) {
        f->stats.bus_errors++;
        ev |= FEC_EV_BUS_ERROR;
    }
    return ev;
}

void fec_stop(struct fec *f)
{
    mmio_write32(f->regs, EIMR, 0);
    if (mmio_read32(f->regs, ECR) & ECR_ETHEREN) {
        // Let the frame on the wire end, then disable: the controller's
        // descriptor pointers go back to the rings' starts.
        mmio_write32(f->regs, EIR, EIR_GRA);
        mmio_set32(f->regs, TCR, TCR_GTS);
        uint64_t start = f->now_us();
        while (!(mmio_read32(f->regs, EIR) & EIR_GRA) && f->now_us() - start < GRACEFUL_STOP_US)
            ;
        mmio_write32(f->regs, ECR, ECR_DBSWP);
        mmio_clear32(f->regs, TCR, TCR_GTS);
    }
    f->running = false;
}

void fec_start(struct fec *f)
{
    if (f->link.up)
        f->mac = f->link;
    else // until the PHY says otherwise: the best it advertises
        f->mac = (struct fec_link){false, true, f->gigabit ? 1000 : 100};
    ring_relay(&f->rx, BD_E);
    ring_relay(&f->tx, BD_R | BD_L | BD_TC);

    volatile void *regs = f->regs;
    mmio_write32(regs, EIMR, 0);
    mmio_write32(regs, EIR, 0xffffffffu);
    mmio_write32(regs, MSCR, mscr_for(f->clock_hz));
    mmio_write32(regs, PALR, f->palr);
    mmio_write32(regs, PAUR, f->paur);
    mmio_write32(regs, IALR, f->ialr);
    mmio_write32(regs, IAUR, f->iaur);
    mmio_write32(regs, GALR, 0xffffffffu); // every multicast group
    mmio_write32(regs, GAUR, 0xffffffffu);
    uint32_t rcr = RCR_MAX_FL | RCR_MII_MODE | RCR_RGMII_EN;
    rcr |= f->mac.full_duplex ? 0 : RCR_DRT;
    rcr |= f->mac.mbps == 10 ? RCR_RMII_10T : 0;
    mmio_write32(regs, RCR, rcr);
    mmio_write32(regs, TCR, f->mac.full_duplex ? TCR_FDEN : 0);
    mmio_write32(regs, TFWR, TFWR_STRFWD);
    mmio_write32(regs, RACC, 0); // no padding shift, no checksum checks
    mmio_write32(regs, TACC, 0);
    mmio_write32(regs, RDSR, f->rx.pa);
    mmio_write32(regs, TDSR, f->tx.pa);
    mmio_write32(regs, MRBR, FEC_RX_BUF);
    mmio_write32(regs, EIMR, EIR_HANDLED);
    mmio_write32(regs, ECR, ECR_ETHEREN | ECR_DBSWP | (f->mac.mbps == 1000 ? ECR_SPEED : 0));
    f->running = true;
    fec_rx_kick(f);
    fec_tx_kick(f);
}

enum fec_result fec_init(struct fec *f, const struct fec_params *p)
{
    if (!p->regs || !p->now_us || !p->rx_ring || !p->tx_ring || p->nrx < 2 ||
        p->nrx > FEC_MAX_BDS || p->ntx < 2 || p->ntx > FEC_MAX_BDS || (p->rx_ring_pa & 7) ||
        (p->tx_ring_pa & 7) || !p->macs || !p->nmacs || p->phy_addr > 31)
        return FEC_EINVAL;
    *f = (struct fec){0};
    f->regs = p->regs;
    f->clock_hz = p->clock_hz;
    f->now_us = p->now_us;
    f->rx.bd = p->rx_ring;
    f->rx.pa = p->rx_ring_pa;
    f->rx.n = p->nrx;
    f->tx.bd = p->tx_ring;
    f->tx.pa = p->tx_ring_pa;
    f->tx.n = p->ntx;
    f->phy = FEC_NO_PHY;
    filter_set(f, p->macs, p->nmacs);

    fec_stop(f); // firmware may have left it running, on its own rings
    mmio_write32(f->regs, EIR, 0xffffffffu);
    mmio_write32(f->regs, MSCR, mscr_for(f->clock_hz));
    enum fec_result r = phy_find(f, p->phy_addr);
    if (r == FEC_OK)
        r = phy_setup(f);
    if (r != FEC_OK)
        return r;
    (void)fec_link_poll(f);
    fec_start(f);
    return FEC_OK;
}

const char *fec_strerror(enum fec_result r)
{
    switch (r) {
    case FEC_OK:
        return "ok";
    case FEC_ENOPHY:
        return "no PHY answers on the MDIO bus";
    case FEC_ETIMEOUT:
        return "the PHY did not answer in time";
    case FEC_EINVAL:
        return "invalid parameters";
    }
    return "unknown error";
}
