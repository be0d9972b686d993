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

// psci(fn): a PSCI call through hvc, as Linux makes it.
    .global psci
psci:
    hvc     #0
    ret

    .bss
    .balign 16
    .space  4096
guest_stack_top:
