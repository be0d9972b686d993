// SPDX-License-Identifier: BSD-2-Clause
// The uSDHC driver (drivers/blk/imx_usdhc/usdhc.c) against a register and
// SD card model, for what QEMU's models cannot show: CRC, timeout and DMA
// errors, a card pulled out during a transfer, a card that never gets
// ready, a card that is not SD, the state U-Boot leaves a card in, and
// the cache maintenance a non-coherent SoC needs around every DMA.
//
// The model is an SD card state machine behind the uSDHC's registers.
// "Physical" addresses are offsets into `ram`, where the driver's ADMA2
// table and buffers live; the card's sectors are `disk`.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "blk/imx_usdhc/usdhc.h"
#include "dma.h"
#include "mmio.h"

#define CMD_XFR_TYP 0x0c
#define PRES_STATE  0x24
#define PROT_CTRL   0x28
#define SYS_CTRL    0x2c
#define INT_STATUS  0x30
#define MIX_CTRL    0x48
#define ADMA_SYS    0x58

#define INT_CC   (1u << 0)
#define INT_TC   (1u << 1)
#define INT_CRM  (1u << 7)
#define INT_CTOE (1u << 16)
#define INT_DCE  (1u << 21)
#define INT_DMAE (1u << 28)

#define SECTORS 4096 // a 2 MiB card
enum state { IDLE, READY, IDENT, STBY, TRAN, DATA };

static struct {
    uint32_t reg[0x100 / 4];
    enum state state;
    bool present, high_capacity, not_sd, never_ready, app;
    bool cd_unwired; // the card-detect pad is not connected: CINST reads 0
    uint16_t rca;
    unsigned bus_width;
    // Faults the next data command meets.
    bool data_crc, cmd_timeout, dma_error, remove, hold;
    unsigned ncmds;
    uint8_t cmds[256]; // command indices in the order the card saw them
    unsigned resets;   // RSTA
    unsigned line_resets;
    // Cache maintenance the driver asked for: byte ranges of ram.
    struct range {
        size_t at, len;
    } cleaned[8], invalidated[8];
    unsigned ncleaned, ninvalidated;
} m;

static uint8_t ram[1 << 20];
static uint8_t disk[SECTORS * 512];
static uint8_t regs_anchor;
static uint64_t clock_us;

static uint64_t fake_now(void)
{
    return clock_us += 100; // every look at the clock takes 100 us
}

static size_t ram_offset(const volatile void *va)
{
    return (size_t)((const uint8_t *)va - ram);
}

void dma_clean(const volatile void *va, size_t len)
{
    if (m.ncleaned < 8)
        m.cleaned[m.ncleaned++] = (struct range){ram_offset(va), len};
}

void dma_invalidate(const volatile void *va, size_t len)
{
    if (m.ninvalidated < 8)
        m.invalidated[m.ninvalidated++] = (struct range){ram_offset(va), len};
}

static bool covered(const struct range *r, unsigned n, size_t at, size_t len)
{
    for (unsigned i = 0; i < n; i++)
        if (r[i].at <= at && at + len <= r[i].at + r[i].len)
            return true;
    return false;
}

static void respond(uint32_t r0)
{
    m.reg[0x10 / 4] = r0;
    m.reg[INT_STATUS / 4] |= INT_CC;
}

// The data phase of CMD18/25 through the ADMA2 table.
static void transfer(bool write, uint32_t arg)
{
    uint32_t count = m.reg[0x04 / 4] >> 16;
    uint64_t first = m.high_capacity ? arg : arg / 512;
    const struct usdhc_adma *d = (const struct usdhc_adma *)(ram + m.reg[ADMA_SYS / 4]);
    // The table and (for a write) the data were cleaned to memory first.
    assert_true(covered(m.cleaned, m.ncleaned, m.reg[ADMA_SYS / 4], sizeof(*d)));
    uint64_t done = 0, len = (uint64_t)count * 512;
    for (;; d++) {
        assert_true(d->attr & 1); // valid
        if (write)
            assert_true(covered(m.cleaned, m.ncleaned, d->addr, d->len));
        else
            assert_true(covered(m.invalidated, m.ninvalidated, d->addr, d->len));
        uint8_t *card = disk + first * 512 + done;
        if (write)
            memcpy(card, ram + d->addr, d->len);
        else
            memcpy(ram + d->addr, card, d->len);
        done += d->len;
        if (d->attr & 2) // end
            break;
    }
    assert_int_equal(done, len);
}

static void data_command(bool write, uint32_t arg)
{
    if (m.cmd_timeout) {
        m.reg[INT_STATUS / 4] |= INT_CTOE;
        return;
    }
    respond(0x900); // R1: tran, ready for data
    m.state = DATA;
    if (m.dma_error) {
        m.reg[INT_STATUS / 4] |= INT_DMAE;
        return;
    }
    if (m.remove) {
        m.present = false;
        m.reg[INT_STATUS / 4] |= INT_CRM;
        return;
    }
    transfer(write, arg);
    if (m.data_crc) {
        m.reg[INT_STATUS / 4] |= INT_DCE;
        return;
    }
    if (m.hold)
        return; // the test raises TC itself
    m.state = TRAN; // auto CMD12
    m.reg[INT_STATUS / 4] |= INT_TC;
}

static void command(uint32_t v)
{
    uint32_t idx = v >> 24 & 0x3f, arg = m.reg[0x08 / 4];
    bool app = m.app;
    m.app = false;
    m.cmds[m.ncmds++ & 255] = (uint8_t)idx;
    if (!m.present || (m.not_sd && (idx == 55 || idx == 8))) {
        m.reg[INT_STATUS / 4] |= INT_CTOE;
        return;
    }
    switch (app ? 100 + idx : idx) {
    case 0:
        m.state = IDLE;
        m.bus_width = 1;
        m.reg[INT_STATUS / 4] |= INT_CC;
        break;
    case 8:
        respond(arg & 0xfff);
        break;
    case 55:
        m.app = true;
        respond(0x120);
        break;
    case 141: {
        bool ready = !m.never_ready && m.state == IDLE;
        if (ready)
            m.state = READY;
        respond((ready ? 1u << 31 : 0) | (m.high_capacity && (arg & 1u << 30) ? 1u << 30 : 0) |
                0xff8000);
    } break;
    case 2:
        assert_int_equal(m.state, READY);
        m.state = IDENT;
        respond(0x1234);
        break;
    case 3:
        assert_int_equal(m.state, IDENT);
        m.state = STBY;
        m.rca = 0x4567;
        respond((uint32_t)m.rca << 16);
        break;
    case 9: { // CSD: version 2 with C_SIZE 3 (4 x 512 KiB), or version 1 for 2 MiB
        uint32_t r[4] = {0, 0, 0, 0};
        if (m.high_capacity) {
            r[3] = 1u << (126 - 104 + 0); // CSD_STRUCTURE = 1 at bits 127:126
            r[1] = 3u << (48 - 40);       // C_SIZE at bits 69:48
        } else { // READ_BL_LEN 9, C_SIZE 1023, C_SIZE_MULT 0: 1024 * 4 * 512 bytes
            // CSD bit n is bit n - 8 of r[3]:r[2]:r[1]:r[0].
            r[2] = 9u << (80 - 8 - 64); // READ_BL_LEN, bits 83:80
            r[1] = 1023u << (62 - 8 - 32); // C_SIZE, bits 73:62 (its top two bits are 0)
        }
        memcpy(&m.reg[0x10 / 4], r, sizeof(r));
        m.reg[INT_STATUS / 4] |= INT_CC;
    } break;
    case 7:
        assert_int_equal(arg >> 16, m.rca);
        m.state = TRAN;
        respond(0x700);
        break;
    case 16:
        respond(0x900);
        break;
    case 106:
        m.bus_width = arg == 2 ? 4 : 1;
        respond(0x920);
        break;
    case 12:
        m.state = TRAN;
        respond(0x900);
        break;
    case 18:
    case 25:
        assert_int_equal(m.state, TRAN);
        assert_true(v & (1u << 21)); // data present
        data_command(idx == 25, arg);
        break;
    default:
        fail_msg("the card got CMD%u", idx);
    }
}

uint32_t mmio_read32(volatile void *base, uint32_t off)
{
    assert_ptr_equal(base, &regs_anchor);
    if (off == PRES_STATE) {
        // CINST from the test level when PROT_CTRL.CDSS selects it, else
        // from the pad; SDSTB; lines never busy.
        uint32_t prot = m.reg[PROT_CTRL / 4];
        bool cinst = (prot & 0x80) ? (prot & 0x40) != 0 : m.present && !m.cd_unwired;
        return (cinst ? 1u << 16 : 0) | 1u << 3;
    }
    return m.reg[off / 4];
}

void mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
    assert_ptr_equal(base, &regs_anchor);
    switch (off) {
    case INT_STATUS:
        m.reg[off / 4] &= ~v;
        break;
    case SYS_CTRL:
        if (v & (1u << 24)) {
            m.resets++;
            memset(m.reg, 0, 0xc0);
        }
        if (v & (3u << 25))
            m.line_resets++;
        m.reg[off / 4] = v & ~(0xfu << 24); // resets and INITA finish at once
        break;
    case CMD_XFR_TYP:
        command(v);
        break;
    default:
        m.reg[off / 4] = v;
    }
}

static int setup(void **state)
{
    (void)state;
    memset(&m, 0, sizeof(m));
    m.present = true;
    m.state = IDLE;
    m.bus_width = 1;
    for (size_t i = 0; i < sizeof(disk); i++)
        disk[i] = (uint8_t)(i * 7 + i / 512);
    return 0;
}

static struct usdhc sd;
#define TABLE 0x1000u
#define BUF   0x10000u

static enum usdhc_result init_card(void)
{
    return usdhc_init(&sd, &regs_anchor, 400000000, fake_now,
                      (volatile struct usdhc_adma *)(ram + TABLE), TABLE);
}

static enum usdhc_result run(bool write, uint32_t sector, uint32_t count)
{
    m.ncleaned = m.ninvalidated = 0;
    enum usdhc_result r = usdhc_start(&sd, write, sector, count, BUF, ram + BUF);
    if (r != USDHC_OK)
        return r;
    return usdhc_finish(&sd);
}

static void from_power_on(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    assert_int_equal(m.state, TRAN);
    assert_int_equal(m.bus_width, 4);
    assert_int_equal(m.reg[PROT_CTRL / 4] & 6, 2); // host on the 4-bit bus too
    assert_int_equal(sd.rca, 0x4567);
    assert_false(sd.block_addressed);
    assert_int_equal(sd.sectors, SECTORS);
    assert_int_equal(m.cmds[0], 0); // the first command is GO_IDLE
}

static void from_the_state_uboot_leaves(void **state)
{
    (void)state;
    // U-Boot selected the card, on a 4-bit bus, and left the host so.
    m.state = TRAN;
    m.bus_width = 4;
    m.rca = 0x1234;
    m.high_capacity = true;
    m.reg[PROT_CTRL / 4] = 2;
    assert_int_equal(init_card(), USDHC_OK);
    assert_true(m.resets >= 1); // the controller reset before anything
    assert_int_equal(m.cmds[0], 0);
    assert_int_equal(m.state, TRAN);
    assert_int_equal(sd.rca, 0x4567);
    assert_true(sd.block_addressed);
    assert_int_equal(sd.sectors, 4 * 1024);
}

static void read_and_write_with_cache_maintenance(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    // 96 sectors: 48 KiB, two descriptors.  The model checked the table
    // and buffer were cleaned or invalidated before it used them.
    assert_int_equal(run(false, 100, 96), USDHC_OK);
    assert_memory_equal(ram + BUF, disk + 100 * 512, 96 * 512);
    // After the card wrote memory: invalidated again, for the CPU.
    assert_true(m.ninvalidated >= 2);
    assert_true(m.invalidated[m.ninvalidated - 1].at == BUF &&
                m.invalidated[m.ninvalidated - 1].len == 96 * 512);
    memset(ram + BUF, 0x5a, 8 * 512);
    assert_int_equal(run(true, 4000, 8), USDHC_OK);
    assert_memory_equal(disk + 4000 * 512, ram + BUF, 8 * 512);
}

static void data_crc_error_fails_the_request_only(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    m.data_crc = true;
    unsigned resets = m.line_resets, cmds = m.ncmds;
    assert_int_equal(run(false, 0, 4), USDHC_ECRC);
    assert_true(m.line_resets > resets);  // command and data lines reset
    assert_int_equal(m.cmds[cmds + 1], 12); // the card stopped: back in tran
    assert_int_equal(m.state, TRAN);
    m.data_crc = false;
    assert_int_equal(run(false, 0, 4), USDHC_OK);
    assert_memory_equal(ram + BUF, disk, 4 * 512);
}

static void command_timeout_and_dma_error(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    m.cmd_timeout = true;
    assert_int_equal(run(true, 0, 1), USDHC_ETIMEOUT);
    m.cmd_timeout = false;
    m.dma_error = true;
    assert_int_equal(run(true, 0, 1), USDHC_EDMA);
    m.dma_error = false;
    assert_int_equal(run(true, 0, 1), USDHC_OK);
}

static void card_pulled_out_during_a_transfer(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    m.remove = true;
    assert_int_equal(run(false, 0, 8), USDHC_ENOCARD);
    assert_int_equal(usdhc_start(&sd, false, 0, 8, BUF, ram + BUF), USDHC_ENOCARD);
}

static void a_transfer_ends_with_its_interrupt(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    m.hold = true;
    assert_int_equal(usdhc_start(&sd, false, 8, 8, BUF, ram + BUF), USDHC_OK);
    assert_false(usdhc_pending(&sd));
    assert_int_equal(usdhc_finish(&sd), USDHC_BUSY); // nothing to wait for: no spinning
    assert_int_equal(usdhc_start(&sd, false, 0, 1, BUF, ram + BUF), USDHC_EINVAL); // one at a time
    m.reg[INT_STATUS / 4] |= INT_TC;
    assert_true(usdhc_pending(&sd));
    assert_int_equal(usdhc_finish(&sd), USDHC_OK);
    assert_false(usdhc_pending(&sd)); // acknowledged
}

static void cards_the_driver_cannot_use(void **state)
{
    (void)state;
    m.present = false;
    assert_int_equal(init_card(), USDHC_ENOCARD);
    setup(NULL);
    m.never_ready = true; // ACMD41 busy forever
    uint64_t t0 = clock_us;
    assert_int_equal(init_card(), USDHC_ETIMEOUT);
    assert_true(clock_us - t0 < 2000000); // bounded: the spec's second, and a little
    setup(NULL);
    m.not_sd = true; // an MMC: no CMD8, no CMD55
    assert_int_equal(init_card(), USDHC_EUNSUPP);
}

// The MaaXBoard's microSD slot: its card-detect pad is not wired, so the
// controller sees no card whatever the slot holds.  The card is found by
// its answers, transfers work, and an empty slot is still "no card".
static void a_slot_without_card_detect(void **state)
{
    (void)state;
    m.cd_unwired = true;
    assert_int_equal(init_card(), USDHC_OK);
    assert_false(sd.card_detect);
    assert_int_equal(m.reg[PROT_CTRL / 4] & 0xc0, 0xc0); // test level: inserted
    for (uint32_t i = 0; i < 8 * 512; i++)
        ram[BUF + i] = (uint8_t)(i * 7);
    assert_int_equal(run(true, 100, 8), USDHC_OK);
    assert_int_equal(memcmp(disk + 100 * 512, ram + BUF, 8 * 512), 0);
    assert_int_equal(run(false, 100, 8), USDHC_OK);

    setup(NULL);
    m.cd_unwired = true;
    m.present = false;
    assert_int_equal(init_card(), USDHC_ENOCARD);
}

static void requests_it_refuses(void **state)
{
    (void)state;
    assert_int_equal(init_card(), USDHC_OK);
    assert_int_equal(usdhc_start(&sd, false, SECTORS - 1, 2, BUF, ram + BUF), USDHC_EINVAL);
    assert_int_equal(usdhc_start(&sd, false, 0, 0, BUF, ram + BUF), USDHC_EINVAL);
    assert_int_equal(usdhc_start(&sd, false, 0, USDHC_MAX_SECTORS + 1, BUF, ram + BUF),
                     USDHC_EINVAL);
    // A buffer crossing 4 GiB: ADMA2 descriptors hold 32-bit addresses.
    assert_int_equal(usdhc_start(&sd, false, 0, 1, 0xffffff00ull, ram + BUF), USDHC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(from_power_on, setup),
        cmocka_unit_test_setup(from_the_state_uboot_leaves, setup),
        cmocka_unit_test_setup(read_and_write_with_cache_maintenance, setup),
        cmocka_unit_test_setup(data_crc_error_fails_the_request_only, setup),
        cmocka_unit_test_setup(command_timeout_and_dma_error, setup),
        cmocka_unit_test_setup(card_pulled_out_during_a_transfer, setup),
        cmocka_unit_test_setup(a_transfer_ends_with_its_interrupt, setup),
        cmocka_unit_test_setup(cards_the_driver_cannot_use, setup),
        cmocka_unit_test_setup(a_slot_without_card_detect, setup),
        cmocka_unit_test_setup(requests_it_refuses, setup),
    };
    return cmocka_run_group_tests_name("usdhc", tests, NULL, NULL);
}
