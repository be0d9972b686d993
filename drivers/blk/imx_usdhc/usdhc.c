// SPDX-License-Identifier: BSD-2-Clause
// The uSDHC and the SD card protocol: see usdhc.h.  Registers from the
// i.MX 8M Dual/Quad reference manual (uSDHC chapter); commands from the SD
// Physical Layer Simplified Specification (version 2.00 covers all used).
#include "blk/imx_usdhc/usdhc.h"
#include "dma.h"
#include "mmio.h"

// ---- registers ---------------------------------------------------------------

#define BLK_ATT         0x04
#define CMD_ARG         0x08
#define CMD_XFR_TYP     0x0c
#define CMD_RSP0        0x10
#define PRES_STATE      0x24
#define PROT_CTRL       0x28
#define SYS_CTRL        0x2c
#define INT_STATUS      0x30
#define INT_STATUS_EN   0x34
#define INT_SIGNAL_EN   0x38
#define MIX_CTRL        0x48
#define ADMA_ERR_STATUS 0x54
#define ADMA_SYS_ADDR   0x58

#define PRES_CIHB  (1u << 0) // command line in use
#define PRES_CDIHB (1u << 1) // data line in use
#define PRES_SDSTB (1u << 3) // SD clock stable
#define PRES_CINST (1u << 16)

#define PROT_DTW_4BIT     (1u << 1)
#define PROT_DTW_MASK     (3u << 1)
#define PROT_EMODE_LITTLE (2u << 4)
#define PROT_CDTL         (1u << 6) // card-detect test level: inserted
#define PROT_CDSS         (1u << 7) // card detect from the test level, not the pad
#define PROT_DMASEL_ADMA2 (2u << 8)

#define SYS_CLOCK_BITS  0xfu // reserved, reset value 1s; QEMU's model reads them as clock enables
#define SYS_DVS_SHIFT   4
#define SYS_FS_SHIFT    8
#define SYS_CLOCK_MASK  0xfff0u
#define SYS_DTOCV_SHIFT 16
#define SYS_DTOCV_MASK  (0xfu << 16)
#define SYS_DTOCV_MAX   0xeu
#define SYS_RSTA        (1u << 24)
#define SYS_RSTC        (1u << 25)
#define SYS_RSTD        (1u << 26)
#define SYS_INITA       (1u << 27)

#define INT_CC    (1u << 0)  // command complete
#define INT_TC    (1u << 1)  // transfer complete
#define INT_DINT  (1u << 3)  // DMA
#define INT_CINS  (1u << 6)  // card inserted
#define INT_CRM   (1u << 7)  // card removed
#define INT_CTOE  (1u << 16) // command timeout
#define INT_CCE   (1u << 17) // command CRC
#define INT_CEBE  (1u << 18) // command end bit
#define INT_CIE   (1u << 19) // command index
#define INT_DTOE  (1u << 20) // data timeout
#define INT_DCE   (1u << 21) // data CRC
#define INT_DEBE  (1u << 22) // data end bit
#define INT_AC12E (1u << 24) // auto CMD12
#define INT_DMAE  (1u << 28)
#define INT_CMD_ERRORS  (INT_CTOE | INT_CCE | INT_CEBE | INT_CIE)
#define INT_DATA_ERRORS (INT_DTOE | INT_DCE | INT_DEBE | INT_AC12E | INT_DMAE)
#define INT_USED        (INT_CC | INT_TC | INT_DINT | INT_CINS | INT_CRM | INT_CMD_ERRORS | INT_DATA_ERRORS)

#define MIX_DMAEN  (1u << 0)
#define MIX_BCEN   (1u << 1)
#define MIX_AC12EN (1u << 2)
#define MIX_DTDSEL (1u << 4) // card to host
#define MIX_MSBSEL (1u << 5)
#define MIX_XFER   0x3fu // the transfer bits this driver sets; the rest is tuning's

// CMD_XFR_TYP: response type, checks, data, command type and index.
#define RSP_NONE   (0u << 16)
#define RSP_136    (1u << 16)
#define RSP_48     (2u << 16)
#define RSP_48BUSY (3u << 16)
#define CCCEN      (1u << 19)
#define CICEN      (1u << 20)
#define DPSEL      (1u << 21)
#define CMD_ABORT  (3u << 22)
#define CMDINX(n)  ((uint32_t)(n) << 24)

// Responses by type (SD spec 4.9), as CMD_XFR_TYP bits.
#define R1  (RSP_48 | CCCEN | CICEN)
#define R1B (RSP_48BUSY | CCCEN | CICEN)
#define R2  (RSP_136 | CCCEN)
#define R3  RSP_48
#define R6  (RSP_48 | CCCEN | CICEN)
#define R7  (RSP_48 | CCCEN | CICEN)

#define ADMA_VALID (1u << 0)
#define ADMA_END   (1u << 1)
#define ADMA_TRAN  (2u << 4)

// ---- SD card protocol ----------------------------------------------------------

#define CMD_GO_IDLE          0
#define CMD_ALL_SEND_CID     2
#define CMD_SEND_RCA         3
#define CMD_SELECT           7
#define CMD_SEND_IF_COND     8
#define CMD_SEND_CSD         9
#define CMD_STOP             12
#define CMD_SET_BLOCKLEN     16
#define CMD_READ_MULTIPLE    18
#define CMD_WRITE_MULTIPLE   25
#define CMD_APP              55
#define ACMD_SET_BUS_WIDTH   6
#define ACMD_SD_SEND_OP_COND 41

#define IF_COND_CHECK   0x1aau     // 2.7-3.6 V, check pattern 0xaa
#define OCR_VOLTAGES    0x00ff8000u // 2.7-3.6 V
#define OCR_HCS         (1u << 30)  // host takes high capacity / card is it
#define OCR_READY       (1u << 31)
#define R1_ERRORS       0xfff98008u // status bits 31..19, 15 (ready for data aside) and 3
#define SD_INIT_HZ      400000u
#define SD_DEFAULT_HZ   25000000u

#define CMD_TIMEOUT_US   50000u   // a command's own timeout is 64 clocks; this bounds the controller
#define BUSY_TIMEOUT_US  500000u  // R1b busy, line resets
#define READY_TIMEOUT_US 1000000u // ACMD41 until the card is ready (the spec's 1 s)

static bool wait_clear(struct usdhc *u, uint32_t off, uint32_t bits, uint32_t timeout_us)
{
    uint64_t end = u->now_us() + timeout_us;
    while (mmio_read32(u->regs, off) & bits)
        if (u->now_us() > end)
            return false;
    return true;
}

static bool wait_set(struct usdhc *u, uint32_t off, uint32_t bits, uint32_t timeout_us)
{
    uint64_t end = u->now_us() + timeout_us;
    while ((mmio_read32(u->regs, off) & bits) != bits)
        if (u->now_us() > end)
            return false;
    return true;
}

// After an error: the command line (and the data line) back to idle.
static void reset_lines(struct usdhc *u, bool data)
{
    uint32_t bits = SYS_RSTC | (data ? SYS_RSTD : 0);
    mmio_set32(u->regs, SYS_CTRL, bits);
    wait_clear(u, SYS_CTRL, bits, BUSY_TIMEOUT_US);
}

static enum usdhc_result error_of(uint32_t status)
{
    if (status & (INT_CTOE | INT_DTOE))
        return USDHC_ETIMEOUT;
    if (status & INT_DMAE)
        return USDHC_EDMA;
    return USDHC_ECRC; // CRC, end bit or index errors, auto CMD12 errors
}

// One command without data, waited for.  `resp` gets the response
// registers (R2: all four; others: the first).
static enum usdhc_result command(struct usdhc *u, uint32_t index, uint32_t arg, uint32_t flags,
                                 uint32_t resp[4])
{
    if (!wait_clear(u, PRES_STATE, PRES_CIHB, CMD_TIMEOUT_US)) {
        reset_lines(u, false);
        return USDHC_ETIMEOUT;
    }
    mmio_write32(u->regs, INT_STATUS, ~0u);
    mmio_write32(u->regs, CMD_ARG, arg);
    mmio_write32(u->regs, CMD_XFR_TYP, CMDINX(index) | flags);
    uint64_t end = u->now_us() + CMD_TIMEOUT_US;
    uint32_t st;
    while (!((st = mmio_read32(u->regs, INT_STATUS)) & (INT_CC | INT_CMD_ERRORS)))
        if (u->now_us() > end) {
            st = INT_CTOE; // the controller never answered: treat as a timeout
            break;
        }
    mmio_write32(u->regs, INT_STATUS, st);
    u->last_int_status = st;
    if (st & INT_CMD_ERRORS) {
        reset_lines(u, false);
        return error_of(st);
    }
    for (unsigned i = 0; resp && i < 4; i++)
        resp[i] = mmio_read32(u->regs, CMD_RSP0 + 4 * i);
    // R1b: the card holds the data line busy until it is done.
    if ((flags & RSP_48BUSY) == RSP_48BUSY &&
        !wait_clear(u, PRES_STATE, PRES_CDIHB, BUSY_TIMEOUT_US)) {
        reset_lines(u, true);
        return USDHC_ETIMEOUT;
    }
    return USDHC_OK;
}

static enum usdhc_result app_command(struct usdhc *u, uint32_t index, uint32_t arg,
                                     uint32_t flags, uint32_t resp[4])
{
    uint32_t r[4];
    enum usdhc_result e = command(u, CMD_APP, (uint32_t)u->rca << 16, R1, r);
    return e != USDHC_OK ? e : command(u, index, arg, flags, resp);
}

// A card status (R1) without error bits.
static enum usdhc_result status_ok(uint32_t r1)
{
    return r1 & R1_ERRORS ? USDHC_ECARD : USDHC_OK;
}

// SD clock = reference / (prescaler * divisor): prescaler a power of two
// from 2 to 256, divisor 1 to 16; the fastest not above `hz`.
static void set_clock(struct usdhc *u, uint32_t hz)
{
    uint32_t pre = 2, div = 1;
    while (u->clock_hz / (pre * 16) > hz && pre < 256)
        pre *= 2;
    while (u->clock_hz / (pre * div) > hz && div < 16)
        div++;
    uint32_t v = mmio_read32(u->regs, SYS_CTRL) & ~SYS_CLOCK_MASK;
    v |= (pre / 2) << SYS_FS_SHIFT | (div - 1) << SYS_DVS_SHIFT | SYS_CLOCK_BITS;
    mmio_write32(u->regs, SYS_CTRL, v);
    wait_set(u, PRES_STATE, PRES_SDSTB, CMD_TIMEOUT_US);
    u->sd_clock_hz = u->clock_hz / (pre * div);
}

// The card's size from its CSD (136-bit response less its CRC byte, in
// resp[0..3]: bit n of the CSD is bit n - 8 of that 120-bit number).
static uint32_t csd_bits(const uint32_t r[4], unsigned hi, unsigned lo)
{
    uint32_t v = 0;
    for (unsigned n = hi + 1; n-- > lo;)
        v = v << 1 | ((r[(n - 8) / 32] >> ((n - 8) % 32)) & 1);
    return v;
}

static uint64_t csd_sectors(const uint32_t r[4])
{
    if (csd_bits(r, 127, 126) == 1) // CSD version 2: SDHC and SDXC
        return ((uint64_t)csd_bits(r, 69, 48) + 1) * 1024;
    uint64_t c_size = csd_bits(r, 73, 62), mult = csd_bits(r, 49, 47),
             bl_len = csd_bits(r, 83, 80);
    return ((c_size + 1) << (mult + 2)) << bl_len >> 9;
}

// The controller, reset and clocked for identification.
static enum usdhc_result reset_controller(struct usdhc *u)
{
    mmio_set32(u->regs, SYS_CTRL, SYS_RSTA);
    if (!wait_clear(u, SYS_CTRL, SYS_RSTA, BUSY_TIMEOUT_US))
        return USDHC_ETIMEOUT;
    mmio_write32(u->regs, INT_STATUS_EN, INT_USED); // status latches only where enabled
    mmio_write32(u->regs, INT_SIGNAL_EN, 0);        // polled while setting up
    mmio_write32(u->regs, INT_STATUS, ~0u);
    mmio_write32(u->regs, PROT_CTRL, PROT_EMODE_LITTLE | PROT_DMASEL_ADMA2);
    mmio_write32(u->regs, SYS_CTRL,
                 (mmio_read32(u->regs, SYS_CTRL) & ~SYS_DTOCV_MASK) |
                     SYS_DTOCV_MAX << SYS_DTOCV_SHIFT);
    set_clock(u, SD_INIT_HZ);
    // A slot whose card-detect pad is not wired to the controller (the
    // MaaXBoard's microSD, "non-removable" in its tree) reads as empty
    // whatever it holds: say "inserted" through the test level, and let
    // the card's answers tell whether one is there.
    u->card_detect = mmio_read32(u->regs, PRES_STATE) & PRES_CINST;
    if (!u->card_detect)
        mmio_set32(u->regs, PROT_CTRL, PROT_CDSS | PROT_CDTL);
    mmio_set32(u->regs, SYS_CTRL, SYS_INITA); // 80 clocks before the first command
    wait_clear(u, SYS_CTRL, SYS_INITA, CMD_TIMEOUT_US);
    return USDHC_OK;
}

// CMD0, CMD8, ACMD41 until ready: the card's version and capacity class.
static enum usdhc_result power_up(struct usdhc *u)
{
    uint32_t r[4];
    enum usdhc_result e = command(u, CMD_GO_IDLE, 0, RSP_NONE, NULL);
    if (e != USDHC_OK)
        return e;
    // CMD8: version 2 cards echo the check pattern; version 1 cards time out.
    bool v2 = command(u, CMD_SEND_IF_COND, IF_COND_CHECK, R7, r) == USDHC_OK;
    if (v2 && (r[0] & 0xfff) != IF_COND_CHECK)
        return USDHC_EUNSUPP; // the card cannot run at our voltage
    u->rca = 0;
    uint64_t end = u->now_us() + READY_TIMEOUT_US;
    do {
        e = app_command(u, ACMD_SD_SEND_OP_COND, OCR_VOLTAGES | (v2 ? OCR_HCS : 0), R3, r);
        if (e != USDHC_OK)
            return e == USDHC_ETIMEOUT ? USDHC_EUNSUPP : e; // not an SD card (MMC, SDIO)
        if (u->now_us() > end)
            return USDHC_ETIMEOUT;
    } while (!(r[0] & OCR_READY));
    u->block_addressed = v2 && (r[0] & OCR_HCS);
    return USDHC_OK;
}

// CID, RCA, CSD, select; 512-byte blocks; 4-bit bus.
static enum usdhc_result identify(struct usdhc *u)
{
    uint32_t r[4];
    enum usdhc_result e = command(u, CMD_ALL_SEND_CID, 0, R2, r);
    if (e == USDHC_OK)
        e = command(u, CMD_SEND_RCA, 0, R6, r);
    if (e != USDHC_OK)
        return e;
    u->rca = (uint16_t)(r[0] >> 16);
    if ((e = command(u, CMD_SEND_CSD, (uint32_t)u->rca << 16, R2, r)) != USDHC_OK)
        return e;
    u->sectors = csd_sectors(r);
    if ((e = command(u, CMD_SELECT, (uint32_t)u->rca << 16, R1B, r)) != USDHC_OK ||
        (e = status_ok(r[0])) != USDHC_OK)
        return e;
    if (!u->block_addressed &&
        ((e = command(u, CMD_SET_BLOCKLEN, USDHC_SECTOR, R1, r)) != USDHC_OK ||
         (e = status_ok(r[0])) != USDHC_OK))
        return e;
    if ((e = app_command(u, ACMD_SET_BUS_WIDTH, 2, R1, r)) != USDHC_OK ||
        (e = status_ok(r[0])) != USDHC_OK)
        return e;
    mmio_write32(u->regs, PROT_CTRL,
                 (mmio_read32(u->regs, PROT_CTRL) & ~PROT_DTW_MASK) | PROT_DTW_4BIT);
    return USDHC_OK;
}

enum usdhc_result usdhc_init(struct usdhc *u, volatile void *regs, uint32_t clock_hz,
                             uint64_t (*now_us)(void), volatile struct usdhc_adma *adma,
                             uint32_t adma_pa)
{
    *u = (struct usdhc){.regs = regs, .clock_hz = clock_hz, .now_us = now_us, .adma = adma,
                        .adma_pa = adma_pa};
    if (!clock_hz || (adma_pa & 3))
        return USDHC_EINVAL;
    enum usdhc_result e = reset_controller(u);
    if (e == USDHC_OK)
        e = power_up(u);
    // Without card detect, nothing answering is no card.
    if (!u->card_detect && (e == USDHC_ETIMEOUT || e == USDHC_EUNSUPP))
        e = USDHC_ENOCARD;
    if (e == USDHC_OK)
        e = identify(u);
    if (e != USDHC_OK)
        return e;
    set_clock(u, SD_DEFAULT_HZ);
    // From now on transfers end with an interrupt: completion, an error,
    // or the card going away.
    mmio_write32(u->regs, INT_SIGNAL_EN, INT_TC | INT_CRM | INT_CMD_ERRORS | INT_DATA_ERRORS);
    return USDHC_OK;
}

// ---- transfers -------------------------------------------------------------------

static void build_adma(struct usdhc *u, uint32_t pa, uint32_t len)
{
    unsigned i = 0;
    for (uint32_t off = 0; off < len; off += USDHC_ADMA_CHUNK, i++) {
        uint32_t n = len - off < USDHC_ADMA_CHUNK ? len - off : USDHC_ADMA_CHUNK;
        u->adma[i].addr = pa + off;
        u->adma[i].len = (uint16_t)n;
        u->adma[i].attr = (uint16_t)(ADMA_VALID | ADMA_TRAN | (off + n == len ? ADMA_END : 0));
    }
    dma_clean(u->adma, i * sizeof(struct usdhc_adma)); // the controller reads the table
}

enum usdhc_result usdhc_start(struct usdhc *u, bool write, uint64_t sector, uint32_t count,
                              uint64_t buf_pa, void *buf_va)
{
    uint64_t len = (uint64_t)count * USDHC_SECTOR;
    if (u->busy || !count || count > USDHC_MAX_SECTORS || sector >= u->sectors ||
        count > u->sectors - sector || (buf_pa & 3) || buf_pa + len > 0x100000000ull ||
        (!u->block_addressed && (sector + count) * USDHC_SECTOR > 0xffffffffull))
        return USDHC_EINVAL;
    if (u->card_detect && !(mmio_read32(u->regs, PRES_STATE) & PRES_CINST))
        return USDHC_ENOCARD;
    if (mmio_read32(u->regs, PRES_STATE) & (PRES_CIHB | PRES_CDIHB))
        reset_lines(u, true); // a line left busy by an earlier failure
    build_adma(u, (uint32_t)buf_pa, (uint32_t)len);
    // Write: the card reads what the CPU wrote.  Read: no dirty line may
    // be evicted over what the card writes.
    if (write)
        dma_clean(buf_va, len);
    else
        dma_invalidate(buf_va, len);
    mmio_write32(u->regs, INT_STATUS, ~0u);
    mmio_write32(u->regs, BLK_ATT, count << 16 | USDHC_SECTOR);
    mmio_write32(u->regs, ADMA_SYS_ADDR, u->adma_pa);
    uint32_t mix = mmio_read32(u->regs, MIX_CTRL) & ~MIX_XFER;
    mmio_write32(u->regs, MIX_CTRL,
                 mix | MIX_DMAEN | MIX_BCEN | MIX_AC12EN | MIX_MSBSEL | (write ? 0 : MIX_DTDSEL));
    mmio_write32(u->regs, CMD_ARG, (uint32_t)(u->block_addressed ? sector : sector * USDHC_SECTOR));
    u->busy = true;
    u->write = write;
    u->buf_va = buf_va;
    u->buf_len = (uint32_t)len;
    mmio_write32(u->regs, CMD_XFR_TYP,
                 CMDINX(write ? CMD_WRITE_MULTIPLE : CMD_READ_MULTIPLE) | R1 | DPSEL);
    return USDHC_OK;
}

bool usdhc_pending(const struct usdhc *u)
{
    return mmio_read32(u->regs, INT_STATUS) & (INT_TC | INT_CRM | INT_CMD_ERRORS | INT_DATA_ERRORS);
}

enum usdhc_result usdhc_finish(struct usdhc *u)
{
    if (!u->busy)
        return USDHC_EINVAL;
    uint32_t st = mmio_read32(u->regs, INT_STATUS);
    bool removed = u->card_detect &&
                   ((st & INT_CRM) || !(mmio_read32(u->regs, PRES_STATE) & PRES_CINST));
    if (!(st & (INT_TC | INT_CMD_ERRORS | INT_DATA_ERRORS)) && !removed)
        return USDHC_BUSY;
    mmio_write32(u->regs, INT_STATUS, st);
    u->last_int_status = st;
    u->busy = false;
    enum usdhc_result r = USDHC_OK;
    if (removed) {
        r = USDHC_ENOCARD;
        reset_lines(u, true);
    } else if (st & (INT_CMD_ERRORS | INT_DATA_ERRORS)) {
        r = error_of(st);
        reset_lines(u, true);
        // The card may still be sending or receiving: stop it, so that
        // the next request finds it ready.  Its answer does not matter.
        uint32_t resp[4];
        command(u, CMD_STOP, 0, R1B | CMD_ABORT, resp);
    }
    if (!u->write)
        dma_invalidate(u->buf_va, u->buf_len); // what the card wrote, not stale lines
    return r;
}

const char *usdhc_strerror(enum usdhc_result r)
{
    switch (r) {
    case USDHC_OK:
        return "ok";
    case USDHC_BUSY:
        return "busy";
    case USDHC_ENOCARD:
        return "no card";
    case USDHC_ETIMEOUT:
        return "timeout";
    case USDHC_ECRC:
        return "CRC error";
    case USDHC_EDMA:
        return "DMA error";
    case USDHC_ECARD:
        return "the card reported an error";
    case USDHC_EINVAL:
        return "invalid request";
    case USDHC_EUNSUPP:
        return "not a supported SD memory card";
    }
    return "?";
}
