// SPDX-License-Identifier: BSD-2-Clause
// Arm semihosting: how a run under QEMU -semihosting ends with an exit code.
#ifndef KERNEL_SEMIHOST_H
#define KERNEL_SEMIHOST_H

_Noreturn void semihost_exit(int code);

#endif
