// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, under ASan and UBSan) of <sysgen/net_queue.h>: the
// overflow-safe checks at their edges, the buffer pools, a round trip
// through both rings, and a hostile peer's indices, which must never make
// either side read outside the rings or believe in room that is not
// there.  The queue page is a heap block of exactly its size, so ASan
// catches any access past it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sysgen/net_queue.h>

static void test_range_ok(void **state)
{
    (void)state;
    assert_true(sg_net_range_ok(0, 60, 2048));
    assert_true(sg_net_range_ok(2048 - 60, 60, 2048));
    assert_false(sg_net_range_ok(2048 - 59, 60, 2048)); // one byte past the end
    assert_false(sg_net_range_ok(0, 0, 2048));          // empty
    assert_false(sg_net_range_ok(0, 2049, 2048));       // longer than the region
    assert_false(sg_net_range_ok(0xfffffff0u, 60, 1ull << 32));
    assert_false(sg_net_range_ok(~0ull - 10, 60, ~0ull)); // offset + len wraps
    assert_true(sg_net_range_ok(0xffffffffu, 1, 1ull << 32));
}

static void test_len_and_pools(void **state)
{
    (void)state;
    assert_false(sg_net_len_ok(13));
    assert_true(sg_net_len_ok(14));
    assert_true(sg_net_len_ok(1518));
    assert_false(sg_net_len_ok(1519));
    assert_int_equal(sg_net_rx_bufs(SG_NET_DRIVER_RESERVED), 0);
    assert_int_equal(sg_net_rx_bufs(SG_NET_DRIVER_RESERVED + 2047), 0);
    assert_int_equal(sg_net_rx_bufs(SG_NET_DRIVER_RESERVED + 4096), 2);
    assert_int_equal(sg_net_rx_bufs(0x200000), SG_NET_RING_SIZE); // capped at one ring
    assert_int_equal(sg_net_tx_bufs(2047), 0);
    assert_int_equal(sg_net_tx_bufs(0x200000), SG_NET_RING_SIZE);
    assert_int_equal(sg_net_buf_index(0, 4), 0);
    assert_int_equal(sg_net_buf_index(3 * 2048, 4), 3);
    assert_int_equal(sg_net_buf_index(4 * 2048, 4), -1); // past the pool
    assert_int_equal(sg_net_buf_index(2049, 4), -1);     // not a buffer's start
    assert_int_equal(sg_net_buf_index(0xfffff800u, 128), -1);
    const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, mc[6] = {0x33, 0x33, 0, 0, 0, 1},
                  uc[6] = {0x52, 0x54, 1, 0, 0, 0x10};
    assert_true(sg_net_mac_is_group(bc));
    assert_true(sg_net_mac_is_group(mc));
    assert_false(sg_net_mac_is_group(uc));
}

static void test_round_trip(void **state)
{
    (void)state;
    volatile struct sg_net_queue *q = calloc(1, sizeof(struct sg_net_queue));
    assert_non_null((void *)q);
    struct sg_net_ring pa = sg_net_ring(q, true), ca = sg_net_ring(q, true);
    struct sg_net_ring pf = sg_net_ring(q, false), cf = sg_net_ring(q, false);
    // Three laps of the ring, so the indices wrap the array several times.
    for (uint32_t k = 0; k < 3 * SG_NET_RING_SIZE; k++) {
        struct sg_net_desc d = {k * 2048, (uint16_t)(60 + k % 100), 0}, got;
        assert_true(sg_net_put(&pa, &d));
        assert_int_equal(sg_net_pending(&ca), 1);
        sg_net_take(&ca, &got);
        assert_int_equal(got.offset, d.offset);
        assert_int_equal(got.len, d.len);
        got.status = SG_NET_EPERM;
        assert_true(sg_net_put(&cf, &got));
        sg_net_take(&pf, &d);
        assert_int_equal(d.status, SG_NET_EPERM);
    }
    // Fill it: exactly SG_NET_RING_SIZE entries fit.
    struct sg_net_desc d = {0, 60, 0};
    for (uint32_t k = 0; k < SG_NET_RING_SIZE; k++)
        assert_true(sg_net_put(&pa, &d));
    assert_int_equal(sg_net_room(&pa), 0);
    assert_false(sg_net_put(&pa, &d));
    assert_int_equal(sg_net_pending(&ca), (int)SG_NET_RING_SIZE);
    free((void *)q);
}

static void test_hostile_indices(void **state)
{
    (void)state;
    volatile struct sg_net_queue *q = calloc(1, sizeof(struct sg_net_queue));
    assert_non_null((void *)q);
    struct sg_net_ring prod = sg_net_ring(q, true), cons = sg_net_ring(q, true);
    // A tail moved more than a ring ahead: broken, never read.
    q->active_idx.tail = SG_NET_RING_SIZE + 1;
    assert_int_equal(sg_net_pending(&cons), -1);
    q->active_idx.tail = 0xffffffffu; // "behind" us: as broken
    assert_int_equal(sg_net_pending(&cons), -1);
    q->active_idx.tail = SG_NET_RING_SIZE;
    assert_int_equal(sg_net_pending(&cons), (int)SG_NET_RING_SIZE);
    // A head ahead of our tail, or far behind: no room, nothing written.
    q->active_idx.head = 5;
    assert_int_equal(sg_net_room(&prod), 0);
    struct sg_net_desc d = {0, 60, 0};
    assert_false(sg_net_put(&prod, &d));
    q->active_idx.head = 0x80000000u;
    assert_int_equal(sg_net_room(&prod), 0);
    // Garbage in an entry is only copied, never used as an index.
    q->active_idx.head = 0;
    q->active_idx.tail = 1;
    q->active[0].offset = 0xffffffffu;
    q->active[0].len = 0xffff;
    struct sg_net_desc got;
    sg_net_take(&cons, &got);
    assert_false(sg_net_range_ok(got.offset, got.len, 0x200000));
    assert_false(sg_net_len_ok(got.len));
    free((void *)q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_ok),
        cmocka_unit_test(test_len_and_pools),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hostile_indices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
