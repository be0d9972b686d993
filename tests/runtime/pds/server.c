// SPDX-License-Identifier: BSD-2-Clause
// Serves protected calls: replies with the sum of the words it was sent.
#include <microkit.h>

void init(void)
{
    sg_printf("server: ready\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < microkit_msginfo_get_count(msginfo); i++)
        sum += microkit_mr_get(i);
    sg_printf("server: call on channel %u, label %lu, %lu words\n", ch,
              microkit_msginfo_get_label(msginfo), microkit_msginfo_get_count(msginfo));
    microkit_mr_set(0, sum);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, 1);
}
