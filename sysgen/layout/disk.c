// SPDX-License-Identifier: BSD-2-Clause
// Where partitions start on the disk.
#include "layout/layout.h"

void place_partitions(struct system *sys)
{
    struct disk *d = &sys->disk;
    if (!d->present || !sys->board)
        return;
    uint64_t next = sys->board->disk_first_offset;
    for (size_t i = 0; i < d->nparts; i++) {
        struct partition *p = &d->parts[i];
        if (!p->start_given)
            p->start = align_up(next, MiB);
        next = p->start + p->size;
    }
}
