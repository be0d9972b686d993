// SPDX-License-Identifier: BSD-2-Clause
// What every block component does first: check the config sysgen wrote
// into its .sysgen_config section, and turn connections into queue ends.
#ifndef DRIVERS_BLK_CONFIG_H
#define DRIVERS_BLK_CONFIG_H

#include <microkit.h>
#include <sysgen/blk_queue.h>
#include <sysgen/config.h>
#include <sysgen/config_check.h>

// A usable connection: a queue page big enough for the rings and a data
// region of whole sectors.  The indices are not reset here: the peer may
// already have queued requests (PDs start in any order, memory starts zero).
static inline bool blk_end(const struct sysgen_conn *c, struct sg_blk_end *e)
{
    if (!c->queue_vaddr || c->queue_size < sizeof(struct sg_blk_queue) || !c->data_vaddr ||
        c->data_size < SG_BLK_SECTOR)
        return false;
    e->q = (volatile struct sg_blk_queue *)c->queue_vaddr;
    e->own_req = e->own_resp = 0;
    return true;
}

#endif
