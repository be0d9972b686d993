// SPDX-License-Identifier: BSD-2-Clause
#include "base/diag.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diag {
    enum diag_level level;
    struct pos pos;
    int seq; // order of report: ties on position keep it
    char *msg;
};

static struct diag *diags;
static int ndiags, capdiags, nerrors;
static struct strbuf peek;

void diag_report(enum diag_level level, struct pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);

    if (ndiags == capdiags) {
        capdiags = capdiags ? capdiags * 2 : 16;
        diags = xrealloc(diags, (size_t)capdiags * sizeof(*diags));
    }
    // keep our own copy of the file name: the model may be gone by print time
    pos.file = pos.file ? xstrdup(pos.file) : NULL;
    diags[ndiags] = (struct diag){level, pos, ndiags, msg};
    ndiags++;
    if (level == DIAG_ERROR)
        nerrors++;
}

void fatal_error(const char *fmt, ...)
{
    va_list ap;
    fputs("sysgen: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    nerrors++;
}

void plain_warning(const char *fmt, ...)
{
    va_list ap;
    fputs("sysgen: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int diag_error_count(void)
{
    return nerrors;
}

static int cmp_diag(const void *a, const void *b)
{
    const struct diag *x = a, *y = b;
    int c = strcmp(x->pos.file ? x->pos.file : "", y->pos.file ? y->pos.file : "");
    if (c)
        return c;
    if (x->pos.line != y->pos.line)
        return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col)
        return x->pos.col < y->pos.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void format_all(struct strbuf *sb)
{
    if (ndiags == 0)
        return;
    qsort(diags, (size_t)ndiags, sizeof(*diags), cmp_diag);
    for (int i = 0; i < ndiags; i++) {
        const struct diag *d = &diags[i];
        const char *lvl = d->level == DIAG_ERROR ? "error" : "warning";
        if (d->pos.line > 0)
            sb_printf(sb, "%s:%d:%d: %s: %s\n", d->pos.file, d->pos.line, d->pos.col, lvl, d->msg);
        else
            sb_printf(sb, "%s: %s: %s\n", d->pos.file ? d->pos.file : "sysgen", lvl, d->msg);
    }
}

void diag_flush(FILE *out)
{
    struct strbuf sb;
    sb_init(&sb);
    format_all(&sb);
    fputs(sb.data, out);
    sb_free(&sb);
    for (int i = 0; i < ndiags; i++) {
        free(diags[i].msg);
        free((char *)diags[i].pos.file);
    }
    ndiags = 0;
}

const char *diag_peek(void)
{
    if (peek.data)
        sb_free(&peek);
    sb_init(&peek);
    format_all(&peek);
    return peek.data;
}

void diag_reset(void)
{
    for (int i = 0; i < ndiags; i++) {
        free(diags[i].msg);
        free((char *)diags[i].pos.file);
    }
    ndiags = 0;
    nerrors = 0;
}
