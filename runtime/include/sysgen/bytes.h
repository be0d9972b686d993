// SPDX-License-Identifier: BSD-2-Clause
// Little- and big-endian fields in byte buffers (Image and FDT headers,
// the MBR, virtio structures, config bytes): read and written a byte at a
// time, so neither the CPU's byte order nor the buffer's alignment
// matters.  One set for the host compiler and the freestanding runtime.
#ifndef SYSGEN_BYTES_H
#define SYSGEN_BYTES_H

#include <stddef.h>
#include <stdint.h>

// The n-byte (n <= 8) little-endian value at p.
static inline uint64_t sg_le_get(const volatile uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--)
        v = v << 8 | p[i - 1];
    return v;
}

// Store the low n bytes (n <= 8) of v at p, little-endian.
static inline void sg_le_put(volatile uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

// The n-byte (n <= 8) big-endian value at p.
static inline uint64_t sg_be_get(const volatile uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

#endif
