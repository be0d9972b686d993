// SPDX-License-Identifier: BSD-2-Clause
#ifndef SYSGEN_BASE_ARRAY_H
#define SYSGEN_BASE_ARRAY_H

// The number of elements of an array (not a pointer).
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
