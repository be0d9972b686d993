// SPDX-License-Identifier: BSD-2-Clause
// What every serial component does first: check the config sysgen wrote
// into its .sysgen_config section, and turn connections into rings.
#ifndef DRIVERS_SERIAL_CONFIG_H
#define DRIVERS_SERIAL_CONFIG_H

#include <microkit.h>
#include <sysgen/config.h>
#include <sysgen/config_check.h>
#include <sysgen/serial_queue.h>

static inline bool serial_ring(const struct sysgen_conn *c, struct sg_serial_ring *r)
{
    if (!c->queue_vaddr || !sg_serial_size_ok(c->data_size) ||
        c->queue_size < sizeof(struct sg_serial_queue))
        return false;
    r->q = (volatile struct sg_serial_queue *)c->queue_vaddr;
    r->data = (volatile char *)c->data_vaddr;
    r->size = (uint32_t)c->data_size;
    return true;
}

#endif
