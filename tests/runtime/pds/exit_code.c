// SPDX-License-Identifier: BSD-2-Clause
// Ends the run with exit code 7, so a test can see `sysgen --run-qemu`
// hand QEMU's exit status on (tests/suites/35-run-qemu.sh).
#include <microkit.h>

void init(void)
{
    sg_printf("%s: ending the run with code 7\n", microkit_name);
    sg_dbg_exit(7);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
