// SPDX-License-Identifier: BSD-2-Clause
#include "format.h"

#include <stdint.h>

static void put_num(void (*put)(void *, char), void *ctx, uint64_t v, unsigned base)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (i--)
        put(ctx, buf[i]);
}

void sg_vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(ctx, *p);
            continue;
        }
        int is_long = 0;
        while (*++p == 'l')
            is_long = 1;
        switch (*p) {
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                put(ctx, *s);
            break;
        case 'c':
            put(ctx, (char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (v < 0)
                put(ctx, '-');
            put_num(put, ctx, v < 0 ? (uint64_t)-v : (uint64_t)v, 10);
            break;
        }
        case 'u':
            put_num(put, ctx, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10);
            break;
        case 'x':
            put_num(put, ctx, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16);
            break;
        case 'p':
            put(ctx, '0');
            put(ctx, 'x');
            put_num(put, ctx, (uintptr_t)va_arg(ap, void *), 16);
            break;
        case '%':
            put(ctx, '%');
            break;
        case '\0': // a lone '%' ends the format
            return;
        default:
            put(ctx, '%');
            put(ctx, *p);
            break;
        }
    }
}
