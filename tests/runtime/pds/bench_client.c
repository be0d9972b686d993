// SPDX-License-Identifier: BSD-2-Clause
// Benchmark driver: times ROUNDS protected calls and ROUNDS notification
// round trips to bench_server with the generic counter, and prints the
// averages.  Run under QEMU -icount shift=0 the figures count emulated
// instructions (1 ns each), so they are reproducible, not wall-clock.
#include <microkit.h>

#define SERVER 1
#define ROUNDS 10000

static uint64_t freq, t0;
static unsigned rounds;

static uint64_t now(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
    return v;
}

static uint64_t ns_per_round(uint64_t ticks)
{
    return ticks * 1000 / (freq / 1000000) / ROUNDS;
}

void init(void)
{
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    uint64_t start = now();
    for (unsigned i = 0; i < ROUNDS; i++) {
        microkit_mr_set(0, i);
        microkit_ppcall(SERVER, microkit_msginfo_new(0, 1));
    }
    sg_printf("bench: ppcall round trip %lu ns (%u rounds)\n", ns_per_round(now() - start), ROUNDS);
    t0 = now();
    microkit_notify(SERVER);
}

void notified(microkit_channel ch)
{
    if (ch != SERVER)
        return;
    if (++rounds < ROUNDS) {
        microkit_notify(SERVER);
        return;
    }
    sg_printf("bench: notify round trip %lu ns (%u rounds)\n", ns_per_round(now() - t0), ROUNDS);
    sg_dbg_exit(0);
}
