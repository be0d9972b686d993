// SPDX-License-Identifier: BSD-2-Clause
// A block test client: talks to blk_virt through its queue the way a
// VMM's virtio-blk device will.  The checks go one request at a time
// (requests in flight are not ordered, and a write must land before its
// read-back); the burst at the end puts a whole ring in flight.
//
// client0 and client1 each read their partition's boot sector, write and
// read back 8 sectors, then send requests blk_virt must refuse: past the
// partition and garbage descriptors (bad offset, length, op); last, a
// burst: a full ring of writes, then of reads, answered in any order.
// client2's config disagrees with the MBR: all it gets is SG_BLK_ENODEV;
// then it breaks its ring indices.  Each mismatch prints a FAIL line;
// client0 ends the run once all three are done.
#include <microkit.h>
#include <sysgen/blk_queue.h>

#include "blk_test.h"

uint64_t blk_queue, blk_data; // vaddrs, patched by sysgen (setvar_vaddr)

#define WR_SECTOR (BLK_TEST_PART_SECTORS - 8) // the partition's last 4 KiB
#define WR_OFF    0x1000u
#define RD_OFF    0x3000u

struct step {
    uint16_t op;
    uint32_t count;
    uint64_t sector, offset;
    uint16_t want;
    const char *what;
};

static const struct step steps[] = {
    {SG_BLK_OP_READ, 1, 0, 0, SG_BLK_OK, "read sector 0"},
    {SG_BLK_OP_WRITE, 8, WR_SECTOR, WR_OFF, SG_BLK_OK, "write 8 sectors"},
    {SG_BLK_OP_READ, 8, WR_SECTOR, RD_OFF, SG_BLK_OK, "read them back"},
    {SG_BLK_OP_READ, 1, BLK_TEST_PART_SECTORS, 0, SG_BLK_ERANGE, "read one sector past the end"},
    {SG_BLK_OP_WRITE, 2, BLK_TEST_PART_SECTORS - 1, 0, SG_BLK_ERANGE, "write across the end"},
    {SG_BLK_OP_READ, 1, ~0ull, 0, SG_BLK_ERANGE, "read sector 2^64-1"},
    {SG_BLK_OP_READ, 1, 0, BLK_TEST_CLIENT_DATA, SG_BLK_EINVAL, "offset at the data region's end"},
    {SG_BLK_OP_READ, 1, 0, ~0ull - 511, SG_BLK_EINVAL, "offset that wraps around"},
    {SG_BLK_OP_READ, 0xffffffffu, 0, 0, SG_BLK_EINVAL, "count 2^32-1"},
    {SG_BLK_OP_READ, 0, 0, 0, SG_BLK_EINVAL, "count 0"},
    {77, 1, 0, 0, SG_BLK_EINVAL, "unknown op 77"},
    {SG_BLK_OP_FLUSH, 0, 0, 0, SG_BLK_OK, "flush"},
    {SG_BLK_OP_READ, 1, 0, 0, SG_BLK_OK, "read sector 0 again"},
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static const char *const status_names[] = {"ok",           "io error",  "invalid",
                                           "out of range", "no device", "unsupported"};

static struct sg_blk_end blk;
static volatile uint8_t *data;
static unsigned me, step, failures, done;
static unsigned burst_sent, burst_got; // of the current burst phase
static uint32_t burst_seen;            // bit k: answer to burst request k

static const char *status_name(uint16_t s)
{
    return s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

// 64-byte lines naming the writer; the suite builds the same bytes.
static uint8_t pattern(unsigned i)
{
    static const char line[] = "blk test line from clientX, written through blk_virt and virtio\n";
    _Static_assert(sizeof(line) == 65, "64-byte lines");
    char c = line[i % 64];
    return (uint8_t)(c == 'X' ? '0' + me : c);
}

static void fail(const char *what)
{
    sg_printf("%s: FAIL: %s\n", microkit_name, what);
    failures++;
}

static void send(unsigned n)
{
    const struct step *s = &steps[n];
    if (s->op == SG_BLK_OP_WRITE && s->want == SG_BLK_OK)
        for (unsigned i = 0; i < s->count * SG_BLK_SECTOR; i++)
            data[WR_OFF + i] = pattern(i);
    if (s->op == SG_BLK_OP_READ && s->want == SG_BLK_OK)
        for (unsigned i = 0; i < s->count * SG_BLK_SECTOR; i++)
            data[s->offset + i] = 0;
    struct sg_blk_desc d = {
        .id = 1000 + n, .op = s->op, .count = s->count, .sector = s->sector, .offset = s->offset};
    if (!sg_blk_request(&blk, &d))
        fail("request ring full");
    microkit_notify(BLK_TEST_CH_BLK);
}

static void finish(void)
{
    sg_printf("%s: done, %u failures\n", microkit_name, failures);
    if (me == 0) {
        done |= 1;
        if (done == (1u << BLK_TEST_CLIENTS) - 1)
            sg_dbg_exit(failures ? 1 : 0);
    } else {
        microkit_notify(BLK_TEST_CH_DONE);
    }
}

void init(void)
{
    me = (unsigned)(microkit_name[6] - '0');
    blk = (struct sg_blk_end){(volatile struct sg_blk_queue *)blk_queue, 0, 0};
    data = (volatile uint8_t *)blk_data;
    send(0);
}

// Sector 0 of a FAT partition: boot signature and the volume label
// (FAT12/16 keep it at 43, FAT32 at 71, each after a 0x29 signature).
static void check_boot_sector(void)
{
    char label[12];
    unsigned at = data[38] == 0x29 ? 43 : data[66] == 0x29 ? 71 : 0;
    if (data[510] != 0x55 || data[511] != 0xaa || !at) {
        fail("sector 0 is not a FAT boot sector");
        return;
    }
    unsigned n = 0;
    for (; n < 11; n++)
        label[n] = (char)data[at + n];
    while (n && label[n - 1] == ' ')
        n--;
    label[n] = 0;
    sg_printf("%s: sector 0 is a FAT boot sector, label %s\n", microkit_name, label);
}

static void check_read_back(void)
{
    for (unsigned i = 0; i < 8 * SG_BLK_SECTOR; i++)
        if (data[RD_OFF + i] != pattern(i)) {
            fail("read-back differs from what was written");
            return;
        }
    sg_printf("%s: wrote 8 sectors at %u and read them back identical\n", microkit_name, WR_SECTOR);
}

static uint8_t burst_byte(uint64_t sector, unsigned i)
{
    return (uint8_t)(sector * 31 + i * 7 + (i >> 8) + me * 101);
}

// A whole ring of requests at once: op 2 (write) or 1 (read).  Answers
// may come back in any order; ids say which is which.
static void burst(uint16_t op)
{
    uint64_t len = (uint64_t)BLK_TEST_BURST_N * BLK_TEST_BURST_COUNT * SG_BLK_SECTOR;
    for (uint64_t i = 0; i < len; i++)
        data[i] = op == SG_BLK_OP_WRITE
                      ? burst_byte(BLK_TEST_BURST_SECTOR + i / SG_BLK_SECTOR, i % SG_BLK_SECTOR)
                      : 0;
    burst_got = burst_seen = 0;
    for (burst_sent = 0; burst_sent < BLK_TEST_BURST_N; burst_sent++) {
        uint32_t k = burst_sent;
        struct sg_blk_desc d = {.id = 2000 * op + k,
                                .op = op,
                                .count = BLK_TEST_BURST_COUNT,
                                .sector = BLK_TEST_BURST_SECTOR + k * BLK_TEST_BURST_COUNT,
                                .offset = (uint64_t)k * BLK_TEST_BURST_COUNT * SG_BLK_SECTOR};
        if (!sg_blk_request(&blk, &d)) {
            fail("burst: request ring full");
            break;
        }
    }
    microkit_notify(BLK_TEST_CH_BLK);
}

static void burst_response(const struct sg_blk_desc *r)
{
    uint16_t op = r->id >= 4000 ? SG_BLK_OP_WRITE : SG_BLK_OP_READ;
    uint32_t k = r->id - 2000 * op;
    if (r->id < 2000 || k >= BLK_TEST_BURST_N || (burst_seen & (1u << k)) || r->op != op) {
        fail("burst: unexpected or repeated answer");
        return;
    }
    burst_seen |= 1u << k;
    if (r->status != SG_BLK_OK)
        sg_printf("%s: FAIL: burst request %u -> %s\n", microkit_name, k, status_name(r->status));
    failures += r->status != SG_BLK_OK;
    if (++burst_got < burst_sent)
        return;
    if (op == SG_BLK_OP_WRITE) {
        burst(SG_BLK_OP_READ);
        return;
    }
    uint64_t len = (uint64_t)BLK_TEST_BURST_N * BLK_TEST_BURST_COUNT * SG_BLK_SECTOR;
    for (uint64_t i = 0; i < len; i++)
        if (data[i] != burst_byte(BLK_TEST_BURST_SECTOR + i / SG_BLK_SECTOR, i % SG_BLK_SECTOR)) {
            fail("burst: read-back differs from what was written");
            finish();
            return;
        }
    sg_printf("%s: burst of %u writes then %u reads of %u KiB at once: data identical\n",
              microkit_name, BLK_TEST_BURST_N, BLK_TEST_BURST_N,
              BLK_TEST_BURST_COUNT * SG_BLK_SECTOR / 1024);
    finish();
}

static void response(const struct sg_blk_desc *r)
{
    if (step >= NSTEPS) {
        burst_response(r);
        return;
    }
    const struct step *s = &steps[step];
    if (r->id != 1000 + step) {
        fail("response to a request not sent");
        return;
    }
    if (me == 2) { // refused: everything must fail with "no device"
        sg_printf("%s: %s -> %s\n", microkit_name, s->what, status_name(r->status));
        if (r->status != SG_BLK_ENODEV)
            fail("a refused client was served");
        // Now misbehave: claim 1000 requests in a 32-entry ring.  blk_virt
        // (higher priority, so at once) must drop us, not read garbage.
        blk.q->req_idx.tail = blk.own_req + 1000;
        microkit_notify(BLK_TEST_CH_BLK);
        finish();
        return;
    }
    if (r->status != s->want) {
        sg_printf("%s: FAIL: %s -> %s, want %s\n", microkit_name, s->what, status_name(r->status),
                  status_name(s->want));
        failures++;
    } else if (step == 0) {
        check_boot_sector();
    } else if (step == 2) {
        check_read_back();
    } else {
        sg_printf("%s: %s -> %s\n", microkit_name, s->what, status_name(r->status));
    }
    if (++step < NSTEPS)
        send(step);
    else
        burst(SG_BLK_OP_WRITE);
}

void notified(microkit_channel ch)
{
    if (ch == BLK_TEST_CH_BLK) {
        struct sg_blk_desc r;
        while (sg_blk_response(&blk, &r))
            response(&r);
    } else if (me == 0 && (ch == BLK_TEST_CH_DONE || ch == BLK_TEST_CH_DONE + 1)) {
        done |= 1u << (ch - BLK_TEST_CH_DONE + 1);
        if (done == (1u << BLK_TEST_CLIENTS) - 1)
            sg_dbg_exit(failures ? 1 : 0);
    }
}
