// SPDX-License-Identifier: BSD-2-Clause
// Host tests (cmocka, ASan, UBSan) of the VMM's virtio-vsock: two devices
// (CIDs 3 and 4) back to back on one shared region, each driven by a fake
// guest: packets both ways, split to fit a small ring and the receive
// buffers, the source CID forced, RST for unknown CIDs, malformed packets,
// a peer that breaks its ring, and random chains from both guests.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vsock.h"

#define RAM_GPA     0x40000000ull
#define RAM_SIZE    0x40000ull
#define REGION_SIZE 0x2000 // small: 2 KiB rings, so big packets are split

#define DESC  0x40001000ull
#define AVAIL 0x40002000ull
#define USED  0x40003000ull
#define BUF   0x40010000ull

struct side {
    struct guest_mem mem;
    struct vsock v;
    unsigned kicks, injected;
    uint16_t next_desc;
};

static struct side sd[2];
static uint8_t *region;
static unsigned warned;

static struct side *side_of(struct virtio_dev *d)
{
    return d == &sd[0].v.dev ? &sd[0] : &sd[1];
}

static void inject(struct virtio_dev *d)
{
    side_of(d)->injected++;
}

static void warn(struct virtio_dev *d, const char *what, uint64_t v)
{
    (void)d;
    (void)what;
    (void)v;
    warned++;
}

static void kick(struct vsock *v, unsigned peer)
{
    (void)peer;
    side_of(&v->dev)->kicks++; // the pump below delivers it
}

static void *ram(struct side *s, uint64_t gpa)
{
    return s->mem.base + (gpa - RAM_GPA);
}

static void wr(struct side *s, uint64_t off, uint32_t v)
{
    uint64_t x = v;
    virtio_mmio_access(&s->v.dev, off, 4, true, &x);
}

static uint32_t rd(struct side *s, uint64_t off)
{
    uint64_t v = 0;
    virtio_mmio_access(&s->v.dev, off, 4, false, &v);
    return (uint32_t)v;
}

static void driver_up(struct side *s)
{
    wr(s, 0x070, 0);
    wr(s, 0x070, 3);
    wr(s, 0x024, 1);
    wr(s, 0x020, 1);
    wr(s, 0x070, 0x0b);
    assert_true(rd(s, 0x070) & 8);
    for (unsigned q = 0; q < 3; q++) {
        wr(s, 0x030, q);
        wr(s, 0x038, 16);
        wr(s, 0x080, (uint32_t)(DESC + q * 0x400));
        wr(s, 0x090, (uint32_t)(AVAIL + q * 0x400));
        wr(s, 0x0a0, (uint32_t)(USED + q * 0x400));
        wr(s, 0x044, 1);
    }
    wr(s, 0x070, 0x0f);
    assert_true(virtio_running(&s->v.dev));
}

static int setup(void **state)
{
    (void)state;
    region = calloc(1, REGION_SIZE);
    for (unsigned i = 0; i < 2; i++) {
        struct side *s = &sd[i];
        memset(s, 0, sizeof(*s));
        s->mem = (struct guest_mem){calloc(1, RAM_SIZE), RAM_GPA, RAM_SIZE};
        s->v.cid = 3 + i;
        s->v.kick = kick;
        assert_true(vsock_add_peer(&s->v, 4 - i, 7, region, REGION_SIZE, i));
        s->v.dev.ops = &vsock_ops;
        s->v.dev.mem = &s->mem;
        s->v.dev.name = "vsock";
        s->v.dev.inject = inject;
        s->v.dev.warn = warn;
        s->v.dev.priv = &s->v;
        virtio_init(&s->v.dev);
        driver_up(s);
    }
    warned = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(sd[0].mem.base);
    free(sd[1].mem.base);
    free(region);
    return 0;
}

// Deliver kicks between the two VMMs until nothing moves.
static void pump(void)
{
    for (unsigned round = 0; round < 10000; round++) {
        bool any = false;
        for (unsigned i = 0; i < 2; i++)
            if (sd[i].kicks) {
                sd[i].kicks = 0;
                vsock_peer_notified(&sd[1 - i].v, 0);
                any = true;
            }
        if (!any)
            return;
    }
    fail_msg("the VMMs kick each other forever");
}

static struct virtq_desc *desc(struct side *s, unsigned q, unsigned i)
{
    return (struct virtq_desc *)ram(s, DESC + q * 0x400) + i;
}

static struct virtq_used *used(struct side *s, unsigned q)
{
    return ram(s, USED + q * 0x400);
}

static void offer(struct side *s, unsigned q, uint16_t head)
{
    struct virtq_avail *a = ram(s, AVAIL + q * 0x400);
    a->ring[a->idx % 16] = head;
    a->idx++;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | p[n];
    return v;
}

// Guest of side s sends a packet: header at hdr_gpa, payload after it.
static void send_pkt(struct side *s, uint16_t d, uint64_t src, uint64_t dst, uint16_t op,
                     uint32_t len, uint32_t announced)
{
    uint64_t h = BUF + d * 0x1000;
    uint8_t *p = ram(s, h);
    memset(p, 0, 44);
    put_le(p, src, 8);
    put_le(p + 8, dst, 8);
    put_le(p + 16, 1000, 4);
    put_le(p + 20, 2000, 4);
    put_le(p + 24, announced, 4);
    put_le(p + 28, 1, 2);
    put_le(p + 30, op, 2);
    for (uint32_t i = 0; i < len; i++)
        p[44 + i] = (uint8_t)(i * 13 + d);
    if (len) {
        *desc(s, 1, d) = (struct virtq_desc){.addr = h, .len = 44, .flags = 1, .next = d + 1};
        *desc(s, 1, d + 1) = (struct virtq_desc){.addr = h + 44, .len = len};
    } else {
        *desc(s, 1, d) = (struct virtq_desc){.addr = h, .len = 44};
    }
    offer(s, 1, d);
    wr(s, 0x050, 1);
}

// Guest of side s posts receive buffers: header then `room` bytes each.
static void post_rx(struct side *s, unsigned n, uint32_t room)
{
    for (unsigned k = 0; k < n; k++) {
        uint16_t d = s->next_desc;
        s->next_desc = (uint16_t)((s->next_desc + 2) % 16);
        uint64_t b = BUF + 0x20000 + d * 0x1000;
        *desc(s, 0, d) = (struct virtq_desc){.addr = b, .len = 44, .flags = 3, .next = d + 1};
        *desc(s, 0, d + 1) = (struct virtq_desc){.addr = b + 44, .len = room, .flags = 2};
        offer(s, 0, d);
    }
    wr(s, 0x050, 0);
}

static void test_config(void **state)
{
    (void)state;
    assert_int_equal(rd(&sd[0], 0x008), 19);
    assert_int_equal(rd(&sd[0], 0x100), 3);
    assert_int_equal(rd(&sd[1], 0x100), 4);
    assert_int_equal(rd(&sd[1], 0x104), 0);
}

static void test_packet(void **state)
{
    (void)state;
    post_rx(&sd[1], 4, 4096);
    send_pkt(&sd[0], 0, 99 /* spoofed */, 4, 5, 300, 300);
    assert_int_equal(used(&sd[0], 1)->idx, 1);
    pump();
    assert_int_equal(used(&sd[1], 0)->idx, 1);
    assert_int_equal(used(&sd[1], 0)->ring[0].len, 44 + 300);
    uint16_t d = (uint16_t)used(&sd[1], 0)->ring[0].id;
    uint8_t *h = ram(&sd[1], BUF + 0x20000 + d * 0x1000);
    assert_int_equal(get_le(h, 8), 3); // the source CID is the sender's, whatever it wrote
    assert_int_equal(get_le(h + 8, 8), 4);
    assert_int_equal(get_le(h + 24, 4), 300);
    assert_int_equal(get_le(h + 30, 2), 5);
    for (unsigned i = 0; i < 300; i++)
        assert_int_equal(h[44 + i], (uint8_t)(i * 13));
    assert_true(sd[1].injected >= 1);
}

// 64 KiB through a 2 KiB ring into 1 KiB buffers: split twice, in order.
static void test_split(void **state)
{
    (void)state;
    uint32_t len = 0x10000, got = 0;
    send_pkt(&sd[0], 0, 3, 4, 5, len, len);
    uint8_t expect = 0;
    unsigned i = 0;
    for (unsigned round = 0; round < 1000 && got < len; round++) {
        post_rx(&sd[1], 4, 1024);
        pump();
        for (; i < used(&sd[1], 0)->idx; i++) {
            struct virtq_used_elem e = used(&sd[1], 0)->ring[i % 16];
            uint8_t *h = ram(&sd[1], BUF + 0x20000 + e.id * 0x1000);
            uint32_t n = (uint32_t)get_le(h + 24, 4);
            assert_int_equal(e.len, 44 + n);
            assert_true(n > 0 && n <= 1024);
            for (uint32_t k = 0; k < n; k++, got++) {
                expect = (uint8_t)(got * 13);
                assert_int_equal(h[44 + k], expect);
            }
        }
    }
    assert_int_equal(got, len);
    assert_int_equal(used(&sd[0], 1)->idx, 1); // the packet is done only now
}

static void test_rst_and_malformed(void **state)
{
    (void)state;
    post_rx(&sd[0], 4, 4096);
    send_pkt(&sd[0], 0, 3, 9, 1, 0, 0); // REQUEST to a CID nobody has
    assert_int_equal(used(&sd[0], 0)->idx, 1);
    uint16_t d = (uint16_t)used(&sd[0], 0)->ring[0].id;
    uint8_t *h = ram(&sd[0], BUF + 0x20000 + d * 0x1000);
    assert_int_equal(get_le(h, 8), 9);
    assert_int_equal(get_le(h + 8, 8), 3);
    assert_int_equal(get_le(h + 16, 4), 2000);
    assert_int_equal(get_le(h + 20, 4), 1000);
    assert_int_equal(get_le(h + 30, 2), 3); // RST
    send_pkt(&sd[0], 2, 3, 9, 3, 0, 0);     // a RST to nobody: no answer
    assert_int_equal(used(&sd[0], 0)->idx, 1);
    send_pkt(&sd[0], 4, 3, 4, 5, 100, 90); // length not as announced: dropped
    *desc(&sd[0], 1, 6) = (struct virtq_desc){.addr = BUF, .len = 20}; // no header
    offer(&sd[0], 1, 6);
    wr(&sd[0], 0x050, 1);
    pump();
    assert_int_equal(used(&sd[0], 1)->idx, 4);
    assert_int_equal(sd[0].v.dropped, 2);
    assert_int_equal(used(&sd[1], 0)->idx, 0);
}

static void test_broken_peer(void **state)
{
    (void)state;
    post_rx(&sd[1], 4, 4096);
    struct sg_serial_queue *q = (struct sg_serial_queue *)region; // side 0's ring
    q->tail = 12345;                                              // impossible
    vsock_peer_notified(&sd[1].v, 0);
    assert_true(sd[1].v.peer[0].broken);
    assert_int_equal(used(&sd[1], 0)->idx, 0);
    q->tail = q->head;
    vsock_peer_notified(&sd[1].v, 0); // ignored from now on
    assert_int_equal(used(&sd[1], 0)->idx, 0);
}

static void test_discard(void **state)
{
    (void)state;
    send_pkt(&sd[0], 0, 3, 4, 5, 100, 100);
    assert_int_not_equal(((struct sg_serial_queue *)region)->tail, 0);
    vsock_discard(&sd[1].v, 0); // side 1's guest is gone
    struct sg_serial_queue *q = (struct sg_serial_queue *)region;
    assert_int_equal(q->tail, q->head);
}

static void test_random_guests(void **state)
{
    (void)state;
    srand(99);
    for (unsigned round = 0; round < 3000; round++) {
        for (unsigned i = 0; i < 2; i++) {
            struct side *s = &sd[i];
            if (rand() % 8 == 0)
                driver_up(s);
            for (unsigned q = 0; q < 2; q++)
                for (unsigned k = 0; k < 16; k++) {
                    struct virtq_desc *d = desc(s, q, k);
                    d->addr = rand() % 8 ? BUF + (uint64_t)(rand() % 0x20000)
                                         : RAM_GPA + RAM_SIZE - (uint64_t)(rand() % 100);
                    d->len = rand() % 4 ? (uint32_t)(rand() % 5000) : (uint32_t)rand();
                    d->flags = (uint16_t)(rand() % 8);
                    d->next = (uint16_t)(rand() % 18);
                }
            for (unsigned k = 0; k < 40; k++) {
                uint8_t *h = ram(s, BUF + (uint64_t)(rand() % 0x20000));
                put_le(h + 8, 3 + (unsigned)rand() % 3, 8);
                put_le(h + 24, (unsigned)rand() % 5000, 4);
            }
            for (unsigned k = 0; k < 4; k++)
                offer(s, rand() % 2, (uint16_t)(rand() % 17));
            wr(s, 0x050, (uint32_t)(rand() % 3));
        }
        pump();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rst_and_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_guests, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
