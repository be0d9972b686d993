// SPDX-License-Identifier: BSD-2-Clause
// Pass 6, run: boot a built image in QEMU with the console on this
// terminal.  The command line comes from the board data (machine, CPU,
// memory) and the system (its disk, a NIC); it is printed, then run, and
// QEMU's exit status becomes sysgen's.
#ifndef SYSGEN_RUN_QEMU_H
#define SYSGEN_RUN_QEMU_H

#include "model/model.h"

#include <stdbool.h>

struct qemu_run {
    const struct board *board;
    const char *image; // loader.img
    const char *disk;  // disk.img or NULL
    bool nic;          // attach the board's NIC (user-mode networking)
    unsigned cores;    // cores the system uses (-smp when more than one)
};

// The argv (NULL-terminated, caller frees with qemu_argv_free), or NULL
// after reporting why this board cannot run in QEMU.
char **qemu_argv(const struct qemu_run *r);
void qemu_argv_free(char **argv);
// The command as one shell-quoted line (caller frees).
char *qemu_command_line(char *const argv[]);
// Print the command line on stdout (0), or say why there is none (2).
int print_qemu_command(const struct qemu_run *r);
// Print the command, run it, return QEMU's exit status (2 if it could not start).
int run_qemu(const struct qemu_run *r);

#endif
