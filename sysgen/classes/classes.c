// SPDX-License-Identifier: BSD-2-Clause
// The table of device classes, and what the system's use of them implies.
#include "classes/class.h"

extern const struct device_class class_serial, class_block, class_net, class_vsock;

const struct device_class *const device_classes[CLASS_COUNT] = {
    [CLASS_CONSOLE] = &class_serial,
    [CLASS_BLOCK] = &class_block,
    [CLASS_NET] = &class_net,
    [CLASS_VSOCK] = &class_vsock,
};

bool system_uses(const struct system *sys, enum device_class_id c)
{
    for (size_t i = 0; i < sys->nguests; i++)
        if (guest_has(&sys->guests[i], c))
            return true;
    return false;
}

static size_t users(const struct system *sys, enum device_class_id c)
{
    size_t n = 0;
    for (size_t i = 0; i < sys->nguests; i++)
        n += guest_has(&sys->guests[i], c);
    return n;
}

bool class_driverless(const struct system *sys, const struct device_class *c)
{
    return c->driverless && c->driverless(sys);
}

bool class_has_driver(const struct system *sys, const struct device_class *c)
{
    return c->board_device && !class_driverless(sys, c);
}

size_t system_pd_count(const struct system *sys)
{
    size_t n = sys->nguests; // one VMM each
    for (int i = 0; i < CLASS_COUNT; i++) {
        const struct device_class *c = device_classes[i];
        size_t u = users(sys, c->id);
        if (u)
            n += c->npds - class_driverless(sys, c) + (c->guest_pd ? u : 0);
    }
    return n;
}

size_t vmm_channel_count(const struct system *sys, const struct guest *g)
{
    size_t n = 0;
    for (int i = 0; i < CLASS_COUNT; i++) {
        const struct device_class *c = device_classes[i];
        if (guest_has(g, c->id))
            n += c->vmm_channels + (c->vmm_channel_per_peer ? users(sys, c->id) - 1 : 0);
    }
    return n;
}
