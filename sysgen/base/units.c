// SPDX-License-Identifier: BSD-2-Clause
#include "base/units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool parse_number(const char **pp, uint64_t *out)
{
    const char *p = *pp;
    uint64_t v = 0;
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    const char *start = p;
    for (;; p++) {
        int d;
        if (isdigit((unsigned char)*p))
            d = *p - '0';
        else if (base == 16 && isxdigit((unsigned char)*p))
            d = tolower((unsigned char)*p) - 'a' + 10;
        else if (*p == '_' && p > start && isxdigit((unsigned char)p[1]))
            continue; // 0x4000_0000 reads better
        else
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (p == start)
        return false;
    *pp = p;
    *out = v;
    return true;
}

bool parse_uint(const char *text, uint64_t *out)
{
    const char *p = text;
    return parse_number(&p, out) && *p == '\0';
}

bool parse_size(const char *text, uint64_t *out)
{
    static const struct {
        const char *unit;
        uint64_t mult;
    } units[] = {{"B", 1},
                 {"KiB", 1ull << 10},
                 {"MiB", 1ull << 20},
                 {"GiB", 1ull << 30},
                 {"TiB", 1ull << 40}};
    const char *p = text;
    uint64_t v;
    if (!parse_number(&p, &v))
        return false;
    while (*p == ' ')
        p++;
    if (*p == '\0') {
        *out = v;
        return true;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(p, units[i].unit) == 0) {
            if (v > UINT64_MAX / units[i].mult)
                return false;
            *out = v * units[i].mult;
            return true;
        }
    return false;
}

const char *format_size(uint64_t v, char buf[32])
{
    if (v && v % (1ull << 30) == 0)
        snprintf(buf, 32, "%llu GiB", (unsigned long long)(v >> 30));
    else if (v && v % (1ull << 20) == 0)
        snprintf(buf, 32, "%llu MiB", (unsigned long long)(v >> 20));
    else if (v && v % (1ull << 10) == 0)
        snprintf(buf, 32, "%llu KiB", (unsigned long long)(v >> 10));
    else
        snprintf(buf, 32, "%llu bytes", (unsigned long long)v);
    return buf;
}

bool parse_ipv4(const char *s, uint32_t *out)
{
    uint32_t a = 0;
    for (int part = 0; part < 4; part++) {
        if (part && *s++ != '.')
            return false;
        unsigned v = 0, digits = 0;
        for (; isdigit((unsigned char)*s) && digits < 4; s++, digits++)
            v = v * 10 + (unsigned)(*s - '0');
        if (!digits || digits > 3 || v > 255)
            return false;
        a = a << 8 | v;
    }
    *out = a;
    return *s == '\0';
}

const char *format_ipv4(uint32_t a, char buf[16])
{
    snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
    return buf;
}
