// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, ASan, UBSan) of the VMM's virtio-blk device against
// a fake blk_virt serving a RAM disk over the real block queue format:
// reads and writes whatever the chain layout, requests checked before they
// are sent, a full data region waiting for answers, a reset with requests
// in flight, and a hostile driver's random chains.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"

#define RAM_GPA   0x40000000ull
#define RAM_SIZE  0x40000ull
#define DISK_SECS 256 // 128 KiB partition
#define DATA_SIZE (4 * BLK_SLOT_SIZE)

#define DESC  0x40001000ull
#define AVAIL 0x40002000ull
#define USED  0x40003000ull
#define BUF   0x40010000ull

static struct guest_mem mem;
static struct blk b;
static struct sg_blk_queue *queue;
static uint8_t *data, disk[DISK_SECS * 512];
static unsigned injected, kicks, warned, flushes;
static struct sg_blk_end srv;

static void inject(struct virtio_dev *d)
{
    (void)d;
    injected++;
}

static void warn(struct virtio_dev *d, const char *what, uint64_t v)
{
    (void)d;
    (void)what;
    (void)v;
    warned++;
}

static void kick(struct blk *x)
{
    (void)x;
    kicks++;
}

static int setup(void **state)
{
    (void)state;
    mem.base = calloc(1, RAM_SIZE);
    queue = calloc(1, sizeof(*queue));
    data = calloc(1, DATA_SIZE);
    assert_non_null(mem.base);
    mem.gpa = RAM_GPA;
    mem.size = RAM_SIZE;
    memset(&b, 0, sizeof(b));
    for (unsigned i = 0; i < sizeof(disk); i++)
        disk[i] = (uint8_t)(i * 7 + i / 512);
    assert_true(blk_setup(&b, queue, sizeof(*queue), data, DATA_SIZE, sizeof(disk)));
    b.kick = kick;
    b.dev.ops = &blk_ops;
    b.dev.mem = &mem;
    b.dev.name = "block";
    b.dev.inject = inject;
    b.dev.warn = warn;
    b.dev.priv = &b;
    virtio_init(&b.dev);
    srv = (struct sg_blk_end){.q = queue};
    injected = kicks = warned = flushes = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mem.base);
    free(queue);
    free(data);
    return 0;
}

// The fake blk_virt: answers every waiting request from the RAM disk,
// checking what the real one checks.
static unsigned serve(void)
{
    unsigned n = 0;
    while (sg_blk_pending(&srv) > 0) {
        struct sg_blk_desc d;
        sg_blk_take(&srv, &d);
        d.status = SG_BLK_OK;
        if (d.op == SG_BLK_OP_FLUSH) {
            flushes++;
        } else if (!sg_blk_data_ok(d.offset, d.count, DATA_SIZE) ||
                   !sg_blk_range_ok(d.sector, d.count, DISK_SECS)) {
            d.status = SG_BLK_ERANGE;
        } else if (d.op == SG_BLK_OP_READ) {
            memcpy(data + d.offset, disk + d.sector * 512, d.count * 512);
        } else {
            memcpy(disk + d.sector * 512, data + d.offset, d.count * 512);
        }
        assert_true(sg_blk_resp_room(&srv) > 0);
        sg_blk_respond(&srv, &d);
        n++;
    }
    return n;
}

static void *ram(uint64_t gpa)
{
    return mem.base + (gpa - RAM_GPA);
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;
    virtio_mmio_access(&b.dev, off, 4, false, &v);
    return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
    uint64_t x = v;
    virtio_mmio_access(&b.dev, off, 4, true, &x);
}

static void driver_up(void)
{
    wr(0x070, 0);
    wr(0x070, 3);
    wr(0x024, 1);
    wr(0x020, 1);
    wr(0x024, 0);
    wr(0x020, (1u << 1) | (1u << 2) | (1u << 9));
    wr(0x070, 0x0b);
    assert_true(rd(0x070) & 8);
    wr(0x030, 0);
    wr(0x038, 16);
    wr(0x080, (uint32_t)DESC);
    wr(0x090, (uint32_t)AVAIL);
    wr(0x0a0, (uint32_t)USED);
    wr(0x044, 1);
    wr(0x070, 0x0f);
    assert_true(virtio_running(&b.dev));
}

static struct virtq_desc *desc(unsigned i)
{
    return (struct virtq_desc *)ram(DESC) + i;
}

static struct virtq_used *used(void)
{
    return ram(USED);
}

static void offer(uint16_t head)
{
    struct virtq_avail *a = ram(AVAIL);
    a->ring[a->idx % 16] = head;
    a->idx++;
}

// A request in the usual layout: header at h, data at buf, status at s.
static void request(unsigned first, uint32_t type, uint64_t sector, uint64_t buf, uint32_t len,
                    uint64_t s)
{
    uint64_t h = BUF + 0x8000 + first * 16;
    uint8_t *hp = ram(h);
    memset(hp, 0, 16);
    memcpy(hp, &type, 4);
    memcpy(hp + 8, &sector, 8);
    *desc(first) = (struct virtq_desc){
        .addr = h, .len = 16, .flags = VIRTQ_DESC_F_NEXT, .next = (uint16_t)(first + 1)};
    uint16_t wr_data = type == 0 ? VIRTQ_DESC_F_WRITE : 0;
    if (len) {
        *desc(first + 1) = (struct virtq_desc){.addr = buf,
                                               .len = len,
                                               .flags = VIRTQ_DESC_F_NEXT | wr_data,
                                               .next = (uint16_t)(first + 2)};
        *desc(first + 2) = (struct virtq_desc){.addr = s, .len = 1, .flags = VIRTQ_DESC_F_WRITE};
    } else {
        *desc(first + 1) = (struct virtq_desc){.addr = s, .len = 1, .flags = VIRTQ_DESC_F_WRITE};
    }
    offer((uint16_t)first);
}

static uint8_t *st(unsigned i)
{
    return ram(BUF + 0xf000 + i);
}

static void test_config(void **state)
{
    (void)state;
    assert_int_equal(rd(0x008), 2);
    wr(0x014, 0);
    assert_int_equal(rd(0x010), (1u << 1) | (1u << 2) | (1u << 9));
    assert_int_equal(rd(0x100), DISK_SECS); // capacity, low half
    assert_int_equal(rd(0x104), 0);
    assert_int_equal(rd(0x108), BLK_SIZE_MAX);
    assert_int_equal(rd(0x10c), BLK_SEG_MAX);
    uint64_t v = 0;
    virtio_mmio_access(&b.dev, 0x100, 8, false, &v);
    assert_int_equal(v, DISK_SECS);
    virtio_mmio_access(&b.dev, 0x110, 4, false, &v); // past the config
    assert_int_equal(v, 0);
}

static void test_read_write(void **state)
{
    (void)state;
    driver_up();
    *st(0) = 0xff;
    request(0, 0, 3, BUF, 1024, BUF + 0xf000); // read sectors 3, 4
    wr(0x050, 0);
    assert_int_equal(kicks, 1);
    assert_int_equal(used()->idx, 0); // waiting for blk_virt
    assert_int_equal(serve(), 1);
    blk_responses(&b);
    assert_int_equal(used()->idx, 1);
    assert_int_equal(used()->ring[0].len, 1025);
    assert_int_equal(*st(0), 0);
    assert_memory_equal(ram(BUF), disk + 3 * 512, 1024);
    assert_int_equal(injected, 1);
    // Write sector 10 from a pattern, read it back.
    memset(ram(BUF + 0x2000), 0xab, 512);
    request(3, 1, 10, BUF + 0x2000, 512, BUF + 0xf001);
    wr(0x050, 0);
    serve();
    blk_responses(&b);
    assert_int_equal(*st(1), 0);
    assert_int_equal(used()->ring[1].len, 1);
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(disk[10 * 512 + i], 0xab);
    // Flush.
    request(6, 4, 0, 0, 0, BUF + 0xf002);
    wr(0x050, 0);
    serve();
    blk_responses(&b);
    assert_int_equal(flushes, 1);
    assert_int_equal(*st(2), 0);
    assert_int_equal(used()->idx, 3);
}

// Header and data split and merged across descriptors at odd places.
static void test_any_layout(void **state)
{
    (void)state;
    driver_up();
    uint8_t *h = ram(BUF + 0x9000);
    uint32_t type = 1;
    uint64_t sector = 7;
    memset(h, 0, 16);
    memcpy(h, &type, 4);
    memcpy(h + 8, &sector, 8);
    uint8_t *p = ram(BUF + 0x9010); // data right after the header
    for (unsigned i = 0; i < 512; i++)
        p[i] = (uint8_t)(i ^ 0x5a);
    // 5 bytes of header; 11 + 100 bytes; the remaining 412 bytes.
    *desc(0) = (struct virtq_desc){.addr = BUF + 0x9000, .len = 5, .flags = 1, .next = 1};
    *desc(1) = (struct virtq_desc){.addr = BUF + 0x9005, .len = 111, .flags = 1, .next = 2};
    *desc(2) = (struct virtq_desc){.addr = BUF + 0x9074, .len = 412, .flags = 1, .next = 3};
    *desc(3) = (struct virtq_desc){.addr = BUF + 0xf000, .len = 1, .flags = 2};
    offer(0);
    wr(0x050, 0);
    serve();
    blk_responses(&b);
    assert_int_equal(*st(0), 0);
    assert_memory_equal(disk + 7 * 512, p, 512);
    // Read it back with the status byte at the end of the data buffer.
    type = 0;
    memcpy(h, &type, 4);
    *desc(4) = (struct virtq_desc){.addr = BUF + 0x9000, .len = 16, .flags = 1, .next = 5};
    *desc(5) = (struct virtq_desc){.addr = BUF + 0xa000, .len = 300, .flags = 3, .next = 6};
    *desc(6) = (struct virtq_desc){.addr = BUF + 0xb000, .len = 213, .flags = 2};
    offer(4);
    wr(0x050, 0);
    serve();
    blk_responses(&b);
    assert_memory_equal(ram(BUF + 0xa000), p, 300);
    assert_memory_equal(ram(BUF + 0xb000), p + 300, 212);
    assert_int_equal(*(uint8_t *)ram(BUF + 0xb000 + 212), 0);
    assert_int_equal(used()->ring[1].len, 513);
}

// Requests refused before anything is sent: IOERR or UNSUPP, at once.
static void test_refused(void **state)
{
    (void)state;
    driver_up();
    request(0, 0, 0, BUF, 100, BUF + 0xf000);                 // not whole sectors
    request(3, 0, DISK_SECS - 1, BUF, 1024, BUF + 0xf001);    // past the end
    request(6, 0, ~0ull, BUF, 512, BUF + 0xf002);             // wraps
    request(9, 1, 0, BUF, BLK_SLOT_SIZE + 512, BUF + 0xf003); // too big
    request(12, 8, 0, BUF, 20, BUF + 0xf004);                 // GET_ID: unsupported
    wr(0x050, 0);
    assert_int_equal(kicks, 0);
    assert_int_equal(used()->idx, 5);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(*st(i), 1);
    assert_int_equal(*st(4), 2);
    assert_int_equal(sg_blk_pending(&srv), 0);
    // No header, or no status byte: failed with length 0.
    *desc(0) = (struct virtq_desc){.addr = BUF, .len = 8, .flags = 1, .next = 1};
    *desc(1) = (struct virtq_desc){.addr = BUF + 0xf000, .len = 1, .flags = 2};
    offer(0);
    *desc(2) = (struct virtq_desc){.addr = BUF, .len = 16};
    offer(2);
    *desc(3) = (struct virtq_desc){.addr = RAM_GPA + RAM_SIZE - 8, .len = 16}; // outside RAM
    offer(3);
    wr(0x050, 0);
    assert_int_equal(used()->idx, 8);
    assert_int_equal(used()->ring[5].len, 0);
    assert_int_equal(used()->ring[6].len, 0);
    assert_int_equal(used()->ring[7].len, 0);
    assert_true(warned >= 3);
}

// More requests than slots: the rest wait in the queue until answers.
static void test_backpressure(void **state)
{
    (void)state;
    driver_up();
    assert_int_equal(b.nslots, 4);
    for (unsigned i = 0; i < 5; i++)
        request(i * 3, 0, i, BUF + i * 0x1000, 512, BUF + 0xf000 + i);
    wr(0x050, 0);
    assert_int_equal(sg_blk_pending(&srv), 4);
    assert_int_equal(serve(), 4);
    blk_responses(&b); // four done, the fifth sent
    assert_int_equal(used()->idx, 4);
    assert_int_equal(serve(), 1);
    blk_responses(&b);
    assert_int_equal(used()->idx, 5);
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(*st(i), 0);
        assert_memory_equal(ram(BUF + i * 0x1000), disk + i * 512, 512);
    }
}

// A reset with requests in flight: their answers go nowhere, the slots
// come back, and the next driver starts clean.
static void test_reset_in_flight(void **state)
{
    (void)state;
    driver_up();
    request(0, 0, 1, BUF, 512, BUF + 0xf000);
    wr(0x050, 0);
    memset(ram(AVAIL), 0, 0x100); // the new driver's rings start empty
    memset(ram(USED), 0, 0x100);
    driver_up();
    serve();
    blk_responses(&b);
    assert_int_equal(used()->idx, 0);
    for (unsigned i = 0; i < b.nslots; i++)
        assert_false(b.req[i].busy);
    // blk_virt answering something never asked: ignored.
    struct sg_blk_desc d = {.id = 3, .op = SG_BLK_OP_READ, .count = 1};
    sg_blk_respond(&srv, &d);
    blk_responses(&b);
    assert_int_equal(used()->idx, 0);
    assert_true(warned > 0);
}

static void test_random_guest(void **state)
{
    (void)state;
    srand(4242);
    for (unsigned round = 0; round < 3000; round++) {
        driver_up();
        for (unsigned i = 0; i < 16; i++) {
            struct virtq_desc *d = desc(i);
            d->addr = rand() % 8 ? BUF + (uint64_t)(rand() % 0x10000)
                                 : RAM_GPA + RAM_SIZE - (uint64_t)(rand() % 600);
            d->len = rand() % 4 ? (uint32_t)(rand() % 1100) : (uint32_t)rand();
            d->flags = (uint16_t)(rand() % 8);
            d->next = (uint16_t)(rand() % 20);
        }
        for (unsigned i = 0; i < 64; i += 4) {
            uint8_t *h = ram(BUF + (uint64_t)(rand() % 0x10000) / 16 * 16);
            h[0] = (uint8_t)(rand() % 10);
            memset(h + 4, 0, 12);
            h[8] = (uint8_t)(rand() % 300);
        }
        unsigned n = 1 + (unsigned)rand() % 8;
        for (unsigned i = 0; i < n; i++)
            offer((uint16_t)(rand() % 18));
        wr(0x050, 0);
        for (unsigned k = 0; k < 4; k++) {
            serve();
            blk_responses(&b);
        }
        if (rand() % 4 == 0)
            wr(0x070, 0);
        serve();
        blk_responses(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backpressure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_guest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
