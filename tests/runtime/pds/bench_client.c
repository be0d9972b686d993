// SPDX-License-Identifier: BSD-2-Clause
// Benchmark driver: times ROUNDS protected calls and ROUNDS notification
// round trips to bench_server with the generic counter, and prints the
// averages.  Run under QEMU -icount shift=0 the figures count emulated
// instructions (1 ns each), so they are reproducible, not wall-clock.
#include <microkit.h>
#include "clock.h"

#define SERVER 1
#define ROUNDS 10000

static uint64_t t0;
static unsigned rounds;

void init(void)
{
    uint64_t start = clock_ticks();
    for (unsigned i = 0; i < ROUNDS; i++) {
        microkit_mr_set(0, i);
        microkit_ppcall(SERVER, microkit_msginfo_new(0, 1));
    }
    sg_printf("bench: ppcall round trip %lu ns (%u rounds)\n", clock_ns_per_round(clock_ticks() - start, ROUNDS), ROUNDS);
    t0 = clock_ticks();
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
    sg_printf("bench: notify round trip %lu ns (%u rounds)\n", clock_ns_per_round(clock_ticks() - t0, ROUNDS), ROUNDS);
    sg_dbg_exit(0);
}
