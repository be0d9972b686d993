// SPDX-License-Identifier: BSD-2-Clause
// Pass 3, layout: decide everything the YAML leaves open.  A pure,
// deterministic function of the checked model: the PD set the devices imply,
// priorities, channel ids, memory regions with physical and virtual
// addresses, guest RAM placement, each guest's own memory and device map,
// MACs and CIDs not given, and every PD's config bytes.
#ifndef SYSGEN_LAYOUT_H
#define SYSGEN_LAYOUT_H

#include "model/model.h"

// Fills sys->layout and the layout fields of guests.  Reports what cannot
// be placed (RAM exhausted) and returns false then.
bool layout_system(struct system *sys);
void layout_free(struct layout *l);

// Which virtio-mmio slot of the guest each device class uses: fixed, so
// that adding a device never moves another one.
enum guest_slot { SLOT_CONSOLE = 0, SLOT_BLOCK = 1, SLOT_NET = 2, SLOT_VSOCK = 3 };
uint64_t guest_slot_gpa(const struct board *b, enum guest_slot s);
uint32_t guest_slot_irq(const struct board *b, enum guest_slot s);

// Sizes of the shared regions each connection gets.
#define QUEUE_REGION_SIZE  (4 * KiB)
#define SERIAL_DATA_SIZE   (4 * KiB)
#define BLK_DATA_SIZE      (2 * MiB)
#define NET_DATA_SIZE      (2 * MiB)
#define VSOCK_REGION_SIZE  (64 * KiB)
#define PD_VADDR_BASE      0x20000000ull
#define SERIAL_SWITCH_CHAR 0x1c // Ctrl-backslash

#endif
