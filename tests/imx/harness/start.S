// SPDX-License-Identifier: BSD-2-Clause
// Entry of an i.MX driver test program on QEMU's mcimx7d-sabre (32-bit
// Arm, Cortex-A7).  QEMU's -kernel enters here in SVC mode with the MMU
// and caches off and interrupts masked: set a stack, clear .bss, run
// main(), and end QEMU with main's result as its exit status.
    .syntax unified
    .arm
    .section .text.start, "ax"
    .global _start
_start:
    ldr sp, =__stack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    bl main
    bl h_exit
2:  b 2b
