// SPDX-License-Identifier: BSD-2-Clause
// The loader's first instructions.  The file starts with an arm64 Image
// header so that QEMU -kernel and U-Boot booti accept it; they enter at
// offset 0 at EL2 with the MMU off and x0 = the device tree.  Everything
// here is PC-relative: booti may place us at any 2 MiB-aligned base +
// text_offset.
    .section .text.head, "ax"
    .global _start
_start:
    b       loader_start            // code0
    .long   0                       // code1
    .quad   0x80000                 // text_offset
    .quad   0                       // image_size: written by sysgen
    .quad   0x2                     // flags: little-endian, 4 KiB pages
    .quad   0, 0, 0
    .long   0x644d5241              // "ARM\x64"
    .long   0

loader_start:
    mov     x19, x0                 // keep the DTB pointer for the kernel
    msr     daifset, #0xf
    adr     x1, loader_stack_top
    mov     sp, x1
    bl      loader_main             // copies the payload, returns the entry
    mov     x20, x0
    adr     x2, loader_bootinfo
    ldr     x0, [x2]                // x0 = boot info for the kernel
    mov     x1, x19                 // x1 = DTB
    ic      iallu                   // the copied code must be fetched fresh
    dsb     sy
    isb
    br      x20

    .section .bss, "aw", %nobits
    .balign 16
    .space  4096
loader_stack_top:
    .global loader_bootinfo
    .balign 8
loader_bootinfo:
    .space  8
