// SPDX-License-Identifier: BSD-2-Clause
// Little-endian fields in byte buffers (Image headers, the MBR, config
// bytes): read and written a byte at a time, so neither the host's byte
// order nor the buffer's alignment matters.
#ifndef SYSGEN_BASE_BYTES_H
#define SYSGEN_BASE_BYTES_H

#include <stddef.h>
#include <stdint.h>

// The n-byte (n <= 8) little-endian value at p.
static inline uint64_t le_get(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--)
        v = v << 8 | p[i - 1];
    return v;
}

// Store the low n bytes (n <= 8) of v at p, little-endian.
static inline void le_put(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

#endif
