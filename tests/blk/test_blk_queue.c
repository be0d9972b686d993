// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, under ASan and UBSan) of <sysgen/blk_queue.h>: the
// overflow-safe range checks at their edges, a round trip, and a hostile
// peer's indices, which must never make either side read outside the
// rings or believe in room that is not there.  The queue page is a heap
// block of exactly its size, so ASan catches any access past it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sysgen/blk_queue.h>

static void test_data_ok(void **state)
{
    (void)state;
    assert_true(sg_blk_data_ok(0, 1, 512));
    assert_true(sg_blk_data_ok(512, 1, 1024));
    assert_false(sg_blk_data_ok(513, 1, 1024));               // one byte past the end
    assert_false(sg_blk_data_ok(0, 0, 1024));                 // nothing to move is a bad request
    assert_false(sg_blk_data_ok(0, 3, 1024));                 // longer than the region
    assert_false(sg_blk_data_ok(1024, 1, 1024));              // starts at the end
    assert_false(sg_blk_data_ok(~0ull - 511, 1, 1ull << 40)); // offset + len wraps
    assert_false(sg_blk_data_ok(0, UINT32_MAX, 1ull << 40));
    assert_true(sg_blk_data_ok(0, UINT32_MAX, (uint64_t)UINT32_MAX * 512));
}

static void test_range_ok(void **state)
{
    (void)state;
    assert_true(sg_blk_range_ok(0, 4096, 4096));
    assert_true(sg_blk_range_ok(4095, 1, 4096));
    assert_false(sg_blk_range_ok(4096, 1, 4096));
    assert_false(sg_blk_range_ok(4095, 2, 4096));
    assert_false(sg_blk_range_ok(~0ull, 1, 4096)); // sector + count wraps
    assert_false(sg_blk_range_ok(0, 4097, 4096));
    assert_true(sg_blk_range_ok(4096, 0, 4096)); // flush-like: no sectors
}

static int setup(void **state)
{
    struct sg_blk_queue *q = calloc(1, sizeof(*q));
    *state = q;
    return q ? 0 : -1;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void test_round_trip(void **state)
{
    struct sg_blk_end cli = {*state, 0, 0}, srv = {*state, 0, 0};
    struct sg_blk_desc d = {.id = 7, .op = SG_BLK_OP_READ, .count = 2, .sector = 9, .offset = 512};
    struct sg_blk_desc got;
    assert_int_equal(sg_blk_pending(&srv), 0);
    assert_false(sg_blk_response(&cli, &got));
    // Fill the ring: the 33rd request does not fit.
    for (uint32_t i = 0; i < SG_BLK_RING_SIZE; i++) {
        d.id = i;
        assert_true(sg_blk_request(&cli, &d));
    }
    assert_true(sg_blk_full(&cli));
    assert_false(sg_blk_request(&cli, &d));
    assert_int_equal(sg_blk_pending(&srv), SG_BLK_RING_SIZE);
    for (uint32_t i = 0; i < SG_BLK_RING_SIZE; i++) {
        assert_true(sg_blk_resp_room(&srv) > 0);
        sg_blk_take(&srv, &got);
        assert_int_equal(got.id, i);
        assert_int_equal(got.sector, 9);
        got.status = SG_BLK_ERANGE;
        sg_blk_respond(&srv, &got);
    }
    assert_int_equal(sg_blk_resp_room(&srv), 0);
    for (uint32_t i = 0; i < SG_BLK_RING_SIZE; i++) {
        assert_true(sg_blk_response(&cli, &got));
        assert_int_equal(got.id, i);
        assert_int_equal(got.status, SG_BLK_ERANGE);
    }
    assert_false(sg_blk_response(&cli, &got));
    assert_int_equal(sg_blk_resp_room(&srv), SG_BLK_RING_SIZE);
}

// The indices run free: the same holds across the 2^32 wrap.
static void test_wrap(void **state)
{
    struct sg_blk_queue *q = *state;
    uint32_t start = UINT32_MAX - 3;
    q->req_idx.tail = q->req_idx.head = q->resp_idx.tail = q->resp_idx.head = start;
    struct sg_blk_end cli = {q, start, start}, srv = {q, start, start};
    struct sg_blk_desc d = {.op = SG_BLK_OP_WRITE, .count = 1}, got;
    for (uint32_t i = 0; i < 8; i++) {
        d.id = i;
        assert_true(sg_blk_request(&cli, &d));
    }
    assert_int_equal(sg_blk_pending(&srv), 8);
    for (uint32_t i = 0; i < 8; i++) {
        sg_blk_take(&srv, &got);
        sg_blk_respond(&srv, &got);
        assert_true(sg_blk_response(&cli, &got));
        assert_int_equal(got.id, i);
    }
}

// A hostile client: a tail far ahead or behind marks the ring broken; a
// response head ahead of the server's tail or far behind means no room.
// The server never reads back the indices it owns.
static void test_hostile_client(void **state)
{
    struct sg_blk_queue *q = *state;
    struct sg_blk_end srv = {q, 0, 0};
    q->req_idx.tail = SG_BLK_RING_SIZE + 1;
    assert_int_equal(sg_blk_pending(&srv), -1);
    q->req_idx.tail = UINT32_MAX; // "behind" the head
    assert_int_equal(sg_blk_pending(&srv), -1);
    q->req_idx.tail = 1;
    q->req_idx.head = 12345; // the client scribbles on the server's index
    assert_int_equal(sg_blk_pending(&srv), 1);
    struct sg_blk_desc got;
    sg_blk_take(&srv, &got);
    assert_int_equal(q->req_idx.head, 1); // rewritten from the private copy
    q->resp_idx.head = 5;                 // ahead of our tail (0)
    assert_int_equal(sg_blk_resp_room(&srv), 0);
    q->resp_idx.head = UINT32_MAX - SG_BLK_RING_SIZE; // far behind
    assert_int_equal(sg_blk_resp_room(&srv), 0);
    q->resp_idx.head = 0;
    assert_int_equal(sg_blk_resp_room(&srv), SG_BLK_RING_SIZE);
}

// A broken server cannot make a client read past the response ring.
static void test_hostile_server(void **state)
{
    struct sg_blk_queue *q = *state;
    struct sg_blk_end cli = {q, 0, 0};
    struct sg_blk_desc got;
    q->resp_idx.tail = SG_BLK_RING_SIZE + 5;
    assert_false(sg_blk_response(&cli, &got));
    q->req_idx.head = 1000; // server claims to have taken requests never sent
    assert_true(sg_blk_full(&cli));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_ok),
        cmocka_unit_test(test_range_ok),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_client, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_server, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
