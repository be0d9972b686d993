// SPDX-License-Identifier: BSD-2-Clause
// Pass 3, layout: decide everything the YAML leaves open.  A pure,
// deterministic function of the checked model: where partitions start,
// the PD set the devices imply (classes/), priorities, channel ids, memory
// regions with physical and virtual addresses, guest RAM placement, each
// guest's own memory and device map, MACs and CIDs not given, and every
// PD's config bytes.
#ifndef SYSGEN_LAYOUT_LAYOUT_H
#define SYSGEN_LAYOUT_LAYOUT_H

#include "model/model.h"

// Partition starts not given: packed in order from where the board allows
// the first, each 1 MiB aligned.  Runs before check, whose partitions-fit
// rule needs every start.
void place_partitions(struct system *sys);

// Fills sys->layout and the layout fields of guests.  Reports what cannot
// be placed (RAM exhausted) and returns false then.
bool layout_system(struct system *sys);
// Each PD's and vCPU's core (layout/cores.c): what the YAML pins, the rest
// by the one placement policy.
void place_cores(struct system *sys);

// Where each device class's virtio-mmio window sits in every guest of the
// board, and its interrupt: fixed per class, so that adding a device
// never moves another one.
uint64_t guest_slot_gpa(const struct board *b, enum device_class_id c);
uint32_t guest_slot_irq(const struct board *b, enum device_class_id c);

#endif
