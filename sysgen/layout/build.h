// SPDX-License-Identifier: BSD-2-Clause
// What layout offers the device classes to build with (design §5): memory
// regions from the board's RAM, mappings into a PD's address space,
// channels, irqs, and the connection every class uses, a queue region, a
// data region and a channel between two PDs.  Everything is created in
// call order, which is the order of every output.
#ifndef SYSGEN_LAYOUT_BUILD_H
#define SYSGEN_LAYOUT_BUILD_H

#include "model/model.h"

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/config.h>

#define QUEUE_REGION_SIZE (4 * KiB)
#define PD_VADDR_BASE     0x20000000ull // where each PD's mappings start

struct builder {
    struct system *sys;
    struct layout *l;
    bool failed; // out of RAM: reported once
};

// A region of `size` bytes from the pool (2 MiB pages when it is a
// multiple of 2 MiB); `name` is owned from here on.
struct memory_region *new_region(struct builder *b, char *name, uint64_t size, struct pos pos);
// A board device's registers: page-rounded, fixed address, shared (and
// renamed for both) when two devices sit in one page.
struct memory_region *device_region(struct builder *b, const char *name,
                                    const struct board_device *d);
struct memory_region *find_region(const struct layout *l, const char *name);
// Map `mr` at the PD's next free virtual address; returns that address.
uint64_t map(struct pd *pd, struct memory_region *mr, const char *perms, bool cached);
// The next free channel/irq id of the PD.
uint32_t new_id(struct pd *pd);
// Deliver hardware interrupt `irq` to the PD; returns its id there.
uint32_t add_irq(struct pd *pd, uint32_t irq);
void new_channel(struct builder *b, struct pd *a, struct pd *bb, uint32_t *id_a, uint32_t *id_b,
                 const char *why, struct pos pos);

enum data_flow { ONE_WAY, BOTH_WAYS };

// A connection from producer `p` to consumer `c` named `name`: a queue
// region both write (rings run both ways), a data region the producer
// writes and the consumer reads (both write with BOTH_WAYS), and a
// channel; fills both sides' view of it.
void connect(struct builder *b, struct pd *p, struct pd *c, const char *name, uint64_t data_size,
             enum data_flow flow, struct pos pos, struct sysgen_conn *pv, struct sysgen_conn *cv);
// A board device's registers mapped uncached into the driver PD, and its
// interrupt: what a driver's config says of its device.
void device_config(struct builder *b, struct pd *pd, const char *regs_name,
                   const struct board_device *d, struct sysgen_device *out);
// The guest's virtio-mmio slot of device class `c`, for its VMM's config.
void set_slot(const struct board *b, enum device_class_id c, struct sysgen_virtio_slot *out);

#endif
