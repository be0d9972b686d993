// SPDX-License-Identifier: BSD-2-Clause
// A tiny bare-metal guest for the VM tests: entered at EL1 with the MMU
// off, it sets up a stack and FP access, and runs guest_main.
    .arch armv8-a+fp+simd
    .section .text.start, "ax"
    .global _start
_start:
    ldr     x1, =guest_stack_top
    mov     sp, x1
    mov     x1, #(3 << 20)          // CPACR_EL1.FPEN: FP/SIMD at EL1 allowed
    msr     cpacr_el1, x1
    isb
    bl      guest_main
1:  wfi
    b       1b

// fp_survives_trap(mmio): put a value in d7, make a trapping MMIO read, and
// say whether d7 still holds it.  The VMM (a PD) runs in between.
    .text
    .global fp_survives_trap
fp_survives_trap:
    fmov    d7, #1.5
    ldr     w1, [x0]                // traps to the VMM
    fmov    d6, #1.5
    fcmp    d6, d7
    cset    x0, eq
    ret

// EL1 vectors: IRQs (current EL, SP_EL1) go to irq_handler; anything
// else is a guest bug and parks the vCPU.
    .balign 0x800
    .global guest_vectors
guest_vectors:
    .rept 5
    .balign 0x80
    b       .
    .endr
    .balign 0x80                    // 0x280: IRQ, current EL with SP_ELx
    stp     x29, x30, [sp, #-16]!
    stp     x0, x1, [sp, #-16]!
    stp     x2, x3, [sp, #-16]!
    stp     x4, x5, [sp, #-16]!
    stp     x6, x7, [sp, #-16]!
    stp     x8, x9, [sp, #-16]!
    stp     x10, x11, [sp, #-16]!
    stp     x12, x13, [sp, #-16]!
    stp     x14, x15, [sp, #-16]!
    stp     x16, x17, [sp, #-16]!
    stp     x18, xzr, [sp, #-16]!
    bl      irq_handler
    ldp     x18, xzr, [sp], #16
    ldp     x16, x17, [sp], #16
    ldp     x14, x15, [sp], #16
    ldp     x12, x13, [sp], #16
    ldp     x10, x11, [sp], #16
    ldp     x8, x9, [sp], #16
    ldp     x6, x7, [sp], #16
    ldp     x4, x5, [sp], #16
    ldp     x2, x3, [sp], #16
    ldp     x0, x1, [sp], #16
    ldp     x29, x30, [sp], #16
    eret
    .rept 10
    .balign 0x80
    b       .
    .endr

// psci(fn): a PSCI call through hvc, as Linux makes it.
    .global psci
psci:
    hvc     #0
    ret

    .bss
    .balign 16
    .space  4096
guest_stack_top:
