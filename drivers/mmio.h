// SPDX-License-Identifier: BSD-2-Clause
// Register access for drivers whose register logic is portable C, built
// for the aarch64 driver PD, for the 32-bit Arm test programs that run it
// against QEMU's device models (tests/imx/), and for host tests against
// register models: 32-bit accesses at a byte offset from a base.  A host
// test defines DRIVER_MMIO_MODEL and supplies the two functions, so every
// access goes through its model.
#ifndef DRIVERS_MMIO_H
#define DRIVERS_MMIO_H

#include <stdint.h>

#ifdef DRIVER_MMIO_MODEL
uint32_t mmio_read32(volatile void *base, uint32_t off);
void mmio_write32(volatile void *base, uint32_t off, uint32_t v);
#else
static inline uint32_t mmio_read32(volatile void *base, uint32_t off)
{
    return *(volatile uint32_t *)((volatile uint8_t *)base + off);
}

static inline void mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}
#endif

static inline void mmio_set32(volatile void *base, uint32_t off, uint32_t bits)
{
    mmio_write32(base, off, mmio_read32(base, off) | bits);
}

static inline void mmio_clear32(volatile void *base, uint32_t off, uint32_t bits)
{
    mmio_write32(base, off, mmio_read32(base, off) & ~bits);
}

#endif
