// SPDX-License-Identifier: BSD-2-Clause
// The EL1 physical timer (CNTP, PPI INTID 30) as a test device: a PD that
// is given irq 30 arms it and gets its expiry as a notification.
#ifndef TESTS_PD_TIMER_H
#define TESTS_PD_TIMER_H

#include <stdint.h>

static inline void pd_timer_arm_us(uint64_t us)
{
    uint64_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    __asm__ volatile("msr cntp_tval_el0, %0" : : "r"(freq / 1000000 * us));
    __asm__ volatile("msr cntp_ctl_el0, %0; isb" : : "r"(1ull));
}

static inline void pd_timer_stop(void)
{
    __asm__ volatile("msr cntp_ctl_el0, %0; isb" : : "r"(0ull));
}

#endif
