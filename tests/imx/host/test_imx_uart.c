// SPDX-License-Identifier: BSD-2-Clause
// The i.MX UART's register logic against a small register model, for what
// QEMU's model cannot show: its transmit FIFO never fills, and its input
// never has line errors or overruns.  The model has a 32-byte transmit
// FIFO that drains only when a test says so, and a receive FIFO of
// URXD words the test fills (with error bits where it wants them).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmio.h"
#include "serial/imx/imx_uart.h"

#define UTXD  0x40
#define URXD  0x00
#define UCR1  0x80
#define UFCR  0x90
#define USR2  0x98
#define UBIR  0xa4
#define UBMR  0xa8
#define UTS   0xb4
#define DEPTH 32

static struct {
    uint32_t reg[0x100 / 4];
    char tx[256];
    unsigned ntx, tx_fifo; // bytes ever sent; bytes in the FIFO now
    uint32_t rx[16];
    unsigned rx_head, rx_tail;
    unsigned ubir_writes, ubmr_writes;
} m;

static uint8_t regs_anchor; // the "base" the driver is given

uint32_t mmio_read32(volatile void *base, uint32_t off)
{
    assert_ptr_equal(base, &regs_anchor);
    switch (off) {
    case UTS:
        return (m.tx_fifo == DEPTH ? 1u << 4 : 0) | (m.rx_head == m.rx_tail ? 1u << 5 : 0);
    case URXD:
        return m.rx_head == m.rx_tail ? 0 : m.rx[m.rx_head++];
    default:
        return m.reg[off / 4];
    }
}

void mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
    assert_ptr_equal(base, &regs_anchor);
    switch (off) {
    case UTXD:
        assert_true(m.tx_fifo < DEPTH); // the driver never overfills the FIFO
        m.tx[m.ntx++] = (char)v;
        m.tx_fifo++;
        break;
    case USR2:
        m.reg[off / 4] &= ~v; // write 1 to clear
        break;
    case UBIR:
        m.ubir_writes++;
        m.reg[off / 4] = v;
        break;
    case UBMR:
        assert_int_equal(m.ubir_writes, m.ubmr_writes + 1); // UBIR first: UBMR latches both
        m.ubmr_writes++;
        m.reg[off / 4] = v;
        break;
    default:
        m.reg[off / 4] = v;
    }
}

static int reset(void **state)
{
    (void)state;
    memset(&m, 0, sizeof(m));
    return 0;
}

struct source {
    const char *s;
};

static bool next(void *ctx, char *c)
{
    struct source *src = ctx;
    if (!*src->s)
        return false;
    *c = *src->s++;
    return true;
}

static char got[64];
static unsigned ngot;

static void put(void *ctx, char c)
{
    (void)ctx;
    got[ngot++] = c;
}

static void divisors(void **state)
{
    (void)state;
    uint32_t ubir, ubmr;
    assert_true(imx_uart_divisors(25000000, 115200, &ubir, &ubmr)); // the MaaXBoard's
    assert_int_equal(ubir, 1151);
    assert_int_equal(ubmr, 15624); // 1152 / 15625 = 16 * 115200 / 25 MHz exactly
    assert_true(imx_uart_divisors(24000000, 115200, &ubir, &ubmr));
    assert_int_equal(ubir, 47);
    assert_int_equal(ubmr, 624);
    assert_true(imx_uart_divisors(80000000, 4000000, &ubir, &ubmr));
    assert_int_equal(ubir, 3);
    assert_int_equal(ubmr, 4);
    // An odd clock needs scaling to 16 bits, and stays within 1%.
    assert_true(imx_uart_divisors(66666667, 115200, &ubir, &ubmr));
    assert_true(ubir <= 0xffff && ubmr <= 0xffff);
    uint64_t rate = 66666667ull * (ubir + 1) / (16ull * (ubmr + 1));
    assert_true(rate > 115200 * 99 / 100 && rate < 115200 * 101 / 100);
    assert_false(imx_uart_divisors(1000000, 115200, &ubir, &ubmr)); // clock too slow
    assert_false(imx_uart_divisors(0, 115200, &ubir, &ubmr));
    assert_false(imx_uart_divisors(25000000, 0, &ubir, &ubmr));
}

static void init_sets_the_line(void **state)
{
    (void)state;
    struct imx_uart u;
    imx_uart_init(&u, &regs_anchor, 25000000, 115200);
    assert_int_equal(m.reg[UBIR / 4], 1151);
    assert_int_equal(m.reg[UBMR / 4], 15624);
    assert_int_equal(m.reg[UCR1 / 4], 0x201); // UARTEN, RRDYEN
}

static void init_without_clock_keeps_firmware_rate(void **state)
{
    (void)state;
    struct imx_uart u;
    m.reg[UFCR / 4] = 4u << 7; // firmware's RFDIV /2
    m.reg[UBIR / 4] = 0x1234;
    imx_uart_init(&u, &regs_anchor, 0, 115200);
    assert_int_equal((m.reg[UFCR / 4] >> 7) & 7, 4);
    assert_int_equal(m.reg[UBIR / 4], 0x1234);
    assert_int_equal(m.ubmr_writes, 0);
}

static void full_fifo_arms_the_interrupt_and_waits(void **state)
{
    (void)state;
    struct imx_uart u;
    imx_uart_init(&u, &regs_anchor, 25000000, 115200);
    char text[41] = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
    struct source src = {text};
    assert_false(imx_uart_send(&u, next, &src)); // 40 bytes, room for 32
    assert_int_equal(m.ntx, DEPTH);
    assert_true(u.tx_armed);
    assert_true(m.reg[UCR1 / 4] & (1u << 13)); // TRDYEN: tell us when there is room
    assert_string_equal(src.s, "wxyzABCD"); // 0-9 and a-v went; nothing else was taken
    // Still full: nothing more, no busy wait.
    assert_false(imx_uart_send(&u, next, &src));
    assert_int_equal(m.ntx, DEPTH);
    // The line drains (the TRDY interrupt): the rest goes, the interrupt is off.
    m.tx_fifo = 0;
    assert_true(imx_uart_send(&u, next, &src));
    assert_int_equal(m.ntx, 40);
    assert_memory_equal(m.tx, text, 40);
    assert_false(u.tx_armed);
    assert_false(m.reg[UCR1 / 4] & (1u << 13));
}

static void line_errors_and_overruns_are_counted_and_dropped(void **state)
{
    (void)state;
    struct imx_uart u;
    imx_uart_init(&u, &regs_anchor, 25000000, 115200);
    const uint32_t ok = 1u << 15, err = ok | 1u << 14;
    uint32_t in[] = {ok | 'a', err | 1u << 12 | 'x', ok | 'b', err | 1u << 11, ok | 'c'};
    memcpy(m.rx, in, sizeof(in));
    m.rx_tail = 5;
    m.reg[USR2 / 4] = 1u << 1; // ORE: the hardware lost bytes
    ngot = 0;
    assert_int_equal(imx_uart_receive(&u, put, NULL), 3);
    assert_memory_equal(got, "abc", 3);
    assert_int_equal(u.rx_errors, 2);
    assert_int_equal(u.rx_overruns, 1);
    assert_int_equal(m.reg[USR2 / 4] & 2, 0); // ORE cleared
    assert_int_equal(imx_uart_receive(&u, put, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(divisors, reset),
        cmocka_unit_test_setup(init_sets_the_line, reset),
        cmocka_unit_test_setup(init_without_clock_keeps_firmware_rate, reset),
        cmocka_unit_test_setup(full_fifo_arms_the_interrupt_and_waits, reset),
        cmocka_unit_test_setup(line_errors_and_overruns_are_counted_and_dropped, reset),
    };
    return cmocka_run_group_tests_name("imx_uart", tests, NULL, NULL);
}
