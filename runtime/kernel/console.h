// SPDX-License-Identifier: BSD-2-Clause
// The kernel's debug console: a UART named by boot info, write-only.
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>
#include <sysgen/bootinfo.h>

void console_init(const struct sg_bootinfo *bi);
void console_write(const char *s, size_t n);
// %s %c %d %u %x with an optional l (64-bit); %p.  Nothing else.
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
