// SPDX-License-Identifier: BSD-2-Clause
// `sysgen --sdcard DEV`: write a built boot card image to a card (or a
// file), the way bmaptool does: only the blocks that hold data, never the
// board's own area between the MBR and the first partition (U-Boot and
// its environment live there), everything read back and compared.  Before
// a byte is written it refuses a device that is a partition, is mounted or
// swapped on, holds the running system, is not removable (unless --force)
// or is smaller than the image, and asks on a terminal (or needs --yes).
#ifndef SYSGEN_CARD_CARD_H
#define SYSGEN_CARD_CARD_H

#include <stdbool.h>
#include <stdint.h>

struct card_request {
    const char *image;  // OUT/sdcard.img
    const char *device; // a block device, or a regular file (created if absent)
    // Bytes [512, first_partition) are the board's: written only as the
    // bootloader says.
    uint64_t first_partition;
    // --bootloader FILE (or NULL): written at bootloader_at, and must end
    // by bootloader_end; a board without them (both 0) takes none.
    const char *bootloader;
    uint64_t bootloader_at, bootloader_end;
    bool yes, force;
};

// 0 when the card holds the image (verified); 2 after reporting why not.
int card_write(const struct card_request *r);

#endif
