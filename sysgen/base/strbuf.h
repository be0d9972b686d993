// SPDX-License-Identifier: BSD-2-Clause
// A growable, always NUL-terminated byte buffer: how every emitter builds
// its output before it is written to disk in one go.
#ifndef SYSGEN_STRBUF_H
#define SYSGEN_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *data;
    size_t len;
    size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// Hand the buffer over to the caller (who frees it); `sb` is left empty,
// as after sb_free.
char *sb_steal(struct strbuf *sb);

// Allocation that never returns NULL: out of memory ends the program.
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
