// SPDX-License-Identifier: BSD-2-Clause
#include "harness.h"

#include <stdarg.h>

// Arm semihosting (Arm IHI 0057): in A32 state the call is SVC 0x123456
// with the operation in r0 and its argument block in r1.
#define SYS_WRITE0         0x04
#define SYS_GET_CMDLINE    0x15
#define SYS_EXIT_EXTENDED  0x20
#define ADP_APPLICATION_EXIT 0x20026

static long semihost(long op, const void *arg)
{
    register long r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void h_puts(const char *s)
{
    semihost(SYS_WRITE0, s);
}

const char *h_cmdline(void)
{
    static char buf[256];
    static uint32_t block[2];
    block[0] = (uint32_t)buf;
    block[1] = sizeof(buf);
    if (semihost(SYS_GET_CMDLINE, block) != 0)
        buf[0] = '\0';
    // QEMU puts the program's path first, then -append's text.
    const char *s = buf;
    while (*s && *s != ' ')
        s++;
    return *s ? s + 1 : s;
}

bool h_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

void h_exit(int status)
{
    // The extended call carries an exit status; QEMU exits with it.
    uint32_t block[2] = {ADP_APPLICATION_EXIT, (uint32_t)status};
    semihost(SYS_EXIT_EXTENDED, block);
    for (;;)
        ;
}

// ---- formatting ------------------------------------------------------------

struct out {
    char buf[256];
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 >= sizeof(o->buf)) {
        o->buf[o->len] = '\0';
        h_puts(o->buf);
        o->len = 0;
    }
    o->buf[o->len++] = c;
}

static void put_num(struct out *o, unsigned long long v, unsigned base, int width, bool neg)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        put(o, '-');
    for (int i = n; i < width; i++)
        put(o, '0');
    while (n)
        put(o, digits[--n]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(o, *fmt);
            continue;
        }
        fmt++;
        bool alt = *fmt == '#';
        if (alt)
            fmt++;
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int longs = 0;
        while (*fmt == 'l')
            longs++, fmt++;
        bool size = *fmt == 'z';
        if (size)
            fmt++;
        unsigned long long u;
        switch (*fmt) {
        case 's':
            for (const char *s = va_arg(ap, const char *); s && *s; s++)
                put(o, *s);
            break;
        case 'c':
            put(o, (char)va_arg(ap, int));
            break;
        case 'd': {
            long long v = longs == 2 ? va_arg(ap, long long)
                          : longs    ? va_arg(ap, long)
                                     : va_arg(ap, int);
            put_num(o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, 10, width,
                    v < 0);
        } break;
        case 'u':
        case 'x':
            u = longs == 2 ? va_arg(ap, unsigned long long)
                : longs || size ? va_arg(ap, unsigned long)
                                : va_arg(ap, unsigned);
            if (alt && *fmt == 'x') {
                put(o, '0');
                put(o, 'x');
            }
            put_num(o, u, *fmt == 'x' ? 16 : 10, width, false);
            break;
        case '%':
            put(o, '%');
            break;
        default:
            put(o, '?');
        }
    }
}

static void vprint(const char *fmt, va_list ap)
{
    struct out o = {.len = 0};
    format(&o, fmt, ap);
    o.buf[o.len] = '\0';
    h_puts(o.buf);
}

void h_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

// ---- TAP -------------------------------------------------------------------

static int failures;

bool h_ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    h_puts(cond ? "ok - " : "not ok - ");
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    h_puts("\n");
    failures += !cond;
    return cond;
}

int h_done(void)
{
    return failures > 125 ? 125 : failures;
}

// ---- time ------------------------------------------------------------------

uint64_t h_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb; mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi)); // CNTPCT
    return (uint64_t)hi << 32 | lo;
}

uint64_t h_ticks_per_us(void)
{
    uint32_t frq;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq)); // CNTFRQ
    return frq / 1000000 ? frq / 1000000 : 1;
}

void h_delay_us(uint32_t us)
{
    uint64_t end = h_now() + us * h_ticks_per_us();
    while (h_now() < end)
        ;
}

// ---- memory (the compiler may call these for struct copies) -----------------

void *h_memset(void *d, int c, size_t n)
{
    volatile uint8_t *p = d;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *h_memcpy(void *d, const void *s, size_t n)
{
    volatile uint8_t *p = d;
    const uint8_t *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int h_memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memset(void *d, int c, size_t n)
{
    return h_memset(d, c, n);
}

void *memcpy(void *d, const void *s, size_t n)
{
    return h_memcpy(d, s, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
    return h_memcmp(a, b, n);
}
