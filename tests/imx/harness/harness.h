// SPDX-License-Identifier: BSD-2-Clause
// What an i.MX driver test program on QEMU's mcimx7d-sabre has besides
// the driver under test: output through Arm semihosting (QEMU's stderr,
// so it never goes through a device being tested), TAP lines, the Arm
// generic timer for timeouts, DMA memory, and the exit status.
#ifndef TESTS_IMX_HARNESS_H
#define TESTS_IMX_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void h_puts(const char *s);
// QEMU's -append text (semihosting's command line, less the program's
// path that QEMU puts first); "" if none.
const char *h_cmdline(void);
bool h_streq(const char *a, const char *b);
// A small printf: %s %c %d %u %x %lx %llx %llu %zu and %%; `#` and a width
// (zero-padded with 0) for hex.
void h_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// One TAP line: "ok - NAME" or "not ok - NAME"; failures are counted.
bool h_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// End the run: the exit status is the number of failures (at most 125).
int h_done(void);
void h_exit(int status) __attribute__((noreturn));

// The Arm generic timer (the i.MX7's GPT does not run in QEMU 7.2).
uint64_t h_now(void);
uint64_t h_ticks_per_us(void);
void h_delay_us(uint32_t us);

// Memory a device may read and write (1 MiB after the stack, not cached:
// the MMU is off).
extern uint8_t __dma_start[], __dma_end[];

void *h_memset(void *d, int c, size_t n);
void *h_memcpy(void *d, const void *s, size_t n);
int h_memcmp(const void *a, const void *b, size_t n);

#endif
