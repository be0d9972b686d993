// SPDX-License-Identifier: BSD-2-Clause
// Cache maintenance around DMA, for drivers of devices that are not
// coherent with the CPU's caches (the i.MX8MQ's uSDHC and FEC; QEMU models
// every device as coherent, so nothing there shows a missing call).
//
//   dma_clean       before the device reads memory the CPU wrote:
//                   descriptors, and data to send or to write to disk
//   dma_invalidate  before the CPU reads memory the device wrote (and
//                   before the transfer, so that no dirty line is evicted
//                   over the device's data)
//
// On aarch64 these are DC CVAC / DC CIVAC over each cache line (line size
// from CTR_EL0), then DSB: a PD runs at EL1, where both are allowed.
// Invalidation cleans as well, so a line shared with a neighbouring buffer
// never loses that neighbour's writes.  On
// the 32-bit test programs the MMU and caches are off: nothing to do.
// Host tests define DRIVER_MMIO_MODEL and supply the functions, so a model
// can check the calls (descriptors cleaned before the doorbell, ...).
//
//   dma_barrier     between writing descriptors in uncached memory and the
//                   register write that tells the device to read them (and
//                   between reading a descriptor's ownership bit and the
//                   rest of it): a DSB, which orders all memory types
#ifndef DRIVERS_DMA_H
#define DRIVERS_DMA_H

#include <stddef.h>
#include <stdint.h>

#if defined(DRIVER_MMIO_MODEL)
void dma_clean(const volatile void *va, size_t len);
void dma_invalidate(const volatile void *va, size_t len);
static inline void dma_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}
#elif defined(__aarch64__)
static inline uintptr_t dma_line_size(void)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    return (uintptr_t)4 << ((ctr >> 16) & 0xf); // DminLine: log2 of words
}

static inline void dma_clean(const volatile void *va, size_t len)
{
    uintptr_t line = dma_line_size(), p = (uintptr_t)va & ~(line - 1);
    for (uintptr_t end = (uintptr_t)va + len; p < end; p += line)
        __asm__ volatile("dc cvac, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void dma_invalidate(const volatile void *va, size_t len)
{
    uintptr_t line = dma_line_size(), p = (uintptr_t)va & ~(line - 1);
    for (uintptr_t end = (uintptr_t)va + len; p < end; p += line)
        __asm__ volatile("dc civac, %0" ::"r"(p) : "memory"); // clean too: never lose a neighbour's line
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void dma_barrier(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}
#else
static inline void dma_clean(const volatile void *va, size_t len)
{
    (void)va;
    (void)len;
    __asm__ volatile("" ::: "memory");
}

static inline void dma_invalidate(const volatile void *va, size_t len)
{
    (void)va;
    (void)len;
    __asm__ volatile("" ::: "memory");
}

static inline void dma_barrier(void)
{
    __asm__ volatile("dsb" ::: "memory");
}
#endif

#endif
