// SPDX-License-Identifier: BSD-2-Clause
// The guest's virtio-mmio devices, one per device class in slot order
// (console, block, net, vsock: the classes sysgen lays out), wired from
// the VMM's config through a table: each class checks its part of the
// config and sets its device up (attach), and claims the notifications on
// its channels.  The devices' emulation is in console.c, blk.c, net.c and
// vsock.c; this file is only the wiring.
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <microkit.h>
#include <stdbool.h>
#include <stdint.h>
#include <sysgen/config.h>
#include "guest_mem.h"
#include "virtio_mmio.h"

// Set up every device the config names, on guest RAM `ram`, for guest
// `name` (for messages).  NULL, or what part of the config is unusable.
const char *devices_attach(const struct sysgen_vmm_config *c, const struct guest_mem *ram,
                           const char *name);
// The device whose window holds guest-physical `ipa`, and the window's
// base; NULL if none.
struct virtio_dev *device_at(uint64_t ipa, uint64_t *base);
// A notification on `ch`, for a guest that is `running` or not: handled
// by the device whose channel it is (or ignored).
void devices_notified(microkit_channel ch, bool running);
// The guest stopped: every device as after a reset, and no peer waits.
void devices_halt(void);

#endif
