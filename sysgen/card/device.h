// SPDX-License-Identifier: BSD-2-Clause
// What sysgen needs to know of the device a card is written to, before it
// writes a byte: what it is, how large, whether anything on it is in use.
// Linux only: it reads /sys/dev/block, /proc/self/mounts and /proc/swaps.
#ifndef SYSGEN_CARD_DEVICE_H
#define SYSGEN_CARD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct card_device {
    const char *path;
    bool exists;
    bool block;        // a block device (else a regular file, or none yet)
    uint64_t size;     // bytes; a regular file's current size
    char name[64];     // the whole disk's kernel name ("sdb", "mmcblk0", "loop3")
    char model[128];   // vendor and model, if sysfs says
    bool removable;    // the kernel says removable, or it is an SD/MMC card
    bool partition;    // DEV is a partition, not a whole disk
    char in_use[256];  // empty, or what on it is mounted or swapped on
    bool system;       // it holds the running system (/, /boot, /usr or swap)
};

// Fill `d` for `path`.  false after reporting what cannot be read (a path
// that exists but is neither a block device nor a regular file, say).
bool card_device_probe(const char *path, struct card_device *d);

#endif
