// SPDX-License-Identifier: BSD-2-Clause
// Writing OUT/loader.img: the loader's flat binary with its arm64 Image
// header, then the payload of chunks (see <sysgen/loadimage.h>).
#ifndef SYSGEN_LINK_IMAGE_H
#define SYSGEN_LINK_IMAGE_H

#include <stdint.h>
#include "link/elf.h"

// One piece of physical memory the loader fills.
struct chunk {
    uint64_t dest;
    uint64_t memsz;
    uint64_t filesz;     // bytes of data; the rest of memsz is zeroed
    const uint8_t *data; // not owned
    char *what;          // for the link map, owned by the linker
};

// Returns 0, or 2 after printing an I/O or internal error.
int image_write(const char *out_dir, const struct elf_image *loader, const struct chunk *chunks,
                int nchunks, uint64_t kernel_entry, uint64_t bootinfo_pa);

#endif
