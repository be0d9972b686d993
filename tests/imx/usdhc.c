// SPDX-License-Identifier: BSD-2-Clause
// The uSDHC driver's register logic and SD protocol
// (drivers/blk/imx_usdhc/usdhc.c) against QEMU's own uSDHC and SD card
// models: usdhc1 of mcimx7d-sabre, the MaaXBoard's microSD controller at
// the same address.  QEMU's -append says which card the suite attached:
//   sdsc    a 64 MiB image: a standard-capacity card (byte addresses)
//   sdhc    a 4 GiB sparse image: high capacity (sector addresses)
//   nocard  no card at all
// The suite filled the image with pattern A (card_word) in sectors 0..255
// and in the last 64; this program checks them, writes pattern B
// elsewhere and reads it back, and the suite checks the image afterwards.
#include "harness.h"
#include "blk/imx_usdhc/usdhc.h"

#define USDHC1 0x30b40000u
#define SECTOR 512u

// Pattern A: word j of sector s.  tests/suites/34-imx.sh writes the same.
static uint32_t card_word(uint32_t s, uint32_t j)
{
    return s * 1000003u + j;
}

// Pattern B: what this program writes.
static uint32_t written_word(uint32_t s, uint32_t j)
{
    return ~(s * 7919u) ^ (j << 16);
}

static uint64_t now_us(void)
{
    return h_now() / h_ticks_per_us();
}

static struct usdhc sd;
static volatile struct usdhc_adma *const adma = (volatile struct usdhc_adma *)__dma_start;
#define BUF (__dma_start + 4096) // up to 256 KiB of data

// Run one transfer to its end, polled as the PD's interrupt would.
static enum usdhc_result transfer(bool write, uint32_t sector, uint32_t count)
{
    enum usdhc_result r = usdhc_start(&sd, write, sector, count, (uint32_t)BUF, BUF);
    if (r != USDHC_OK)
        return r;
    uint64_t end = now_us() + 2000000;
    while ((r = usdhc_finish(&sd)) == USDHC_BUSY)
        if (now_us() > end)
            return USDHC_BUSY;
    return r;
}

static bool buffer_holds(uint32_t sector, uint32_t count, uint32_t (*word)(uint32_t, uint32_t))
{
    const uint32_t *w = (const uint32_t *)BUF;
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t j = 0; j < SECTOR / 4; j++)
            if (w[s * SECTOR / 4 + j] != word(sector + s, j))
                return false;
    return true;
}

static void fill(uint32_t sector, uint32_t count, uint32_t (*word)(uint32_t, uint32_t))
{
    uint32_t *w = (uint32_t *)BUF;
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t j = 0; j < SECTOR / 4; j++)
            w[s * SECTOR / 4 + j] = word(sector + s, j);
}

static void read_check(uint32_t sector, uint32_t count, const char *what)
{
    h_memset(BUF, 0, count * SECTOR);
    enum usdhc_result r = transfer(false, sector, count);
    h_ok(r == USDHC_OK && buffer_holds(sector, count, card_word),
         "read %s: sectors %u..%u by ADMA2 hold the image's bytes (%s)", what, (unsigned)sector,
         (unsigned)(sector + count - 1), usdhc_strerror(r));
}

static void write_check(uint32_t sector, uint32_t count)
{
    fill(sector, count, written_word);
    enum usdhc_result w = transfer(true, sector, count);
    h_memset(BUF, 0, count * SECTOR);
    enum usdhc_result r = transfer(false, sector, count);
    h_ok(w == USDHC_OK && r == USDHC_OK && buffer_holds(sector, count, written_word),
         "write: sectors %u..%u written by ADMA2 and read back (%s, %s)", (unsigned)sector,
         (unsigned)(sector + count - 1), usdhc_strerror(w), usdhc_strerror(r));
}

int main(void);

int main(void)
{
    const char *card = h_cmdline();
    enum usdhc_result r = usdhc_init(&sd, (volatile void *)USDHC1, 400000000, now_us, adma,
                                     (uint32_t)__dma_start);
    if (h_streq(card, "nocard")) {
        h_ok(r == USDHC_ENOCARD, "no card in the slot: init says so (%s)", usdhc_strerror(r));
        h_ok(transfer(false, 0, 1) == USDHC_EINVAL, "no card: no transfer starts");
        return h_done();
    }
    bool sdhc = h_streq(card, "sdhc");
    uint64_t want = sdhc ? 8388608 : 131072;
    if (!h_ok(r == USDHC_OK, "init: the %s card is identified and selected (%s)", card,
              usdhc_strerror(r)))
        return h_done();
    h_ok(sd.rca == 0x4567, "init: relative card address from CMD3 (0x%x)", sd.rca);
    h_ok(sd.block_addressed == sdhc, "init: %s addressing, as its OCR says",
         sdhc ? "sector (SDHC)" : "byte (SDSC)");
    h_ok(sd.sectors == want, "init: %llu sectors, from the CSD (version %u)",
         (unsigned long long)sd.sectors, sdhc ? 2 : 1);
    h_ok(sd.sd_clock_hz == 25000000, "init: clocked at 25 MHz from 400 MHz (%u)",
         (unsigned)sd.sd_clock_hz);

    read_check(0, 1, "one sector");
    read_check(0, 256, "128 KiB, four descriptors");
    read_check((uint32_t)want - 64, 64, "the last 64 sectors");
    write_check(1000, 64);     // one descriptor
    write_check(2000, 70);     // across a descriptor's end
    write_check(300000 % (uint32_t)want, 8);

    h_ok(usdhc_start(&sd, false, want, 1, (uint32_t)BUF, BUF) == USDHC_EINVAL &&
             usdhc_start(&sd, false, want - 1, 2, (uint32_t)BUF, BUF) == USDHC_EINVAL,
         "a request past the card's end is refused before anything starts");
    h_ok(usdhc_start(&sd, false, 0, 1, (uint32_t)BUF + 1, BUF + 1) == USDHC_EINVAL,
         "a buffer the ADMA cannot address (misaligned) is refused");
    return h_done();
}
