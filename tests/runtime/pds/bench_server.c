// SPDX-License-Identifier: BSD-2-Clause
// Benchmark peer: answers protected calls with one word and notifications
// with a notification.
#include <microkit.h>

#define CLIENT 1

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch == CLIENT)
        microkit_notify(CLIENT);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(0, 1);
}
