// SPDX-License-Identifier: BSD-2-Clause
// Kernel entry, the EL2 vector table and the PD trap path.
//
// The kernel is not re-entrant: it runs with all exceptions masked and is
// entered only from a PD (or, on a bug, from itself).  On a trap from a PD
// the registers go straight into the current PD's struct ctx, whose address
// TPIDR_EL2 (one per core) holds; the C handler returns the ctx to resume,
// whose address then goes back into TPIDR_EL2.  Each core has its own
// stack, empty between traps.

    .section .text.head, "ax"
    .global _start
_start:                             // x0 = boot info, x1 = DTB (from the loader)
    msr     daifset, #0xf
    ldr     x2, =kernel_stacks + 16384  // core 0's stack (cpu.c: KERNEL_STACK)
    mov     sp, x2
    ldr     x2, =el2_vectors
    msr     vbar_el2, x2
    isb
    bl      kernel_main
1:  wfi
    b       1b

// Another core, started by PSCI CPU_ON with x0 = its index: at EL2, MMU
// off, on the stack kernel_stacks[index].
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    ldr     x1, =kernel_stacks
    add     x2, x0, #1
    mov     x3, #16384              // cpu.c: KERNEL_STACK
    madd    x1, x2, x3, x1
    mov     sp, x1
    ldr     x2, =el2_vectors
    msr     vbar_el2, x2
    isb
    bl      secondary_main
2:  wfi
    b       2b

    .text
// x2..x30 to or from a frame at \base laid out as struct ctx (ctx.h):
// x[n] at 8 * n.  x0, x1, ELR and SPSR are each path's own business.
.macro SAVE_X2_X30 base
    stp     x2, x3, [\base, #16]
    stp     x4, x5, [\base, #32]
    stp     x6, x7, [\base, #48]
    stp     x8, x9, [\base, #64]
    stp     x10, x11, [\base, #80]
    stp     x12, x13, [\base, #96]
    stp     x14, x15, [\base, #112]
    stp     x16, x17, [\base, #128]
    stp     x18, x19, [\base, #144]
    stp     x20, x21, [\base, #160]
    stp     x22, x23, [\base, #176]
    stp     x24, x25, [\base, #192]
    stp     x26, x27, [\base, #208]
    stp     x28, x29, [\base, #224]
    str     x30, [\base, #240]
.endm

.macro LOAD_X2_X30 base
    ldp     x2, x3, [\base, #16]
    ldp     x4, x5, [\base, #32]
    ldp     x6, x7, [\base, #48]
    ldp     x8, x9, [\base, #64]
    ldp     x10, x11, [\base, #80]
    ldp     x12, x13, [\base, #96]
    ldp     x14, x15, [\base, #112]
    ldp     x16, x17, [\base, #128]
    ldp     x18, x19, [\base, #144]
    ldp     x20, x21, [\base, #160]
    ldp     x22, x23, [\base, #176]
    ldp     x24, x25, [\base, #192]
    ldp     x26, x27, [\base, #208]
    ldp     x28, x29, [\base, #224]
    ldr     x30, [\base, #240]
.endm

// Current EL with SP_EL0 never happens (SPSel is 1 at EL2), but fill it.
.macro VENTRY label
    .balign 0x80
    b       \label
.endm

// From a PD: stash x0/x1 on the kernel stack, note the kind, go save.
.macro VLOWER kind
    .balign 0x80
    stp     x0, x1, [sp, #-16]!
    mov     x1, #\kind
    b       trap_save
.endm

.macro VCUR kind
    .balign 0x80
    sub     sp, sp, #256
    stp     x0, x1, [sp, #0]
    mov     x1, #\kind
    b       el2_save
.endm

    .balign 0x800
    .global el2_vectors
el2_vectors:
    VENTRY  el2_hang                // current EL, SP_EL0
    VENTRY  el2_hang
    VENTRY  el2_hang
    VENTRY  el2_hang
    VCUR    0                       // current EL, SP_EL2: kernel bug or self-test
    VCUR    1
    VCUR    2
    VCUR    3
    VLOWER  0                       // lower EL, AArch64: the PDs
    VLOWER  1
    VLOWER  2
    VLOWER  3
    VENTRY  el2_hang                // lower EL, AArch32: never enabled
    VENTRY  el2_hang
    VENTRY  el2_hang
    VENTRY  el2_hang

el2_hang:
    wfi
    b       el2_hang

trap_save:
    mrs     x0, tpidr_el2
    SAVE_X2_X30 x0
    ldp     x2, x3, [sp], #16       // the PD's x0, x1
    stp     x2, x3, [x0, #0]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x2, x3, [x0, #248]
    bl      trap_entry              // x0 = ctx, x1 = kind -> x0 = ctx to resume

    .global ctx_restore
ctx_restore:                        // x0 = ctx
    msr     tpidr_el2, x0
    ldp     x2, x3, [x0, #248]
    msr     elr_el2, x2
    msr     spsr_el2, x3
    LOAD_X2_X30 x0
    ldp     x0, x1, [x0, #0]
    eret

el2_save:                           // frame of 256 bytes on the stack
    SAVE_X2_X30 sp
    mov     x0, sp
    bl      el2_exception           // returns only for the self-test
    LOAD_X2_X30 sp
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #256
    eret

