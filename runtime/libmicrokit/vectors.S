// SPDX-License-Identifier: BSD-2-Clause
// EL1 vectors of every PD.  Undefined instructions, alignment faults and the
// like are taken at EL1, not by the kernel; these vectors pass them on with
// SG_SYS_FAULT so the kernel can stop the PD and tell its parent.  The PD
// is dead at this point: no register needs saving.
    .text
.macro REPORT
    .balign 0x80
    mrs     x0, esr_el1
    mrs     x1, far_el1
    mrs     x2, elr_el1
    mov     x8, #7                  // SG_SYS_FAULT
    hvc     #0
    b       .
.endm

    .balign 0x800
    .global sg_el1_vectors
sg_el1_vectors:
    .rept 16
    REPORT
    .endr
