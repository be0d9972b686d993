// SPDX-License-Identifier: BSD-2-Clause
// The tiny guest's flat binary, carried inside the test VMM.
    .section .rodata
    .balign 8
    .global guest_blob, guest_blob_end
guest_blob:
    .incbin GUEST_BIN
guest_blob_end:
