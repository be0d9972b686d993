// SPDX-License-Identifier: BSD-2-Clause
// The kernel lock: one ticket lock, held by a core from the moment a trap
// has saved its thread's registers until it returns to a thread, and
// dropped only to wait for interrupts.  It protects everything the kernel
// shares between cores: every thread's state and saved registers, the
// virtual GICs, the IRQ owner table, the console.  The kernel never
// blocks while holding it, and never nests it.
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H

#include <stdint.h>

struct ticket_lock {
    uint32_t next;  // the ticket the next core to arrive takes
    uint32_t owner; // the ticket being served
};

extern struct ticket_lock kernel_lock;

static inline void lock_take(struct ticket_lock *l)
{
    uint32_t t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
        __asm__ volatile("wfe" ::: "memory");
}

static inline void lock_give(struct ticket_lock *l)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
    __asm__ volatile("dsb ish; sev" ::: "memory");
}

#endif
