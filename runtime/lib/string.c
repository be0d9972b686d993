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
    if ((((uintptr_t)d | (uintptr_t)s) & 15) == 0) {
        uint64_t a, b, e, f;
        for (; n >= 32; n -= 32, d += 32, s += 32)
            __asm__ volatile("ldp %0, %1, [%4]\n\tldp %2, %3, [%4, #16]\n\t"
                             "stp %0, %1, [%5]\n\tstp %2, %3, [%5, #16]"
                             : "=&r"(a), "=&r"(b), "=&r"(e), "=&r"(f)
                             : "r"(s), "r"(d)
                             : "memory");
    }
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
    // The loader zeroes whole guest RAMs: 64 bytes a loop turn when it can.
    if (c == 0 && ((uintptr_t)d & 15) == 0) {
        for (; n >= 64; n -= 64, d += 64)
            __asm__ volatile("stp xzr, xzr, [%0]\n\tstp xzr, xzr, [%0, #16]\n\t"
                             "stp xzr, xzr, [%0, #32]\n\tstp xzr, xzr, [%0, #48]"
                             :
                             : "r"(d)
                             : "memory");
    }
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
