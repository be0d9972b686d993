// SPDX-License-Identifier: BSD-2-Clause
// Says it is up, then waits for events that never come: a run that only
// ends when someone stops QEMU (tests/suites/35-run-qemu.sh).
#include <microkit.h>

void init(void)
{
    sg_printf("%s: up, waiting forever\n", microkit_name);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
