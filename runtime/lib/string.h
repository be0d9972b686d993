// SPDX-License-Identifier: BSD-2-Clause
// The few string functions freestanding code needs (and that the compiler
// may call on its own for struct copies).
#ifndef RUNTIME_LIB_STRING_H
#define RUNTIME_LIB_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
