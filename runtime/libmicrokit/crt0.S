// SPDX-License-Identifier: BSD-2-Clause
// A PD's first instructions: the kernel enters at EL1 with x0 = the IPC
// buffer's address and SP_EL1 = the stack top.  Install the fault vectors
// before any C code runs, so even init()'s faults reach the kernel.
    .section .text.start, "ax"
    .global _start
_start:
    adrp    x1, sg_el1_vectors
    add     x1, x1, :lo12:sg_el1_vectors
    msr     vbar_el1, x1
    isb
    bl      sg_main
1:  b       1b
