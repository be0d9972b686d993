// SPDX-License-Identifier: BSD-2-Clause
// Starting the other cores, and signalling one.  The firmware's PSCI (QEMU's
// own, or ATF on the MaaXBoard) is reached with SMC, as the kernel runs at
// EL2; each core enters at secondary_entry (entry.S) with its MMU off, on
// its own stack.
#include <stdint.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "semihost.h"

#define PSCI_CPU_ON_64 0xc4000003u
#define KERNEL_STACK   16384 // entry.S indexes kernel_stacks with this size

struct cpu cpus[SG_MAX_CPUS];
unsigned ncpus;
uint8_t kernel_stacks[SG_MAX_CPUS][KERNEL_STACK] __attribute__((aligned(16)));
_Static_assert(sizeof(kernel_stacks[0]) == KERNEL_STACK, "entry.S: kernel stack size");

extern char secondary_entry[];

static int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
    register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
    register uint64_t x1 __asm__("x1") = mpidr;
    register uint64_t x2 __asm__("x2") = entry;
    register uint64_t x3 __asm__("x3") = context;
    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
                       "x15", "x16", "x17", "memory");
    return (int64_t)x0;
}

void cpu_start_secondaries(const struct sg_bootinfo *bi)
{
    for (unsigned i = 1; i < bi->ncpus; i++) {
        int64_t r = psci_cpu_on(i, (uint64_t)(uintptr_t)secondary_entry, i);
        if (r != 0) {
            kprintf("KERN|PANIC: core %u did not start (PSCI CPU_ON: %ld); the system needs "
                    "%u cores\n",
                    i, r, bi->ncpus);
            semihost_exit(3);
        }
    }
}

void cpu_wake(uint32_t mask)
{
    uint64_t sgi = (uint64_t)SGI_WAKE << 24 | (mask & 0xffff);
    __asm__ volatile("dsb ish; msr icc_sgi1r_el1, %0; isb" : : "r"(sgi) : "memory");
}

void cpu_kick(unsigned index)
{
    uint64_t sgi = (uint64_t)SGI_RESCHEDULE << 24 | 1ull << index; // Aff1..3 0, target Aff0
    __asm__ volatile("dsb ish; msr icc_sgi1r_el1, %0; isb" : : "r"(sgi) : "memory");
}
