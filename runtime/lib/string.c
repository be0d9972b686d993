// SPDX-License-Identifier: BSD-2-Clause
// The kernel and loader run with the MMU off, where every access is Device
// memory and must not be unaligned: copy words only when both sides are
// aligned, bytes otherwise.  The loader moves whole guest kernels with this.
#include <stdint.h>
#include "string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
    volatile char *d = dst; // volatile: stop gcc turning this into a memcpy call
    const char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(volatile uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    volatile char *d = dst;
    if (((uintptr_t)d & 7) == 0) {
        uint64_t w = 0x0101010101010101ull * (uint8_t)c;
        for (; n >= 8; n -= 8, d += 8)
            *(volatile uint64_t *)d = w;
    }
    while (n--)
        *d++ = (char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
