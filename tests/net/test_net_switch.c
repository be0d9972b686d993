// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, under ASan and UBSan) of the switching decision the
// net virtualisers make for every frame (drivers/net/net_switch.h): each
// row of its table, for frames from the uplink and from guests, spoofed
// sources, dead clients, a client whose receive queue is full, and a
// system without an uplink.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "net/net_switch.h"

static const uint8_t macs[3][6] = {
    {0x52, 0x54, 0x01, 0x00, 0x00, 0x10}, // client 0
    {0x52, 0x54, 0x01, 0x00, 0x00, 0x11}, // client 1
    {0x52, 0x54, 0x01, 0x00, 0x00, 0x12}, // client 2
};
static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t multicast[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01}; // IPv6 all-nodes
static const uint8_t outside[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};   // QEMU's gateway

static struct net_switch_table table(void)
{
    return (struct net_switch_table){macs, 3, 0x7, 0, true};
}

static const uint8_t *frame(const uint8_t dst[6], const uint8_t src[6])
{
    static uint8_t f[60];
    memset(f, 0, sizeof(f));
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = 0x08; // IPv4
    return f;
}

#define ROUTE(t, dst, src, from) net_switch_route(&(t), frame(dst, src), from)

static void test_from_uplink(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    struct net_route r = ROUTE(t, broadcast, outside, NET_FROM_UPLINK);
    assert_int_equal(r.clients, 0x7);
    assert_false(r.uplink); // never back where it came from
    r = ROUTE(t, multicast, outside, NET_FROM_UPLINK);
    assert_int_equal(r.clients, 0x7);
    r = ROUTE(t, macs[1], outside, NET_FROM_UPLINK);
    assert_int_equal(r.clients, 0x2);
    assert_false(r.uplink);
    r = ROUTE(t, outside, outside, NET_FROM_UPLINK); // nobody's here
    assert_int_equal(r.clients, 0);
    assert_false(r.uplink);
    assert_false(r.spoofed);
}

static void test_guest_to_guest(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    struct net_route r = ROUTE(t, macs[1], macs[0], 0);
    assert_int_equal(r.clients, 0x2); // that guest only
    assert_false(r.uplink);           // and it never leaves the board
    r = ROUTE(t, macs[0], macs[2], 2);
    assert_int_equal(r.clients, 0x1);
    assert_false(r.uplink);
    r = ROUTE(t, macs[0], macs[0], 0); // to itself: nobody
    assert_int_equal(r.clients, 0);
    assert_false(r.uplink);
}

static void test_group_from_guest(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    struct net_route r = ROUTE(t, broadcast, macs[1], 1);
    assert_int_equal(r.clients, 0x5); // every other guest
    assert_true(r.uplink);            // and the uplink
    r = ROUTE(t, multicast, macs[0], 0);
    assert_int_equal(r.clients, 0x6);
    assert_true(r.uplink);
}

static void test_unknown_unicast_from_guest(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    struct net_route r = ROUTE(t, outside, macs[0], 0);
    assert_int_equal(r.clients, 0);
    assert_true(r.uplink);
    assert_false(r.spoofed);
}

static void test_spoofed_source(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    // Another guest's address, an outside one, a group one: all refused,
    // whatever the destination.
    const uint8_t *srcs[] = {macs[1], outside, broadcast};
    const uint8_t *dsts[] = {macs[1], macs[2], broadcast, outside};
    for (size_t s = 0; s < 3; s++)
        for (size_t d = 0; d < 4; d++) {
            struct net_route r = ROUTE(t, dsts[d], srcs[s], 0);
            assert_true(r.spoofed);
            assert_int_equal(r.clients, 0);
            assert_false(r.uplink);
        }
    // A client index the table does not have is refused too.
    struct net_route r = ROUTE(t, macs[1], macs[0], 3);
    assert_true(r.spoofed);
}

static void test_dead_client(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    t.live = 0x5; // client 1 powered off
    struct net_route r = ROUTE(t, broadcast, macs[0], 0);
    assert_int_equal(r.clients, 0x4);
    r = ROUTE(t, macs[1], macs[0], 0); // to the dead guest: nobody, not the uplink
    assert_int_equal(r.clients, 0);
    assert_false(r.uplink);
    r = ROUTE(t, macs[2], macs[0], 0); // the others still talk
    assert_int_equal(r.clients, 0x4);
}

static void test_full_queue(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    t.full = 0x2; // client 1's receive queue has no room
    struct net_route r = ROUTE(t, broadcast, macs[0], 0);
    assert_int_equal(r.clients, 0x4); // client 2 still gets it
    assert_int_equal(r.dropped, 0x2); // client 1's loss, counted
    assert_true(r.uplink);
    r = ROUTE(t, macs[1], macs[2], 2);
    assert_int_equal(r.clients, 0);
    assert_int_equal(r.dropped, 0x2);
    assert_false(r.uplink);
    r = ROUTE(t, macs[0], macs[2], 2);
    assert_int_equal(r.clients, 0x1);
    assert_int_equal(r.dropped, 0);
}

static void test_no_uplink(void **state)
{
    (void)state;
    struct net_switch_table t = table();
    t.has_uplink = false;
    struct net_route r = ROUTE(t, broadcast, macs[0], 0);
    assert_int_equal(r.clients, 0x6);
    assert_false(r.uplink);
    r = ROUTE(t, outside, macs[0], 0);
    assert_int_equal(r.clients, 0);
    assert_false(r.uplink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_uplink),
        cmocka_unit_test(test_guest_to_guest),
        cmocka_unit_test(test_group_from_guest),
        cmocka_unit_test(test_unknown_unicast_from_guest),
        cmocka_unit_test(test_spoofed_source),
        cmocka_unit_test(test_dead_client),
        cmocka_unit_test(test_full_queue),
        cmocka_unit_test(test_no_uplink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
