// SPDX-License-Identifier: BSD-2-Clause
// Protected calls across cores: 2000 calls to a server on another core,
// from its first instruction on (so the first finds the server still in
// its init, and must wait for it), each reply checked.
#include <microkit.h>
#include "clock.h"

#define CALLS  2000
#define SERVER 1

void init(void)
{
    uint64_t t0 = clock_ticks();
    for (unsigned n = 1; n <= CALLS; n++) {
        for (unsigned i = 0; i < 4; i++)
            microkit_mr_set(i, n * 4 + i);
        microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(n % 1000, 4));
        uint64_t want = 16ull * n + 6;
        if (microkit_msginfo_get_label(reply) != n % 1000 + 1 || microkit_mr_get(0) != want) {
            sg_printf("xclient: call %u: label %lu mr0 %lu, want %u and %lu\n", n,
                      microkit_msginfo_get_label(reply), microkit_mr_get(0), n % 1000 + 1, want);
            sg_dbg_exit(1);
        }
    }
    sg_printf("bench: ppcall round trip across cores %lu ns (%u rounds, the first waits for "
              "the server's init)\n",
              clock_ns_per_round(clock_ticks() - t0, CALLS), CALLS);
    sg_printf("xclient: %u protected calls answered\n", CALLS);
    sg_dbg_exit(0);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
