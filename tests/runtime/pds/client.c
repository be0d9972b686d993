// SPDX-License-Identifier: BSD-2-Clause
// Protected procedure calls with a payload: sends four words and a label,
// checks the server's reply (their sum, label + 1), then checks that a call
// on a channel without pp rights and on a bad id fail with an error.
#include <microkit.h>

#define SERVER      1
#define NOTIFY_ONLY 2

void init(void)
{
    for (unsigned round = 1; round <= 3; round++) {
        for (unsigned i = 0; i < 4; i++)
            microkit_mr_set(i, round * 10 + i);
        microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(7, 4));
        uint64_t want = 4 * round * 10 + 0 + 1 + 2 + 3;
        if (microkit_msginfo_get_label(reply) != 8 || microkit_msginfo_get_count(reply) != 1 ||
            microkit_mr_get(0) != want) {
            sg_printf("client: bad reply label %lu count %lu mr0 %lu (want %lu)\n",
                      microkit_msginfo_get_label(reply), microkit_msginfo_get_count(reply),
                      microkit_mr_get(0), want);
            sg_dbg_exit(1);
        }
        sg_printf("client: ppcall %u replied sum %lu\n", round, microkit_mr_get(0));
    }
    long e1 = (long)microkit_ppcall(NOTIFY_ONLY, microkit_msginfo_new(0, 0));
    long e2 = (long)microkit_ppcall(40, microkit_msginfo_new(0, 0));
    sg_printf("client: ppcall without pp right -> %d, on unknown id -> %d\n", (int)e1, (int)e2);
    sg_dbg_exit(e1 == SG_E_NOPERM && e2 == SG_E_BADCH ? 0 : 1);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
