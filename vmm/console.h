// SPDX-License-Identifier: BSD-2-Clause
// virtio-console (device id 3), one port, no MULTIPORT: receiveq 0 and
// transmitq 1, carried over the serial rings to the serial virtualisers.
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <sysgen/serial_queue.h>
#include "virtio_mmio.h"

#define VIRTIO_ID_CONSOLE 3

struct console {
    struct virtio_dev dev;
    struct sg_serial_ring tx, rx; // to serial_virt_tx, from serial_virt_rx
    // Tell the tx virtualiser there are bytes (it drains the ring when it
    // runs, which is at once: it has the higher priority).
    void (*kick_tx)(struct console *c);
    uint64_t dropped; // output bytes lost to a full ring
};

extern const struct virtio_dev_ops console_ops;
// Bytes arrived in the rx ring (or receive buffers did): move what fits.
void console_rx(struct console *c);

#endif
