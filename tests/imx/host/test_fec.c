// SPDX-License-Identifier: BSD-2-Clause
// The FEC driver (drivers/net/imx_fec/fec.c) against a register, DMA and
// PHY model, for what QEMU's ENET model cannot show: a PHY elsewhere or
// nowhere, an MDIO bus that hangs, the AR8031's RGMII delays, gigabit,
// half duplex and 10 Mbit/s links, a link that drops and comes back at
// another speed, receive errors, the TDAR erratum, DMA bus errors, the
// state U-Boot leaves the controller in, and the cache maintenance a
// non-coherent SoC needs around every buffer.
//
// "Physical" addresses are offsets into `ram`, where the rings and the
// buffers live.  The model moves frames only when told (model_receive) or
// when TDAR is written, so every step is visible.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dma.h"
#include "mmio.h"
#include "net/imx_fec/fec.h"

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

#define EIR_GRA   (1u << 28)
#define EIR_TXF   (1u << 27)
#define EIR_RXF   (1u << 25)
#define EIR_MII   (1u << 23)
#define EIR_EBERR (1u << 22)
#define EIR_LC    (1u << 21)
#define ACTIVE    (1u << 24)
#define ECR_ETHEREN (1u << 1)
#define ECR_SPEED   (1u << 5)
#define ECR_DBSWP   (1u << 8)
#define RCR_DRT      (1u << 1)
#define RCR_MII_MODE (1u << 2)
#define RCR_RGMII_EN (1u << 6)
#define RCR_RMII_10T (1u << 9)
#define TCR_GTS  1u
#define TCR_FDEN (1u << 2)

#define BD_E  0x8000u
#define BD_W  0x2000u
#define BD_L  0x0800u
#define BD_TC 0x0400u
#define BD_CR 0x0004u
#define BD_OV 0x0002u
#define BD_LG 0x0020u
#define BD_TR 0x0001u
#define BD_NO 0x0010u

// PHY abilities in BMSR and the partner's in LPA / STAT1000.
#define BMSR_ALL      0x7800u
#define BMSR_ESTATEN  0x0100u
#define LPA_10HALF    0x0020u
#define LPA_10FULL    0x0040u
#define LPA_100HALF   0x0080u
#define LPA_100FULL   0x0100u
#define STAT1000_FULL 0x0800u

#define NBD  4u
#define RX_RING_PA 0x0
#define TX_RING_PA 0x100
#define BUF_PA(i)  (0x1000u + (uint32_t)(i) * 2048u)

static uint8_t ram[0x10000];
static uint8_t regs_anchor;
static uint64_t clock_us;
static uint64_t events; // a counter that orders cache maintenance and DMA

struct range {
    size_t at, len;
    uint64_t when;
};

static struct {
    uint32_t reg[0x200 / 4];
    // The PHY.
    bool phy_present, mdio_hang;
    unsigned phy_addr;
    uint16_t id1, id2, bmcr, bmsr_abilities, adv, lpa, ctrl1000, stat1000, estatus;
    bool link, link_latched_low;
    unsigned reset_reads; // BMCR reads that still show the reset bit
    uint16_t dbg_addr, dbg[32];
    uint16_t mmd_ctrl, mmd_addr, eee_adv; // MMD 7 register 0x3c through 13/14
    unsigned mdio_other_addr; // transfers to an address other than phy_addr
    unsigned first_mdio_addr, nmdio;
    unsigned dbg_writes;
    // The controller.
    uint32_t rx_at, tx_at; // the controller's current descriptor (index)
    unsigned tdar_writes, tdar_busy_reads, drop_tdar;
    bool no_gra;
    bool gts_before_disable; // TCR.GTS was set when ECR.ETHEREN was cleared
    uint32_t sent_len[64], sent_pa[64];
    unsigned nsent;
    // Cache maintenance the driver asked for.
    struct range cleaned[64], invalidated[64];
    unsigned ncleaned, ninvalidated;
} m;

static uint64_t fake_now(void)
{
    return clock_us += 10;
}

void dma_clean(const volatile void *va, size_t len)
{
    m.cleaned[m.ncleaned++ % 64] = (struct range){(size_t)((const uint8_t *)va - ram), len, ++events};
}

void dma_invalidate(const volatile void *va, size_t len)
{
    m.invalidated[m.ninvalidated++ % 64] =
        (struct range){(size_t)((const uint8_t *)va - ram), len, ++events};
}

// When [at, at+len) was last covered by one maintenance call (0: never).
static uint64_t covered_at(const struct range *r, unsigned n, size_t at, size_t len)
{
    uint64_t when = 0;
    for (unsigned i = 0; i < (n < 64 ? n : 64); i++)
        if (r[i].at <= at && at + len <= r[i].at + r[i].len && r[i].when > when)
            when = r[i].when;
    return when;
}

static struct fec_bd *bd_at(uint32_t pa)
{
    return (struct fec_bd *)(ram + pa);
}

// ---- the PHY ------------------------------------------------------------------

static uint16_t phy_read(unsigned reg)
{
    switch (reg) {
    case 0:
        if (m.reset_reads) {
            m.reset_reads--;
            return m.bmcr | 0x8000;
        }
        return m.bmcr;
    case 1: {
        bool link = m.link && !m.link_latched_low;
        m.link_latched_low = false;
        return (uint16_t)(m.bmsr_abilities | (link ? 0x0024 : 0) | 0x0009);
    }
    case 2:
        return m.id1;
    case 3:
        return m.id2;
    case 4:
        return m.adv;
    case 5:
        return m.lpa;
    case 9:
        return m.ctrl1000;
    case 10:
        return m.stat1000;
    case 15:
        return m.estatus;
    case 0x1e:
        return m.dbg[m.dbg_addr & 31];
    default:
        return 0;
    }
}

static void phy_write(unsigned reg, uint16_t v)
{
    switch (reg) {
    case 0:
        m.bmcr = v & 0x7fff;
        break;
    case 4:
        m.adv = v;
        break;
    case 9:
        m.ctrl1000 = v;
        break;
    case 0x1d:
        m.dbg_addr = v;
        break;
    case 0x1e:
        m.dbg[m.dbg_addr & 31] = v;
        m.dbg_writes++;
        break;
    case 13:
        m.mmd_ctrl = v;
        break;
    case 14:
        if ((m.mmd_ctrl & 0xc000) == 0)
            m.mmd_addr = v;
        else if ((m.mmd_ctrl & 0x1f) == 7 && m.mmd_addr == 0x3c)
            m.eee_adv = v;
        break;
    }
}

static void mdio(uint32_t v)
{
    unsigned addr = (v >> 23) & 31, reg = (v >> 18) & 31;
    assert_int_equal(v >> 30, 1);         // clause 22 start
    assert_int_equal((v >> 16) & 3, 2);   // turnaround
    if (!m.nmdio++)
        m.first_mdio_addr = addr;
    if (m.mdio_hang)
        return;
    m.reg[EIR / 4] |= EIR_MII;
    if (!m.phy_present || addr != m.phy_addr) {
        m.mdio_other_addr++;
        m.reg[MMFR / 4] = (v & 0xffff0000u) | 0xffff; // nobody drives the bus
        return;
    }
    if (((v >> 28) & 3) == 2)
        m.reg[MMFR / 4] = (v & 0xffff0000u) | phy_read(reg);
    else
        phy_write(reg, (uint16_t)v);
}

// ---- the controller ------------------------------------------------------------

static uint32_t ring_n(void)
{
    return NBD;
}

static void do_tx(void)
{
    for (;;) {
        struct fec_bd *bd = bd_at(m.reg[TDSR / 4] + m.tx_at * 8);
        if (!(bd->flags & 0x8000))
            break;
        assert_true(bd->flags & BD_L);
        assert_true(bd->flags & BD_TC);
        assert_int_equal(!!(bd->flags & BD_W), m.tx_at == ring_n() - 1);
        // The frame was cleaned to memory before the doorbell.
        assert_true(covered_at(m.cleaned, m.ncleaned, bd->addr, bd->len) != 0);
        m.sent_len[m.nsent % 64] = bd->len;
        m.sent_pa[m.nsent++ % 64] = bd->addr;
        bd->flags &= (uint16_t)~0x8000;
        m.reg[EIR / 4] |= EIR_TXF;
        m.tx_at = (bd->flags & BD_W) ? 0 : m.tx_at + 1;
    }
}

uint32_t mmio_read32(volatile void *base, uint32_t off)
{
    assert_ptr_equal(base, &regs_anchor);
    if (off == TDAR && m.tdar_busy_reads) {
        m.tdar_busy_reads--;
        return ACTIVE;
    }
    return m.reg[off / 4];
}

void mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
    assert_ptr_equal(base, &regs_anchor);
    switch (off) {
    case EIR:
        m.reg[EIR / 4] &= ~v;
        break;
    case MMFR:
        m.reg[MMFR / 4] = v;
        mdio(v);
        break;
    case ECR:
        if ((m.reg[ECR / 4] & ECR_ETHEREN) && !(v & ECR_ETHEREN)) {
            m.gts_before_disable = m.reg[TCR / 4] & TCR_GTS;
            m.rx_at = m.tx_at = 0;
            m.reg[RDAR / 4] = m.reg[TDAR / 4] = 0;
        }
        m.reg[ECR / 4] = v;
        break;
    case TCR:
        if ((v & TCR_GTS) && !m.no_gra)
            m.reg[EIR / 4] |= EIR_GRA;
        m.reg[TCR / 4] = v;
        break;
    case RDAR:
        if (m.reg[ECR / 4] & ECR_ETHEREN)
            m.reg[RDAR / 4] = ACTIVE;
        break;
    case TDAR:
        m.tdar_writes++;
        if (m.drop_tdar) {
            m.drop_tdar--;
            break;
        }
        if (m.reg[ECR / 4] & ECR_ETHEREN)
            do_tx();
        break;
    default:
        m.reg[off / 4] = v;
    }
}

// A frame of `len` bytes (FCS included) lands in the current rx descriptor
// with `flags` (errors) added.  False if the controller could not take it.
static bool model_receive(uint32_t len, uint16_t flags)
{
    if (!(m.reg[ECR / 4] & ECR_ETHEREN) || !m.reg[RDAR / 4])
        return false;
    struct fec_bd *bd = bd_at(m.reg[RDSR / 4] + m.rx_at * 8);
    if (!(bd->flags & BD_E)) {
        m.reg[RDAR / 4] = 0;
        return false;
    }
    assert_int_equal(!!(bd->flags & BD_W), m.rx_at == ring_n() - 1);
    // No dirty line of the buffer may be written back over the frame.
    assert_true(covered_at(m.invalidated, m.ninvalidated, bd->addr, 2032) != 0);
    memset(ram + bd->addr, 0xa5, len);
    ++events;
    bd->len = (uint16_t)len;
    bd->flags = (uint16_t)((bd->flags & ~BD_E) | BD_L | flags);
    m.reg[EIR / 4] |= EIR_RXF;
    m.rx_at = (bd->flags & BD_W) ? 0 : m.rx_at + 1;
    return true;
}

// ---- set-up -------------------------------------------------------------------

static const uint8_t macs[3][6] = {{0x02, 0x00, 0x5e, 0x10, 0x00, 0x01},
                                   {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02},
                                   {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
static struct fec f;

static struct fec_params params(uint32_t phy_addr, uint32_t clock_hz)
{
    return (struct fec_params){
        .regs = &regs_anchor, .clock_hz = clock_hz, .now_us = fake_now,
        .rx_ring = (volatile struct fec_bd *)(ram + RX_RING_PA),
        .tx_ring = (volatile struct fec_bd *)(ram + TX_RING_PA), .rx_ring_pa = RX_RING_PA,
        .tx_ring_pa = TX_RING_PA, .nrx = NBD, .ntx = NBD, .phy_addr = phy_addr,
        .macs = macs, .nmacs = 3,
    };
}

// A PHY like QEMU's at `addr` (10/100, partner 100 full), link up.
static void model_reset(unsigned addr)
{
    memset(&m, 0, sizeof(m));
    memset(ram, 0, sizeof(ram));
    clock_us = events = 0;
    m.phy_present = true;
    m.phy_addr = addr;
    m.id1 = 0x0007;
    m.id2 = 0xc0d1;
    m.bmsr_abilities = BMSR_ALL;
    m.lpa = LPA_100FULL | LPA_100HALF | LPA_10FULL | LPA_10HALF | 1;
    m.link = true;
    m.reg[ECR / 4] = 0xf0000000u;
}

// The AR8031 of the MaaXBoard: gigabit, its delays off after reset.
static void model_ar8031(unsigned addr)
{
    model_reset(addr);
    m.id1 = 0x004d;
    m.id2 = 0xd074;
    m.bmsr_abilities = BMSR_ALL | BMSR_ESTATEN;
    m.estatus = 0x3000;
    m.stat1000 = STAT1000_FULL;
    m.dbg[0] = 0x02ee; // other bits the driver must keep
    m.dbg[5] = 0x3d47;
    m.eee_adv = 0x0006; // 100BASE-TX and 1000BASE-T EEE, the PHY's default
}

static void init_ok(uint32_t phy_addr, uint32_t clock_hz)
{
    struct fec_params p = params(phy_addr, clock_hz);
    assert_int_equal(fec_init(&f, &p), FEC_OK);
}

static void post_all(void)
{
    for (uint32_t i = 0; i < NBD; i++)
        assert_true(fec_rx_post(&f, i, BUF_PA(i), ram + BUF_PA(i)));
    fec_rx_kick(&f);
}

// ---- tests --------------------------------------------------------------------

static void init_programs_the_controller(void **state)
{
    (void)state;
    model_reset(4);
    init_ok(4, 266000000);
    assert_int_equal(m.first_mdio_addr, 4); // the board's address, asked first
    assert_int_equal(m.mdio_other_addr, 0);
    assert_int_equal(f.phy, 4);
    assert_int_equal(m.reg[ECR / 4], ECR_ETHEREN | ECR_DBSWP); // legacy descriptors, 100 Mbit/s
    assert_int_equal(m.reg[RCR / 4], 1522u << 16 | RCR_MII_MODE | RCR_RGMII_EN);
    assert_int_equal(m.reg[TCR / 4], TCR_FDEN);
    assert_int_equal(m.reg[TFWR / 4], 1u << 8);
    assert_int_equal(m.reg[MSCR / 4], 53u << 1 | 2u << 8); // 2.46 MHz MDC, 10 ns hold
    assert_int_equal(m.reg[MRBR / 4], 2032);
    assert_int_equal(m.reg[RDSR / 4], RX_RING_PA);
    assert_int_equal(m.reg[TDSR / 4], TX_RING_PA);
    assert_int_equal(m.reg[EIMR / 4] & (EIR_RXF | EIR_TXF | EIR_EBERR),
                     EIR_RXF | EIR_TXF | EIR_EBERR);
    assert_int_equal(m.reg[EIMR / 4] & EIR_MII, 0); // MDIO is polled
    assert_int_equal(m.reg[PALR / 4], 0x02005e10u);
    assert_int_equal(m.reg[PAUR / 4], 0x00018808u);
    assert_int_equal(m.reg[GALR / 4], 0xffffffffu); // every multicast group
    assert_int_equal(m.reg[GAUR / 4], 0xffffffffu);
    // Unicast hash bits: CRC-32 top bits 16, 54 and 57 (from Python's zlib).
    assert_int_equal(m.reg[IALR / 4], 1u << 16);
    assert_int_equal(m.reg[IAUR / 4], 1u << (54 - 32) | 1u << (57 - 32));
    // Every descriptor empty, the last one wraps.
    for (uint32_t i = 0; i < NBD; i++) {
        assert_int_equal(bd_at(RX_RING_PA + 8 * i)->flags, i == NBD - 1 ? BD_W : 0);
        assert_int_equal(bd_at(TX_RING_PA + 8 * i)->flags, i == NBD - 1 ? BD_W : 0);
    }
}

static void hash_bits_match_zlib(void **state)
{
    (void)state;
    static const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    static const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(fec_hash_bit(macs[0]), 16);
    assert_int_equal(fec_hash_bit(macs[1]), 54);
    assert_int_equal(fec_hash_bit(mc), 54);
    assert_int_equal(fec_hash_bit(bc), 47);
}

static void phy_found_by_scan(void **state)
{
    (void)state;
    model_reset(7);
    init_ok(4, 266000000);
    assert_int_equal(m.first_mdio_addr, 4);
    assert_int_equal(f.phy, 7);
    assert_int_equal(f.phy_id, 0x0007c0d1u);
    assert_true(f.link.up);
}

static void no_phy_and_hung_mdio(void **state)
{
    (void)state;
    struct fec_params p = params(4, 266000000);
    model_reset(4);
    m.phy_present = false;
    assert_int_equal(fec_init(&f, &p), FEC_ENOPHY);
    assert_int_equal(m.mdio_other_addr, 64); // two ID registers at all 32 addresses

    model_reset(4);
    m.mdio_hang = true;
    assert_int_equal(fec_init(&f, &p), FEC_ETIMEOUT);
    assert_true(clock_us < 100000); // given up after one transfer's timeout

    model_reset(4);
    m.reset_reads = 1000000; // the PHY never leaves reset
    assert_int_equal(fec_init(&f, &p), FEC_ETIMEOUT);
    assert_true(clock_us >= 500000 && clock_us < 1000000);
}

static void bad_params(void **state)
{
    (void)state;
    model_reset(4);
    struct fec_params p = params(4, 266000000);
    p.nrx = 1;
    assert_int_equal(fec_init(&f, &p), FEC_EINVAL);
    p = params(4, 266000000);
    p.tx_ring_pa = 0x104;
    assert_int_equal(fec_init(&f, &p), FEC_EINVAL);
    p = params(32, 266000000);
    assert_int_equal(fec_init(&f, &p), FEC_EINVAL);
    p = params(4, 266000000);
    p.nmacs = 0;
    assert_int_equal(fec_init(&f, &p), FEC_EINVAL);
    p = params(4, 266000000);
    p.ntx = FEC_MAX_BDS + 1;
    assert_int_equal(fec_init(&f, &p), FEC_EINVAL);
    assert_int_equal(m.nmdio, 0); // nothing touched
}

static void mdc_never_above_2_5_mhz(void **state)
{
    (void)state;
    for (uint32_t mhz = 5; mhz <= 1000; mhz += 7) {
        model_reset(0);
        init_ok(0, mhz * 1000000);
        uint32_t speed = (m.reg[MSCR / 4] >> 1) & 0x3f;
        assert_true(speed >= 1);
        // MDC = clock / ((MII_SPEED + 1) * 2), at most 2.5 MHz where the
        // divider reaches (up to 320 MHz).
        if (mhz <= 320)
            assert_true((uint64_t)mhz * 1000000 <= 2500000ull * 2 * (speed + 1));
    }
    model_reset(0);
    init_ok(0, 0); // unknown clock: the slowest MDC
    assert_int_equal(m.reg[MSCR / 4], 63u << 1 | 7u << 8);
}

static void ar8031_gets_rgmii_delays_and_gigabit(void **state)
{
    (void)state;
    model_ar8031(4);
    m.link = false; // still negotiating
    init_ok(4, 266000000);
    assert_int_equal(m.dbg[0], 0x02ee | 0x8000); // rx clock delay, other bits kept
    assert_int_equal(m.dbg[5], 0x3d47 | 0x0100); // tx clock delay
    assert_int_equal(m.eee_adv, 0);              // no EEE, as the board's tree says
    assert_int_equal(m.ctrl1000, 0x0200);        // 1000BASE-T full duplex only
    assert_int_equal(m.adv, 0x01e1);
    assert_int_equal(m.bmcr, 0x1200); // autonegotiation enabled and restarted
    assert_true(f.gigabit);
    assert_false(f.link.up);
    // Until the link says otherwise the MAC runs at what the PHY advertises best.
    assert_true(m.reg[ECR / 4] & ECR_SPEED);

    // Another PHY: no debug register is touched.
    model_reset(4);
    init_ok(4, 266000000);
    assert_int_equal(m.dbg_writes, 0);
    assert_int_equal(m.ctrl1000, 0);
}

static void advertises_what_the_phy_can(void **state)
{
    (void)state;
    model_reset(0);
    m.bmsr_abilities = 0x6000; // 100 Mbit/s only
    init_ok(0, 266000000);
    assert_int_equal(m.adv, 0x0181);
}

static void restart_for(void)
{
    fec_stop(&f);
    struct fec_rx r;
    uint32_t c;
    while (fec_rx_take(&f, &r))
        ;
    while (fec_tx_take(&f, &c))
        ;
    fec_start(&f);
}

static void link_changes(void **state)
{
    (void)state;
    model_ar8031(4);
    m.link = false;
    init_ok(4, 266000000);
    assert_int_equal(fec_link_poll(&f), FEC_LINK_SAME);

    // Up at gigabit full duplex: what the MAC already runs at.
    m.link = true;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_CHANGED);
    assert_true(f.link.up && f.link.mbps == 1000 && f.link.full_duplex);
    assert_int_equal(fec_link_poll(&f), FEC_LINK_SAME);

    // A drop the PHY latched, already over by the poll: nothing changed.
    m.link_latched_low = true;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_SAME);

    // Down, then up against a 100 Mbit/s half-duplex partner.
    m.link = false;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_CHANGED);
    assert_false(f.link.up);
    m.link = true;
    m.stat1000 = 0;
    m.lpa = LPA_100HALF | LPA_10FULL | 1;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_RESTART);
    assert_true(f.link.mbps == 100 && !f.link.full_duplex);
    restart_for();
    assert_int_equal(m.reg[ECR / 4] & ECR_SPEED, 0);
    assert_int_equal(m.reg[RCR / 4] & (RCR_DRT | RCR_RMII_10T), RCR_DRT);
    assert_int_equal(m.reg[TCR / 4] & TCR_FDEN, 0);

    // 10 Mbit/s full duplex.
    m.lpa = LPA_10FULL | LPA_10HALF | 1;
    m.link = false;
    (void)fec_link_poll(&f);
    m.link = true;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_RESTART);
    restart_for();
    assert_true(f.mac.mbps == 10 && f.mac.full_duplex);
    assert_int_equal(m.reg[RCR / 4] & (RCR_DRT | RCR_RMII_10T), RCR_RMII_10T);
    assert_int_equal(m.reg[TCR / 4] & TCR_FDEN, TCR_FDEN);

    // Back to gigabit.
    m.stat1000 = STAT1000_FULL;
    m.link = false;
    (void)fec_link_poll(&f);
    m.link = true;
    assert_int_equal(fec_link_poll(&f), FEC_LINK_RESTART);
    restart_for();
    assert_true(m.reg[ECR / 4] & ECR_SPEED);
}

static void rx_frames_and_errors(void **state)
{
    (void)state;
    model_reset(0);
    init_ok(0, 266000000);
    post_all();
    struct fec_rx r;
    assert_false(fec_rx_take(&f, &r)); // nothing yet

    assert_true(model_receive(64, 0));
    uint64_t landed = events;
    assert_true(fec_rx_take(&f, &r));
    assert_true(r.ok);
    assert_int_equal(r.cookie, 0);
    assert_int_equal(r.len, 60); // the FCS is not passed on
    // The CPU's view was invalidated after the controller wrote.
    assert_true(covered_at(m.invalidated, m.ninvalidated, BUF_PA(0), 60) > landed);

    static const uint16_t bad[] = {BD_CR, BD_OV, BD_LG, BD_TR, BD_NO};
    for (unsigned i = 0; i < 5; i++) {
        assert_true(fec_rx_post(&f, r.cookie, BUF_PA(r.cookie), ram + BUF_PA(r.cookie)));
        fec_rx_kick(&f);
        assert_true(model_receive(100, bad[i]));
        assert_true(fec_rx_take(&f, &r));
        assert_false(r.ok);
    }
    assert_int_equal(f.stats.rx_errors, 5);
    // A runt (an Ethernet header less than whole) and a frame not ended by
    // its descriptor are not passed on either.
    assert_true(fec_rx_post(&f, r.cookie, BUF_PA(r.cookie), ram + BUF_PA(r.cookie)));
    assert_true(model_receive(4 + 13, 0));
    assert_true(fec_rx_take(&f, &r));
    assert_false(r.ok);
    assert_int_equal(f.stats.rx_frames, 1);
    assert_int_equal(f.stats.rx_errors, 6);
}

static void rx_ring_full_stops_and_resumes(void **state)
{
    (void)state;
    model_reset(0);
    init_ok(0, 266000000);
    post_all();
    assert_false(fec_rx_post(&f, 9, BUF_PA(0), ram + BUF_PA(0)));      // full
    for (uint32_t i = 0; i < NBD; i++)
        assert_true(model_receive(64, 0));
    assert_false(model_receive(64, 0)); // nothing empty: the controller stops
    assert_int_equal(m.reg[RDAR / 4], 0);
    struct fec_rx r;
    for (uint32_t i = 0; i < NBD; i++) {
        assert_true(fec_rx_take(&f, &r));
        assert_int_equal(r.cookie, i);
    }
    // Posted again out of order: the ring takes them as they come.
    assert_true(fec_rx_post(&f, 2, BUF_PA(2), ram + BUF_PA(2)));
    assert_true(fec_rx_post(&f, 0, BUF_PA(0), ram + BUF_PA(0)));
    assert_false(fec_rx_post(&f, 1, BUF_PA(1) + 4, ram + BUF_PA(1) + 4)); // misaligned
    fec_rx_kick(&f);
    assert_true(model_receive(64, 0));
    assert_true(fec_rx_take(&f, &r));
    assert_int_equal(r.cookie, 2);
}

static void tx_frames_wrap(void **state)
{
    (void)state;
    model_reset(0);
    init_ok(0, 266000000);
    uint32_t next = 0, done = 0, c;
    for (unsigned round = 0; round < 5; round++) {
        for (unsigned i = 0; i < 3; i++, next++)
            assert_true(fec_tx_put(&f, next, BUF_PA(next % 8), ram + BUF_PA(next % 8), 60 + next));
        fec_tx_kick(&f);
        while (fec_tx_take(&f, &c))
            assert_int_equal(c, done++);
    }
    assert_int_equal(done, 15);
    assert_int_equal(m.nsent, 15);
    for (unsigned i = 0; i < 15; i++) {
        assert_int_equal(m.sent_len[i], 60 + i);
        assert_int_equal(m.sent_pa[i], BUF_PA(i % 8));
    }
    // A full ring takes no more; frames it cannot send are refused.
    m.drop_tdar = 100; // the transmitter does nothing for now
    for (unsigned i = 0; i < NBD; i++)
        assert_true(fec_tx_put(&f, i, BUF_PA(0), ram + BUF_PA(0), 60));
    assert_false(fec_tx_put(&f, 9, BUF_PA(0), ram + BUF_PA(0), 60));
    model_reset(0);
    init_ok(0, 266000000);
    assert_false(fec_tx_put(&f, 0, BUF_PA(0) + 8, ram + BUF_PA(0) + 8, 60));
    assert_false(fec_tx_put(&f, 0, BUF_PA(0), ram + BUF_PA(0), 13));
    assert_false(fec_tx_put(&f, 0, BUF_PA(0), ram + BUF_PA(0), 1519));
}

static void tdar_erratum(void **state)
{
    (void)state;
    model_reset(0);
    init_ok(0, 266000000);
    unsigned writes = m.tdar_writes;
    // TDAR still set on every look: not written (ERR007885).
    m.tdar_busy_reads = 4;
    assert_true(fec_tx_put(&f, 0, BUF_PA(0), ram + BUF_PA(0), 60));
    fec_tx_kick(&f);
    assert_int_equal(m.tdar_writes, writes);
    // Clear on the third look: written.
    m.tdar_busy_reads = 2;
    fec_tx_kick(&f);
    assert_int_equal(m.tdar_writes, writes + 1);
    uint32_t c;
    assert_true(fec_tx_take(&f, &c));

    // The transmitter stops with a frame still ready (the write was lost):
    // the next kick, after reaping found nothing, starts it again.
    m.drop_tdar = 1;
    assert_true(fec_tx_put(&f, 1, BUF_PA(1), ram + BUF_PA(1), 60));
    fec_tx_kick(&f);
    assert_false(fec_tx_take(&f, &c));
    fec_tx_kick(&f);
    assert_true(fec_tx_take(&f, &c));
    assert_int_equal(c, 1);
}

static void events_and_bus_error_restart(void **state)
{
    (void)state;
    model_reset(0);
    init_ok(0, 266000000);
    post_all();
    assert_true(model_receive(64, 0));
    assert_true(model_receive(64, 0));
    struct fec_rx r;
    assert_true(fec_rx_take(&f, &r));
    assert_true(fec_rx_take(&f, &r)); // buffers 0 and 1 are the caller's now
    m.reg[EIR / 4] |= EIR_EBERR | EIR_LC;
    uint32_t ev = fec_events(&f);
    assert_int_equal(ev, FEC_EV_RX | FEC_EV_TX | FEC_EV_BUS_ERROR);
    assert_int_equal(m.reg[EIR / 4] & (EIR_EBERR | EIR_LC | EIR_RXF), 0); // acknowledged
    assert_int_equal(f.stats.bus_errors, 1);
    assert_int_equal(f.stats.tx_errors, 1);
    assert_int_equal(fec_events(&f), 0);

    // The restart keeps buffers 2 and 3 with the controller, from slot 0.
    restart_for();
    assert_true(m.gts_before_disable);
    assert_int_equal(f.rx.head, 0);
    assert_int_equal(f.rx.count, 2);
    assert_int_equal(bd_at(RX_RING_PA)->addr, BUF_PA(2));
    assert_int_equal(bd_at(RX_RING_PA + 8)->addr, BUF_PA(3));
    assert_int_equal(bd_at(RX_RING_PA + 16)->flags, 0);
    assert_int_equal(bd_at(RX_RING_PA + 24)->flags, BD_W);
    assert_true(m.reg[ECR / 4] & ECR_ETHEREN);
    assert_true(model_receive(64, 0));
    assert_true(fec_rx_take(&f, &r));
    assert_int_equal(r.cookie, 2);
}

static void firmware_left_it_running(void **state)
{
    (void)state;
    model_reset(0);
    m.reg[ECR / 4] = ECR_ETHEREN | ECR_DBSWP; // as U-Boot leaves it after a transfer
    m.reg[RDSR / 4] = 0x8000;
    init_ok(0, 266000000);
    assert_true(m.gts_before_disable); // stopped gracefully first
    assert_int_equal(m.reg[RDSR / 4], RX_RING_PA);

    // A transmitter that never acknowledges the graceful stop: bounded.
    model_reset(0);
    m.reg[ECR / 4] = ECR_ETHEREN;
    m.no_gra = true;
    init_ok(0, 266000000);
    assert_true(clock_us < 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_programs_the_controller),
        cmocka_unit_test(hash_bits_match_zlib),
        cmocka_unit_test(phy_found_by_scan),
        cmocka_unit_test(no_phy_and_hung_mdio),
        cmocka_unit_test(bad_params),
        cmocka_unit_test(mdc_never_above_2_5_mhz),
        cmocka_unit_test(ar8031_gets_rgmii_delays_and_gigabit),
        cmocka_unit_test(advertises_what_the_phy_can),
        cmocka_unit_test(link_changes),
        cmocka_unit_test(rx_frames_and_errors),
        cmocka_unit_test(rx_ring_full_stops_and_resumes),
        cmocka_unit_test(tx_frames_wrap),
        cmocka_unit_test(tdar_erratum),
        cmocka_unit_test(events_and_bus_error_restart),
        cmocka_unit_test(firmware_left_it_running),
    };
    return cmocka_run_group_tests_name("imx_fec", tests, NULL, NULL);
}
