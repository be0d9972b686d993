// SPDX-License-Identifier: BSD-2-Clause
// The generic counter, for the PDs that time themselves (figures printed
// as `bench: ...` lines, read by tests/bench/runtime.sh, never checked).
#ifndef TEST_PDS_CLOCK_H
#define TEST_PDS_CLOCK_H

#include <stdint.h>

static inline uint64_t clock_ticks(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
    return v;
}

// Nanoseconds per round for `ticks` over `rounds` rounds.
static inline uint64_t clock_ns_per_round(uint64_t ticks, unsigned rounds)
{
    uint64_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return ticks * 1000 / (freq / 1000000) / rounds;
}

#endif
