// SPDX-License-Identifier: BSD-2-Clause
// Debug output.  Text goes through the IPC buffer's dbg area, one hypercall
// per chunk, so a line from one PD is never split by another PD's output.
#include <stdarg.h>
#include <microkit.h>
#include "hvc.h"
#include "lib/format.h"

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

static void put_out(void *ctx, char c)
{
    emit(ctx, c);
}

void sg_printf(const char *fmt, ...)
{
    struct out o = {0};
    va_list ap;
    va_start(ap, fmt);
    sg_vformat(put_out, &o, fmt, ap);
    va_end(ap);
    flush(o.n);
}
