// SPDX-License-Identifier: BSD-2-Clause
// The ticket lock's waiting (lock.h).  A waiter spins for a while (the
// lock is usually held for a few microseconds), then marks itself in
// `sleepers` and sleeps in WFI; the giver, having moved `owner` on, wakes
// every marked core with SGI_WAKE.  Either the waiter sees the new owner
// after marking itself, or the giver sees the mark after moving owner on:
// both sides put a full barrier between their write and their read, so
// no wake-up is lost.  A wake-up that finds nobody asleep stays pending
// and is taken (and ignored) with the core's next interrupts.
#include "lock.h"
#include "cpu.h"
#include "gic.h"

#define SPINS_BEFORE_SLEEP 4096

static bool served(struct ticket_lock *l, uint32_t ticket)
{
    return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == ticket;
}

void lock_take(struct ticket_lock *l)
{
    uint32_t t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    if (served(l, t))
        return; // the usual case: nobody holds it
    unsigned me = cpu_index();
    for (unsigned spins = 0; !served(l, t); spins++) {
        // A core whose GIC is not set up yet (coming up) can only spin.
        if (spins < SPINS_BEFORE_SLEEP || !cpus[me].online)
            continue;
        __atomic_fetch_or(&l->sleepers, 1u << me, __ATOMIC_SEQ_CST);
        __asm__ volatile("dsb ish" ::: "memory");
        if (!served(l, t))
            __asm__ volatile("wfi" ::: "memory");
        __atomic_fetch_and(&l->sleepers, ~(1u << me), __ATOMIC_SEQ_CST);
        gic_take_wake();
    }
}

void lock_give(struct ticket_lock *l)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
    __asm__ volatile("dsb ish" ::: "memory");
    uint32_t sleepers = __atomic_load_n(&l->sleepers, __ATOMIC_SEQ_CST);
    if (sleepers)
        cpu_wake(sleepers);
}
