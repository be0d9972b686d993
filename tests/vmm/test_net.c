// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, ASan, UBSan) of the VMM's virtio-net device against
// a fake copier and a fake net_virt_tx on the real net queue format:
// frames both ways in any layout, guest buffers too small, buffers the
// copier refused, a tx pool that runs out and comes back, frames of bad
// length, and a hostile driver's random chains.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net.h"

#define RAM_GPA  0x40000000ull
#define RAM_SIZE 0x40000ull
#define RX_SIZE  (8 * SG_NET_BUF_SIZE)
#define TX_SIZE  (4 * SG_NET_BUF_SIZE)

#define DESC  0x40001000ull
#define AVAIL 0x40002000ull
#define USED  0x40003000ull
#define BUF   0x40010000ull

static const uint8_t MAC[6] = {0x52, 0x54, 0x01, 0, 0, 0x10};
static struct guest_mem mem;
static struct net n;
static struct sg_net_queue *rxq, *txq;
static uint8_t *rxdata, *txdata;
static unsigned injected, kicks_rx, kicks_tx, warned;
// The peers' ends: the copier produces rx active and consumes rx free;
// net_virt_tx consumes tx active and produces tx free.
static struct sg_net_ring cp_active, cp_free, vt_active, vt_free;

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

static void kick_rx(struct net *x)
{
    (void)x;
    kicks_rx++;
}

static void kick_tx(struct net *x)
{
    (void)x;
    kicks_tx++;
}

static int setup(void **state)
{
    (void)state;
    mem.base = calloc(1, RAM_SIZE);
    rxq = calloc(1, sizeof(*rxq));
    txq = calloc(1, sizeof(*txq));
    rxdata = calloc(1, RX_SIZE);
    txdata = calloc(1, TX_SIZE);
    mem.gpa = RAM_GPA;
    mem.size = RAM_SIZE;
    memset(&n, 0, sizeof(n));
    assert_true(
        net_setup(&n, rxq, sizeof(*rxq), rxdata, RX_SIZE, txq, sizeof(*txq), txdata, TX_SIZE, MAC));
    n.kick_rx = kick_rx;
    n.kick_tx = kick_tx;
    n.dev.ops = &net_ops;
    n.dev.mem = &mem;
    n.dev.name = "net";
    n.dev.inject = inject;
    n.dev.warn = warn;
    n.dev.priv = &n;
    virtio_init(&n.dev);
    cp_active = sg_net_ring(rxq, true);
    cp_free = sg_net_ring(rxq, false);
    vt_active = sg_net_ring(txq, true);
    vt_free = sg_net_ring(txq, false);
    injected = kicks_rx = kicks_tx = warned = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mem.base);
    free(rxq);
    free(txq);
    free(rxdata);
    free(txdata);
    return 0;
}

static void *ram(uint64_t gpa)
{
    return mem.base + (gpa - RAM_GPA);
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;
    virtio_mmio_access(&n.dev, off, 4, false, &v);
    return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
    uint64_t x = v;
    virtio_mmio_access(&n.dev, off, 4, true, &x);
}

// Queue q's rings sit 0x400 apart.
static struct virtq_desc *desc(unsigned q, unsigned i)
{
    return (struct virtq_desc *)ram(DESC + q * 0x400) + i;
}

static struct virtq_used *used(unsigned q)
{
    return ram(USED + q * 0x400);
}

static void offer(unsigned q, uint16_t head)
{
    struct virtq_avail *a = ram(AVAIL + q * 0x400);
    a->ring[a->idx % 16] = head;
    a->idx++;
}

static void driver_up(void)
{
    wr(0x070, 0);
    wr(0x070, 3);
    wr(0x024, 1);
    wr(0x020, 1);
    wr(0x024, 0);
    wr(0x020, 1u << 5);
    wr(0x070, 0x0b);
    assert_true(rd(0x070) & 8);
    for (unsigned q = 0; q < 2; q++) {
        wr(0x030, q);
        wr(0x038, 16);
        wr(0x080, (uint32_t)(DESC + q * 0x400));
        wr(0x090, (uint32_t)(AVAIL + q * 0x400));
        wr(0x0a0, (uint32_t)(USED + q * 0x400));
        wr(0x044, 1);
    }
    wr(0x070, 0x0f);
    assert_true(virtio_running(&n.dev));
}

// The copier puts a frame of `len` bytes (pattern `seed`) in the next
// buffer the VMM lent it.
static void copier_frame(uint16_t len, uint8_t seed, uint16_t status)
{
    struct sg_net_desc b;
    assert_true(sg_net_pending(&cp_free) > 0);
    sg_net_take(&cp_free, &b);
    assert_int_equal(b.len, SG_NET_BUF_SIZE);
    for (unsigned i = 0; i < len; i++)
        rxdata[b.offset + i] = (uint8_t)(seed + i);
    struct sg_net_desc f = {.offset = b.offset, .len = len, .status = status};
    assert_true(sg_net_put(&cp_active, &f));
}

static void test_setup_and_config(void **state)
{
    (void)state;
    assert_int_equal(sg_net_pending(&cp_free), 8); // every rx buffer lent
    assert_int_equal(rd(0x008), 1);
    wr(0x014, 0);
    assert_int_equal(rd(0x010), 1u << 5);
    uint64_t v = 0;
    virtio_mmio_access(&n.dev, 0x100, 4, false, &v);
    assert_int_equal(v, 0x00015452);
    virtio_mmio_access(&n.dev, 0x104, 2, false, &v);
    assert_int_equal(v, 0x1000);
    virtio_mmio_access(&n.dev, 0x106, 2, false, &v); // past the MAC
    assert_int_equal(v, 0);
}

static void test_receive(void **state)
{
    (void)state;
    driver_up();
    copier_frame(60, 1, 0);
    net_rx(&n); // no guest buffer yet: the frame waits on the ring
    assert_int_equal(used(0)->idx, 0);
    assert_int_equal(rxq->active_idx.tail - rxq->active_idx.head, 1); // still waiting
    // A chain split header/frame at an odd place: 5 + 2000 bytes.
    *desc(0, 0) = (struct virtq_desc){.addr = BUF, .len = 5, .flags = 3, .next = 1};
    *desc(0, 1) = (struct virtq_desc){.addr = BUF + 0x100, .len = 2000, .flags = 2};
    offer(0, 0);
    wr(0x050, 0);
    assert_int_equal(used(0)->idx, 1);
    assert_int_equal(used(0)->ring[0].len, NET_HDR_LEN + 60);
    uint8_t *h = ram(BUF);
    assert_int_equal(h[0], 0);
    uint8_t *rest = ram(BUF + 0x100);
    assert_int_equal(rest[10 - 5], 1); // num_buffers = 1
    for (unsigned i = 0; i < 60; i++)
        assert_int_equal(rest[NET_HDR_LEN - 5 + i], (uint8_t)(1 + i));
    assert_int_equal(sg_net_pending(&cp_free), 8); // the buffer came back
    assert_true(kicks_rx >= 1);
    assert_int_equal(injected, 1);
}

static void test_receive_bad(void **state)
{
    (void)state;
    driver_up();
    *desc(0, 0) = (struct virtq_desc){.addr = BUF, .len = 40, .flags = 2}; // too small
    *desc(0, 1) = (struct virtq_desc){.addr = BUF + 0x1000, .len = 1600, .flags = 2};
    offer(0, 0);
    offer(0, 1);
    copier_frame(0, 0, SG_NET_EINVAL); // a buffer the copier refused
    copier_frame(100, 7, 0);           // does not fit the first chain: dropped
    copier_frame(64, 9, 0);            // goes to the second chain
    net_rx(&n);
    assert_int_equal(used(0)->idx, 2);
    assert_int_equal(used(0)->ring[0].len, 0);
    assert_int_equal(used(0)->ring[1].len, NET_HDR_LEN + 64);
    assert_int_equal(n.rx_dropped, 1);
    assert_int_equal(sg_net_pending(&cp_free), 8);
    // A copier that runs its tail too far: nothing is read.
    rxq->active_idx.tail += 1000;
    offer(0, 1);
    net_rx(&n);
    assert_int_equal(used(0)->idx, 2);
}

static void test_transmit(void **state)
{
    (void)state;
    driver_up();
    uint8_t *f = ram(BUF);
    memset(f, 0, NET_HDR_LEN);
    for (unsigned i = 0; i < 100; i++)
        f[NET_HDR_LEN + i] = (uint8_t)i;
    // Header and frame in one buffer, then split differently.
    *desc(1, 0) = (struct virtq_desc){.addr = BUF, .len = NET_HDR_LEN + 100};
    *desc(1, 1) = (struct virtq_desc){.addr = BUF, .len = 20, .flags = 1, .next = 2};
    *desc(1, 2) = (struct virtq_desc){.addr = BUF + 20, .len = NET_HDR_LEN + 80};
    offer(1, 0);
    offer(1, 1);
    wr(0x050, 1);
    assert_int_equal(used(1)->idx, 2);
    assert_int_equal(kicks_tx, 1);
    struct sg_net_desc a, b;
    assert_int_equal(sg_net_pending(&vt_active), 2);
    sg_net_take(&vt_active, &a);
    sg_net_take(&vt_active, &b);
    assert_int_equal(a.len, 100);
    assert_int_equal(b.len, 100);
    assert_memory_equal(txdata + a.offset, f + NET_HDR_LEN, 100);
    assert_memory_equal(txdata + b.offset, f + NET_HDR_LEN, 100);
    assert_int_not_equal(a.offset, b.offset);
    // Fill the pool (4 buffers): the fifth frame waits for an answer.
    for (unsigned i = 0; i < 3; i++)
        offer(1, 0);
    wr(0x050, 1);
    assert_int_equal(used(1)->idx, 4);
    assert_int_equal(sg_net_pending(&vt_active), 2);
    struct sg_net_desc ans = {.offset = a.offset, .len = 0, .status = 0};
    sg_net_put(&vt_free, &ans);
    ans.offset = 12345; // not a pool buffer: ignored
    sg_net_put(&vt_free, &ans);
    net_tx(&n);
    assert_int_equal(used(1)->idx, 5);
    // Refused by net_virt_tx (source MAC): counted.
    ans = (struct sg_net_desc){.offset = b.offset, .status = SG_NET_EPERM};
    sg_net_put(&vt_free, &ans);
    net_tx(&n);
    assert_int_equal(n.tx_errors, 1);
}

static void test_transmit_bad(void **state)
{
    (void)state;
    driver_up();
    *desc(1, 0) = (struct virtq_desc){.addr = BUF, .len = NET_HDR_LEN + 13};   // short
    *desc(1, 1) = (struct virtq_desc){.addr = BUF, .len = NET_HDR_LEN + 1519}; // long
    *desc(1, 2) = (struct virtq_desc){.addr = BUF, .len = 8};                  // no header
    *desc(1, 3) = (struct virtq_desc){.addr = RAM_GPA + RAM_SIZE - 4, .len = 100};
    *desc(1, 4) = (struct virtq_desc){.addr = BUF, .len = 40, .flags = 2}; // device-writable
    for (uint16_t i = 0; i < 5; i++)
        offer(1, i);
    wr(0x050, 1);
    assert_int_equal(used(1)->idx, 5);
    assert_int_equal(sg_net_pending(&vt_active), 0);
    assert_int_equal(n.tx_errors, 5);
    assert_int_equal(kicks_tx, 0);
}

static void test_random_guest(void **state)
{
    (void)state;
    srand(777);
    for (unsigned round = 0; round < 3000; round++) {
        driver_up();
        for (unsigned q = 0; q < 2; q++)
            for (unsigned i = 0; i < 16; i++) {
                struct virtq_desc *d = desc(q, i);
                d->addr = rand() % 8 ? BUF + (uint64_t)(rand() % 0x8000)
                                     : RAM_GPA + RAM_SIZE - (uint64_t)(rand() % 2000);
                d->len = rand() % 4 ? (uint32_t)(rand() % 2100) : (uint32_t)rand();
                d->flags = (uint16_t)(rand() % 8);
                d->next = (uint16_t)(rand() % 20);
            }
        for (unsigned i = 0; i < 6; i++)
            offer(rand() % 2, (uint16_t)(rand() % 18));
        while (sg_net_pending(&cp_free) > 0 && rand() % 4)
            copier_frame((uint16_t)(14 + rand() % 1505), (uint8_t)rand(), 0);
        wr(0x050, (uint32_t)(rand() % 2));
        net_rx(&n);
        struct sg_net_desc a;
        while (sg_net_pending(&vt_active) > 0) {
            sg_net_take(&vt_active, &a);
            assert_true(sg_net_range_ok(a.offset, a.len, TX_SIZE) && sg_net_len_ok(a.len));
            sg_net_put(&vt_free, &a);
        }
        net_tx(&n);
        if (rand() % 4 == 0)
            wr(0x070, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_setup_and_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transmit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transmit_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_guest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
