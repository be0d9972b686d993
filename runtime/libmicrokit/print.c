// SPDX-License-Identifier: BSD-2-Clause
// Debug output.  Text goes through the IPC buffer's dbg area, one hypercall
// per chunk, so a line from one PD is never split by another PD's output.
#include <stdarg.h>
#include <microkit.h>
#include "hvc.h"

extern struct sg_ipcbuf *sg_ipcbuf;

static void flush(unsigned len)
{
    if (len)
        sg_hvc(SG_SYS_DBG_PUTS, len, 0, 0);
}

void microkit_dbg_puts(const char *s)
{
    unsigned n = 0;
    for (; *s; s++) {
        sg_ipcbuf->dbg[n++] = *s;
        if (n == SG_DBG_MAX) {
            flush(n);
            n = 0;
        }
    }
    flush(n);
}

void microkit_dbg_putc(int c)
{
    sg_ipcbuf->dbg[0] = (char)c;
    flush(1);
}

struct out {
    unsigned n;
};

static void emit(struct out *o, char c)
{
    if (o->n == SG_DBG_MAX) {
        flush(o->n);
        o->n = 0;
    }
    sg_ipcbuf->dbg[o->n++] = c;
}

static void emit_num(struct out *o, uint64_t v, unsigned base)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (i--)
        emit(o, buf[i]);
}

void sg_printf(const char *fmt, ...)
{
    struct out o = {0};
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        int is_long = 0;
        while (*++p == 'l')
            is_long = 1;
        switch (*p) {
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                emit(&o, *s);
            break;
        case 'c':
            emit(&o, (char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (v < 0)
                emit(&o, '-');
            emit_num(&o, v < 0 ? (uint64_t)-v : (uint64_t)v, 10);
            break;
        }
        case 'u':
            emit_num(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10);
            break;
        case 'x':
            emit_num(&o, is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16);
            break;
        default:
            emit(&o, '%');
            emit(&o, *p);
            break;
        }
    }
    va_end(ap);
    flush(o.n);
}
