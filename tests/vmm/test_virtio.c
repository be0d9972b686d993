// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, under ASan and UBSan) of the VMM's virtio-mmio
// transport, split virtqueues and virtio-console: a well-behaved driver's
// sequence, and a hostile guest's rings and descriptors, which must fail
// that request or that queue and never touch memory outside guest RAM.
// Guest RAM is a heap block of exactly its size, so ASan catches any
// access past it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "console.h"
#include "virtio_mmio.h"
#include "virtq.h"

#define RAM_GPA  0x40000000ull
#define RAM_SIZE 0x10000ull
#define RING     64 // bytes of each serial ring

#define DESC  0x40001000ull
#define AVAIL 0x40002000ull
#define USED  0x40003000ull
#define BUF   0x40008000ull

static struct guest_mem mem;
static struct console con;
static struct sg_serial_queue txq, rxq;
static char txdata[RING], rxdata[RING];
static unsigned injected, kicks, warned;

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

static void kick(struct console *c)
{
    (void)c;
    kicks++;
}

static int setup(void **state)
{
    (void)state;
    mem.base = malloc(RAM_SIZE);
    assert_non_null(mem.base);
    memset(mem.base, 0, RAM_SIZE);
    mem.gpa = RAM_GPA;
    mem.size = RAM_SIZE;
    memset(&txq, 0, sizeof(txq));
    memset(&rxq, 0, sizeof(rxq));
    memset(&con, 0, sizeof(con));
    con.tx = (struct sg_serial_ring){.q = &txq, .data = txdata, .size = RING};
    con.rx = (struct sg_serial_ring){.q = &rxq, .data = rxdata, .size = RING};
    con.kick_tx = kick;
    con.dev.ops = &console_ops;
    con.dev.mem = &mem;
    con.dev.name = "console";
    con.dev.inject = inject;
    con.dev.warn = warn;
    con.dev.priv = &con;
    virtio_init(&con.dev);
    injected = kicks = warned = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mem.base);
    return 0;
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    virtio_mmio_access(&con.dev, off, 4, false, &v);
    return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
    uint64_t x = v;
    virtio_mmio_access(&con.dev, off, 4, true, &x);
}

static void *ram(uint64_t gpa)
{
    return mem.base + (gpa - RAM_GPA);
}

static struct virtq_desc *desc(unsigned i)
{
    return (struct virtq_desc *)ram(DESC) + i;
}

static struct virtq_avail *avail(void)
{
    return ram(AVAIL);
}

static struct virtq_used *used(void)
{
    return ram(USED);
}

// The Linux driver's sequence up to DRIVER_OK, with queue q at num entries.
static void driver_up(unsigned num)
{
    wr(0x070, 0);
    wr(0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(0x024, 1);
    wr(0x020, 1); // VERSION_1
    wr(0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    assert_true(rd(0x070) & VIRTIO_STATUS_FEATURES_OK);
    for (unsigned q = 0; q < 2; q++) {
        uint64_t off = q * 0x400; // the two queues' rings, apart
        wr(0x030, q);
        assert_int_equal(rd(0x044), 0);
        wr(0x038, num);
        wr(0x080, (uint32_t)(DESC + off));
        wr(0x084, 0);
        wr(0x090, (uint32_t)(AVAIL + off));
        wr(0x094, 0);
        wr(0x0a0, (uint32_t)(USED + off));
        wr(0x0a4, 0);
        wr(0x044, 1);
        assert_int_equal(rd(0x044), 1);
    }
    wr(0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
                  VIRTIO_STATUS_DRIVER_OK);
    assert_true(virtio_running(&con.dev));
}

// Offer descriptor chain `head` on queue q (its rings at the q offset).
static void offer(unsigned q, uint16_t head)
{
    struct virtq_avail *a = (struct virtq_avail *)((uint8_t *)avail() + q * 0x400);
    a->ring[a->idx % 8] = head;
    a->idx++;
}

static struct virtq_desc *qdesc(unsigned q, unsigned i)
{
    return (struct virtq_desc *)((uint8_t *)desc(0) + q * 0x400) + i;
}

static struct virtq_used *qused(unsigned q)
{
    return (struct virtq_used *)((uint8_t *)used() + q * 0x400);
}

static void test_identity(void **state)
{
    (void)state;
    assert_int_equal(rd(0x000), 0x74726976);
    assert_int_equal(rd(0x004), 2);
    assert_int_equal(rd(0x008), 3);
    wr(0x014, 0);
    assert_int_equal(rd(0x010), 0);
    wr(0x014, 1);
    assert_int_equal(rd(0x010), 1); // VIRTIO_F_VERSION_1 is bit 32
    wr(0x014, 7);
    assert_int_equal(rd(0x010), 0);
    wr(0x030, 0);
    assert_int_equal(rd(0x034), VIRTQ_NUM_MAX);
    wr(0x030, 2); // no third queue
    assert_int_equal(rd(0x034), 0);
    wr(0x044, 1); // ignored
    assert_int_equal(rd(0x044), 0);
    wr(0x0ac, 0);
    assert_int_equal(rd(0x0b0), 0xffffffffu); // no shared memory
    assert_int_equal(rd(0x0b4), 0xffffffffu);
    // Registers are 32-bit: a byte read is refused and reads zero.
    uint64_t v = 5;
    virtio_mmio_access(&con.dev, 0x000, 1, false, &v);
    assert_int_equal(v, 0);
    assert_true(warned > 0);
    // Config space reads as zero at any width, also past its end.
    virtio_mmio_access(&con.dev, 0x100, 2, false, &v);
    assert_int_equal(v, 0);
    virtio_mmio_access(&con.dev, 0x1fc, 4, false, &v);
    assert_int_equal(v, 0);
}

static void test_empty_transport(void **state)
{
    (void)state;
    con.dev.ops = &virtio_empty_ops;
    assert_int_equal(rd(0x000), 0x74726976);
    assert_int_equal(rd(0x004), 2);
    assert_int_equal(rd(0x008), 0);
    wr(0x030, 0);
    assert_int_equal(rd(0x034), 0);
    wr(0x044, 1);
    assert_int_equal(rd(0x044), 0);
    wr(0x050, 0); // nothing to notify
    uint64_t v = 1;
    virtio_mmio_access(&con.dev, 0x100, 4, false, &v);
    assert_int_equal(v, 0);
    assert_int_equal(injected, 0);
}

static void test_features(void **state)
{
    (void)state;
    wr(0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    // Without VERSION_1 (a legacy driver): FEATURES_OK does not stick.
    wr(0x024, 1);
    wr(0x020, 0);
    wr(0x070, 0x0b);
    assert_false(rd(0x070) & VIRTIO_STATUS_FEATURES_OK);
    // A feature the device did not offer: refused too.
    wr(0x020, 1 | 2);
    wr(0x070, 0x0b);
    assert_false(rd(0x070) & VIRTIO_STATUS_FEATURES_OK);
    wr(0x020, 1);
    wr(0x070, 0x0b);
    assert_true(rd(0x070) & VIRTIO_STATUS_FEATURES_OK);
    // Fixed once accepted.
    wr(0x020, 3);
    assert_int_equal(con.dev.drv_features, VIRTIO_F_VERSION_1);
    // Status 0 resets everything.
    wr(0x070, 0);
    assert_int_equal(rd(0x070), 0);
    assert_int_equal(con.dev.drv_features, 0);
}

static void test_bad_queue_setup(void **state)
{
    (void)state;
    static const struct {
        uint32_t num;
        uint64_t desc, avail, used;
    } bad[] = {
        {0, DESC, AVAIL, USED},                    // size 0
        {3, DESC, AVAIL, USED},                    // not a power of two
        {256, DESC, AVAIL, USED},                  // above QueueNumMax
        {8, DESC + 8, AVAIL, USED},                // misaligned table
        {8, DESC, AVAIL + 1, USED},                // misaligned driver area
        {8, DESC, AVAIL, USED + 2},                // misaligned device area
        {8, RAM_GPA + RAM_SIZE - 64, AVAIL, USED}, // table runs past RAM
        {8, DESC, 0x1000, USED},                   // below RAM
        {8, DESC, AVAIL, ~0ull & ~3ull},           // wraps
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(0);
        wr(0x070, 0x0b);
        wr(0x030, 0);
        wr(0x038, bad[i].num);
        wr(0x080, (uint32_t)bad[i].desc);
        wr(0x084, (uint32_t)(bad[i].desc >> 32));
        wr(0x090, (uint32_t)bad[i].avail);
        wr(0x094, (uint32_t)(bad[i].avail >> 32));
        wr(0x0a0, (uint32_t)bad[i].used);
        wr(0x0a4, (uint32_t)(bad[i].used >> 32));
        wr(0x044, 1);
        assert_int_equal(rd(0x044), 0);
        assert_true(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET);
        assert_int_equal(rd(0x060), VIRTIO_INT_CONFIG);
        assert_int_equal(injected, 1);
        // The driver cannot clear NEEDS_RESET except by a reset.
        wr(0x070, 0x0f);
        assert_true(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET);
        assert_false(virtio_running(&con.dev));
        wr(0x070, 0);
        assert_int_equal(rd(0x070), 0);
        teardown(0);
    }
}

static void test_transmit(void **state)
{
    (void)state;
    driver_up(8);
    memcpy(ram(BUF), "hello", 5);
    *qdesc(1, 0) =
        (struct virtq_desc){.addr = BUF, .len = 3, .flags = VIRTQ_DESC_F_NEXT, .next = 5};
    *qdesc(1, 5) = (struct virtq_desc){.addr = BUF + 3, .len = 2};
    offer(1, 0);
    wr(0x050, 1);
    assert_int_equal(txq.tail, 5);
    assert_memory_equal(txdata, "hello", 5);
    assert_int_equal(qused(1)->idx, 1);
    assert_int_equal(qused(1)->ring[0].id, 0);
    assert_true(kicks >= 1);
    // Level-like interrupt: one injection while InterruptStatus is up.
    assert_int_equal(injected, 1);
    assert_int_equal(rd(0x060), VIRTIO_INT_VRING);
    offer(1, 5);
    wr(0x050, 1);
    assert_int_equal(injected, 1);
    wr(0x064, VIRTIO_INT_VRING);
    assert_int_equal(rd(0x060), 0);
    offer(1, 5);
    wr(0x050, 1);
    assert_int_equal(injected, 2);
    // A driver that asked for no interrupts gets none.
    wr(0x064, VIRTIO_INT_VRING);
    ((struct virtq_avail *)((uint8_t *)avail() + 0x400))->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
    offer(1, 5);
    wr(0x050, 1);
    assert_int_equal(injected, 2);
    assert_int_equal(qused(1)->idx, 4);
}

static void test_transmit_full_ring(void **state)
{
    (void)state;
    driver_up(8);
    // More than the ring holds, and nobody drains it: the rest is dropped,
    // the request still completes.
    memset(ram(BUF), 'x', 200);
    *qdesc(1, 0) = (struct virtq_desc){.addr = BUF, .len = 200};
    offer(1, 0);
    wr(0x050, 1);
    assert_int_equal(txq.tail, RING);
    assert_int_equal(con.dropped, 200 - RING);
    assert_int_equal(qused(1)->idx, 1);
}

static void put_rx(const char *s)
{
    for (; *s; s++)
        assert_true(sg_serial_put(&con.rx, *s));
}

static void test_receive(void **state)
{
    (void)state;
    driver_up(8);
    put_rx("abcdef");
    console_rx(&con); // no buffer yet: the bytes wait
    assert_int_equal(qused(0)->idx, 0);
    assert_int_equal(rxq.head, 0);
    *qdesc(0, 2) = (struct virtq_desc){.addr = BUF, .len = 4, .flags = VIRTQ_DESC_F_WRITE};
    *qdesc(0, 3) = (struct virtq_desc){.addr = BUF + 100, .len = 64, .flags = VIRTQ_DESC_F_WRITE};
    offer(0, 2);
    wr(0x050, 0); // new buffer: the waiting bytes go in at once
    assert_int_equal(qused(0)->idx, 1);
    assert_int_equal(qused(0)->ring[0].id, 2);
    assert_int_equal(qused(0)->ring[0].len, 4);
    assert_memory_equal(ram(BUF), "abcd", 4);
    assert_int_equal(injected, 1);
    offer(0, 3);
    console_rx(&con);
    assert_int_equal(qused(0)->ring[1].len, 2);
    assert_memory_equal(ram(BUF + 100), "ef", 2);
    assert_true(sg_serial_empty(&con.rx));
}

static void test_receive_before_driver_ok(void **state)
{
    (void)state;
    put_rx("x");
    console_rx(&con);
    assert_int_equal(rxq.head, 0);
    assert_int_equal(injected, 0);
}

// Chains a hostile driver may build: each fails that one request (used
// with length 0), the queue goes on, and nothing outside RAM is touched.
static void test_bad_descriptors(void **state)
{
    (void)state;
    static const struct virtq_desc bad[][2] = {
        {{.addr = RAM_GPA + RAM_SIZE - 2, .len = 4}},                      // runs past RAM
        {{.addr = 0x1000, .len = 1}},                                      // below RAM
        {{.addr = ~0ull - 1, .len = 4}},                                   // wraps
        {{.addr = BUF, .len = 0xffffffff}},                                // huge
        {{.addr = BUF, .len = 1, .flags = VIRTQ_DESC_F_INDIRECT}},         // not negotiated
        {{.addr = BUF, .len = 1, .flags = VIRTQ_DESC_F_NEXT, .next = 0}},  // loop
        {{.addr = BUF, .len = 1, .flags = VIRTQ_DESC_F_NEXT, .next = 99}}, // out of table
        {{.addr = BUF, .len = 1, .flags = VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, .next = 1},
         {.addr = BUF, .len = 1}}, // readable after writable
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(0);
        driver_up(8);
        *qdesc(1, 0) = bad[i][0];
        *qdesc(1, 1) = bad[i][1];
        *qdesc(1, 2) = (struct virtq_desc){.addr = BUF, .len = 2};
        memcpy(ram(BUF), "ok", 2);
        offer(1, 0);
        offer(1, 2); // a good request after the bad one still goes through
        wr(0x050, 1);
        assert_int_equal(qused(1)->idx, 2);
        assert_int_equal(qused(1)->ring[0].id, 0);
        assert_int_equal(qused(1)->ring[0].len, 0);
        assert_true(warned > 0);
        assert_int_equal(txq.tail, 2);
        assert_memory_equal(txdata, "ok", 2);
        assert_true(virtio_running(&con.dev));
        teardown(0);
    }
}

// A malformed ring (not one request): the queue stops, NEEDS_RESET is set
// and the driver gets a config interrupt.
static void test_bad_ring(void **state)
{
    (void)state;
    driver_up(8);
    avail()->idx = 9; // nine new entries in an eight-entry queue (rx)
    put_rx("z");
    console_rx(&con);
    assert_true(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET);
    assert_true(rd(0x060) & VIRTIO_INT_CONFIG);
    assert_int_equal(qused(0)->idx, 0);
    // The other queue: a head beyond the table.
    teardown(0);
    setup(0);
    driver_up(8);
    offer(1, 8);
    wr(0x050, 1);
    assert_true(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(qused(1)->idx, 0);
    wr(0x050, 1); // no further processing
    assert_int_equal(qused(1)->idx, 0);
}

// Random garbage everywhere the guest controls, random register writes:
// under ASan, nothing may be touched outside RAM, and nothing may crash.
static void test_random_guest(void **state)
{
    (void)state;
    srand(12345);
    for (unsigned round = 0; round < 2000; round++) {
        driver_up(1u << (rand() % 4));
        uint8_t *rings = ram(DESC);
        for (unsigned i = 0; i < 0x3000; i++)
            if (rand() % 4 == 0)
                rings[i] = (uint8_t)rand();
        // Some descriptors point near the ends of RAM.
        for (unsigned i = 0; i < 8; i++) {
            struct virtq_desc *d = qdesc(rand() % 2, i);
            if (rand() % 2)
                d->addr = RAM_GPA + RAM_SIZE - (uint64_t)(rand() % 64);
            d->len = rand() % 2 ? (uint32_t)(rand() % 128) : d->len;
            d->next %= 16;
        }
        for (unsigned k = 0; k < 8; k++) {
            for (const char *p = "0123456789"; *p; p++)
                sg_serial_put(&con.rx, *p); // a full ring drops, as virt_rx's would
            wr(0x050, (uint32_t)(rand() % 3));
            console_rx(&con);
            if (rand() % 8 == 0)
                wr((uint64_t)(rand() % 0x100) & ~3ull, (uint32_t)rand());
            wr(0x064, 3);
            while (sg_serial_get(&con.tx, &(char){0}))
                ;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_transport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_features, setup, teardown),
        cmocka_unit_test(test_bad_queue_setup),
        cmocka_unit_test_setup_teardown(test_transmit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transmit_full_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_before_driver_ok, setup, teardown),
        cmocka_unit_test(test_bad_descriptors),
        cmocka_unit_test_setup_teardown(test_bad_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_guest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
