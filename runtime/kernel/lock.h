// SPDX-License-Identifier: BSD-2-Clause
// The kernel lock: one ticket lock, held by a core from the moment a trap
// has saved its thread's registers until it returns to a thread, and
// dropped only to wait for interrupts.  It protects everything the kernel
// shares between cores: every thread's state and saved registers, the
// virtual GICs, the IRQ owner table, the console.  The kernel never
// blocks while holding it, and never nests it.
//
// A core that waits spins a little, then sleeps in WFI until the core
// that gives the lock away wakes it with an SGI (lock.c): on QEMU, where
// cores are host threads and WFE does not sleep, a spinning waiter would
// keep the lock's holder off the host's CPUs.
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H

#include <stdint.h>

struct ticket_lock {
    uint32_t next;     // the ticket the next core to arrive takes
    uint32_t owner;    // the ticket being served
    uint32_t sleepers; // bit c: core c waits asleep
};

extern struct ticket_lock kernel_lock;

void lock_take(struct ticket_lock *l);
void lock_give(struct ticket_lock *l);

#endif
