// SPDX-License-Identifier: BSD-2-Clause
// Serves protected calls quietly: replies with the sum of the words sent
// and the label plus one.
#include <microkit.h>

void init(void)
{
    sg_printf("xserver: ready\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    uint64_t sum = 0;
    for (unsigned i = 0; i < microkit_msginfo_get_count(msginfo); i++)
        sum += microkit_mr_get(i);
    microkit_mr_set(0, sum);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, 1);
}
