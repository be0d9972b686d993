// SPDX-License-Identifier: BSD-2-Clause
// The smallest PD: says who it is (its name was patched in by sysgen) and
// ends the run.
#include <microkit.h>

void init(void)
{
    sg_printf("hello from %s\n", microkit_name);
    sg_dbg_exit(0);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
