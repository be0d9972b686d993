// SPDX-License-Identifier: BSD-2-Clause
// The cores.  Each runs the threads (PDs and vCPUs) whose boot info names
// it, with its own GIC redistributor, timeslice and scheduling turns; they
// share everything else under one lock (lock.h).  A core is known by its
// MPIDR Aff0 (both boards: one cluster, Aff0 0..cores-1).
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>

struct pd;

struct cpu {
    unsigned index;
    // The thread whose registers (EL1, FP, virtual CPU interface) are on
    // this core: the one running, or the last one if the core idles with
    // it still runnable.  Any other thread's state is in memory, where
    // another core may change it.
    struct pd *loaded;
    uintptr_t gicr;     // this core's redistributor
    uint64_t slice_end; // counter value the timeslice ends at
    uint8_t turn[256];  // per priority: the PD index the scheduler's scan starts at
    bool online;
};

extern struct cpu cpus[SG_MAX_CPUS];
extern unsigned ncpus;

static inline unsigned cpu_index(void)
{
    uint64_t mpidr;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    return (unsigned)(mpidr & 0xff);
}

static inline struct cpu *this_cpu(void)
{
    return &cpus[cpu_index()];
}

// Boot core: start cores 1..ncpus-1 (PSCI CPU_ON through the firmware).
void cpu_start_secondaries(const struct sg_bootinfo *bi);
// Make core `index` take an interrupt (SGI 0) so that it schedules again:
// something changed for a thread of its.
void cpu_kick(unsigned index);
// Wake the cores in `mask` (bit c: core c) from WFI in lock_take (SGI 1).
void cpu_wake(uint32_t mask);

#define SGI_RESCHEDULE 0
#define SGI_WAKE       1 // above every other interrupt's priority (gic.c)

#endif
