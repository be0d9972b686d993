// SPDX-License-Identifier: BSD-2-Clause
// The one way a PD enters the kernel.
#ifndef LIBMICROKIT_HVC_H
#define LIBMICROKIT_HVC_H

#include <stdint.h>

struct hvc_ret {
    uint64_t x0, x1, x2;
};

static inline struct hvc_ret sg_hvc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x8 __asm__("x8") = nr;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : "r"(x8) : "memory");
    return (struct hvc_ret){x0, x1, x2};
}

#endif
