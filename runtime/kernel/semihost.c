// SPDX-License-Identifier: BSD-2-Clause
// SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit: QEMU exits with `code`.
// Without a debugger or semihosting the HLT traps or is ignored, so the
// kernel then parks the CPU instead.
#include <stdint.h>
#include "arch.h"
#include "semihost.h"

#define SYS_EXIT                    0x18
#define ADP_STOPPED_APPLICATIONEXIT 0x20026

_Noreturn void semihost_exit(int code)
{
    uint64_t block[2] = {ADP_STOPPED_APPLICATIONEXIT, (uint64_t)(int64_t)code};
    register uint64_t x0 __asm__("x0") = SYS_EXIT;
    register uint64_t x1 __asm__("x1") = (uintptr_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    for (;;)
        wfi();
}
