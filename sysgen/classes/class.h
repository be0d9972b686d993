// SPDX-License-Identifier: BSD-2-Clause
// A device class (design §5) as one descriptor: what a guest's console:,
// block:, net: or vsock: means to every pass.  front/read.c reads the
// class's keys, check runs its rules and the limits it states, layout adds
// the PDs it lists and calls its hooks to wire them, emit names its
// virtio-mmio device.  One file per class: serial.c, block.c, net.c,
// vsock.c.  A new class is one more descriptor here and its components.
#ifndef SYSGEN_CLASSES_CLASS_H
#define SYSGEN_CLASSES_CLASS_H

#include "check/check.h"
#include "front/tree.h"
#include "layout/build.h"
#include "model/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// A protection domain a class adds.
struct class_pd {
    const char *name;   // its name; for a per-guest PD, "%s" takes the guest's
    const char *image;  // its program image; "%s" takes the board driver's name
    uint32_t priority;
    uint16_t kind;      // SYSGEN_KIND_*: its config struct
    size_t config_size; // sizeof that struct
};

#define CLASS_MAX_PDS 4

struct device_class {
    enum device_class_id id; // also its virtio-mmio slot in every guest
    const char *key;         // the YAML key; the device's name in reports and messages
    const struct object_spec *schema;
    // The board device the class's driver owns (NULL: none, as vsock), and
    // how to name it when a board lacks it.
    const struct board_device *(*board_device)(const struct board *b);
    const char *board_device_name;
    // Whether this system does without the board device, and so without
    // the class's driver (its first PD): net with network: { uplink:
    // false }.  NULL: never.
    bool (*driverless)(const struct system *sys);
    size_t max_clients; // guests of one system that can have the device
    // PDs added once when any guest has the device (the driver first),
    // and one more per guest that has it (NULL: none).
    const struct class_pd *pds;
    size_t npds;
    const struct class_pd *guest_pd;
    // Channel ids the device takes in a guest's VMM: vmm_channels, plus
    // one per other guest with the device when vmm_channel_per_peer.
    unsigned vmm_channels;
    bool vmm_channel_per_peer;

    // front/read.c: the keys of the device's block (NULL: it takes none).
    void (*read)(const struct node *block, struct guest *g);
    // check: the class's own rules, after the system-wide ones.
    const struct check_rule *rules;
    size_t nrules;
    // layout: wire the class's PDs (`pds`, as listed above, configs
    // allocated); connect one guest's VMM, with the guest's own PD if the
    // class has one; then what spans guests.  NULL: nothing to do.
    void (*build)(struct builder *b, struct pd *const *pds);
    void (*connect)(struct builder *b, struct guest *g, struct pd *vmm, struct pd *const *pds,
                    struct pd *guest_pd);
    void (*finish)(struct builder *b);
};

// Every class, in slot order (indexed by enum device_class_id).
extern const struct device_class *const device_classes[CLASS_COUNT];

// Whether any guest of the system has the device.
bool system_uses(const struct system *sys, enum device_class_id c);
// Whether this system does without the class's driver (see driverless),
// and whether it has one.
bool class_driverless(const struct system *sys, const struct device_class *c);
bool class_has_driver(const struct system *sys, const struct device_class *c);
// The protection domains the system's devices imply: layout makes exactly these.
size_t system_pd_count(const struct system *sys);
// Channel and irq ids the guest's VMM needs.
size_t vmm_channel_count(const struct system *sys, const struct guest *g);

#endif
