// SPDX-License-Identifier: BSD-2-Clause
// The i.MX ENET ("fsl,imx8mq-fec", the i.MX6SX/7D/8M's FEC) with a clause-22
// PHY on its MDIO bus, in RGMII: register logic in portable C over
// drivers/mmio.h and drivers/dma.h.  The same code runs in the MaaXBoard's
// net driver PD, against QEMU's ENET model (tests/imx/fec.c on
// mcimx7d-sabre) and against a host model (tests/imx/host/test_fec.c).
//
// Descriptors.  The legacy 8-byte buffer descriptors (ECR.EN1588 clear),
// little-endian (ECR.DBSWP), one buffer per frame, in memory the caller
// maps uncached: the controller writes descriptors back next to ones the
// CPU is writing, which a cache line would merge.  The buffers themselves
// are cached; fec_rx_post/fec_rx_take/fec_tx_put do their cache
// maintenance.  Each ring is used in order: slot `head` is the next the
// controller completes, `count` slots from there are the controller's.
//
// The caller names each buffer by a cookie (its own index) and gets it back
// when the controller is done with it; nothing is allocated here.
//
// Link.  The PHY is found (at the board's MDIO address, else by a scan),
// reset, set to advertise what it can (gigabit where it has it) and left
// negotiating: fec_init never waits for a cable.  fec_link_poll reads the
// PHY; when the negotiated speed or duplex differs from what the MAC runs
// at, the caller restarts the MAC (fec_stop, take what completed,
// fec_start), which keeps every buffer where it was.
#ifndef DRIVERS_NET_IMX_FEC_H
#define DRIVERS_NET_IMX_FEC_H

#include <stdbool.h>
#include <stdint.h>

#define FEC_MAX_BDS    256u  // descriptors per ring, at most
#define FEC_RX_BUF     2032u // bytes the controller may write into an rx buffer (MRBR)
#define FEC_MAX_FRAME  1518u // longest frame taken or sent, FCS not counted
#define FEC_MIN_FRAME  14u   // an Ethernet header
#define FEC_FCS        4u    // received frames end with it; it is not passed on
#define FEC_BUF_ALIGN  16u   // rx and tx buffers start at this alignment
#define FEC_NO_PHY     0xffu

// One legacy buffer descriptor as the controller reads it (DBSWP set).
struct fec_bd {
    uint16_t len;
    uint16_t flags;
    uint32_t addr;
};
_Static_assert(sizeof(struct fec_bd) == 8, "legacy buffer descriptor: 8 bytes");

enum fec_result {
    FEC_OK = 0,
    FEC_ENOPHY,   // no PHY answered on the MDIO bus
    FEC_ETIMEOUT, // an MDIO transfer or the PHY's reset never finished
    FEC_EINVAL,   // parameters this driver cannot use (a bug of the caller)
};

struct fec_link {
    bool up;
    bool full_duplex;
    uint16_t mbps; // 10, 100 or 1000
};

// What fec_link_poll saw.
enum fec_link_change {
    FEC_LINK_SAME,
    FEC_LINK_CHANGED, // up or down, and the MAC's speed still fits
    FEC_LINK_RESTART, // up at a speed or duplex the MAC is not set for
};

struct fec_params {
    volatile void *regs;
    uint32_t clock_hz;        // the register ("ipg") clock: MDIO's divider; 0 unknown
    uint64_t (*now_us)(void); // microseconds, for MDIO and PHY reset timeouts
    volatile struct fec_bd *rx_ring, *tx_ring; // uncached, 8-byte aligned
    uint32_t rx_ring_pa, tx_ring_pa;
    uint32_t nrx, ntx; // descriptors, 2..FEC_MAX_BDS each
    uint32_t phy_addr; // where the board says its PHY is (0..31); others are scanned
    const uint8_t (*macs)[6];
    uint32_t nmacs; // unicast addresses to let in (at least one)
};

struct fec_slot {
    uint32_t cookie;
    uint32_t pa;
    uint32_t len; // tx: the frame's length
    const volatile void *va;
};

struct fec_ring {
    volatile struct fec_bd *bd;
    uint32_t pa, n, head, count;
    struct fec_slot slot[FEC_MAX_BDS];
};

struct fec_stats {
    uint32_t rx_frames, rx_errors; // errors: CRC, overrun, too long, truncated, not whole octets
    uint32_t tx_frames, tx_errors; // errors: late collision, retry limit, underrun
    uint32_t bus_errors;           // the controller's DMA failed (EBERR)
};

struct fec {
    volatile void *regs;
    uint32_t clock_hz;
    uint64_t (*now_us)(void);
    struct fec_ring rx, tx;
    uint8_t phy;                 // MDIO address in use
    uint32_t phy_id;             // ID1 << 16 | ID2
    bool gigabit;                // the PHY does 1000BASE-T and advertises it
    struct fec_link link;        // what the PHY said last
    struct fec_link mac;         // what the MAC is set for
    uint32_t palr, paur, ialr, iaur; // the address filter
    bool running;
    struct fec_stats stats;
};

// Stop whatever firmware left running, find and set up the PHY, program
// the controller and start it with empty rings.
enum fec_result fec_init(struct fec *f, const struct fec_params *p);

// Stop the controller (gracefully: a frame being sent is finished);
// fec_rx_take and fec_tx_take still hand back what completed before.
void fec_stop(struct fec *f);
// Program the controller for the link as last polled and start it, with
// the buffers that are still the controller's laid out from slot 0.
void fec_start(struct fec *f);

// Lend the controller an rx buffer: false if its ring is full.  Call
// fec_rx_kick after posting.
bool fec_rx_post(struct fec *f, uint32_t cookie, uint32_t pa, volatile void *va);
void fec_rx_kick(struct fec *f);

struct fec_rx {
    uint32_t cookie;
    uint32_t len; // the frame without its FCS
    bool ok;      // false: an error or a frame this driver does not pass on
};
// The next completed rx buffer, if any; its data is visible to the CPU.
bool fec_rx_take(struct fec *f, struct fec_rx *out);

// Queue a frame of `len` bytes at `pa` (FEC_BUF_ALIGN-aligned): false if
// the ring is full.  Call fec_tx_kick after queueing.
bool fec_tx_put(struct fec *f, uint32_t cookie, uint32_t pa, const volatile void *va,
                uint32_t len);
void fec_tx_kick(struct fec *f);
// The next frame the controller has sent, if any.
bool fec_tx_take(struct fec *f, uint32_t *cookie);

#define FEC_EV_RX        (1u << 0)
#define FEC_EV_TX        (1u << 1)
#define FEC_EV_BUS_ERROR (1u << 2) // the caller restarts the controller
// Read and acknowledge the controller's interrupt status.
uint32_t fec_events(struct fec *f);

enum fec_link_change fec_link_poll(struct fec *f);

// The bit of the 64-bit address hash (IAUR:IALR, GAUR:GALR) a MAC sets.
unsigned fec_hash_bit(const uint8_t mac[6]);
const char *fec_strerror(enum fec_result r);

#endif
