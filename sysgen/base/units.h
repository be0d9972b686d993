// SPDX-License-Identifier: BSD-2-Clause
// Sizes and numbers as people write them in YAML: "256 MiB", 0x1000, 4096.
#ifndef SYSGEN_UNITS_H
#define SYSGEN_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

// Parse a size: a decimal or 0x-hex integer, optionally followed (space
// allowed) by B, KiB, MiB, GiB or TiB.  false on syntax error or overflow.
bool parse_size(const char *text, uint64_t *out);
// Parse a plain decimal or 0x-hex integer.
bool parse_uint(const char *text, uint64_t *out);
// "256 MiB" when exact, else "0x..." : for reports and messages.
const char *format_size(uint64_t v, char buf[32]);
// An IPv4 address in dotted decimal: four numbers 0..255 of one to three
// digits (host order in *out).  false on anything else.
bool parse_ipv4(const char *text, uint32_t *out);
// The same, back to "A.B.C.D".
const char *format_ipv4(uint32_t a, char buf[16]);

// Rounding and alignment tests; `a` is a power of two.
static inline uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}
static inline bool is_aligned(uint64_t v, uint64_t a)
{
    return (v & (a - 1)) == 0;
}

// Whether [a, a+asz) and [b, b+bsz) share a byte.
static inline bool ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

#endif
