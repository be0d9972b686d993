// SPDX-License-Identifier: BSD-2-Clause
// The one printf-style formatter of the runtime: the kernel's kprintf and
// the PDs' sg_printf differ only in where the characters go.
#ifndef RUNTIME_LIB_FORMAT_H
#define RUNTIME_LIB_FORMAT_H

#include <stdarg.h>

// %s %c %d %u %x %p %%, with l/ll on d, u and x; anything else is echoed
// as written.  Each character goes to put(ctx, c).
void sg_vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);

#endif
