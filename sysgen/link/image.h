// SPDX-License-Identifier: BSD-2-Clause
// OUT/loader.img: the loader's flat binary with its arm64 Image header,
// then the payload, a list of chunks of physical memory the loader fills
// in order (see <sysgen/loadimage.h>).
#ifndef SYSGEN_LINK_IMAGE_H
#define SYSGEN_LINK_IMAGE_H

#include "link/elf.h"

#include <stdint.h>

// One piece of physical memory the loader fills.
struct chunk {
    uint64_t dest;
    uint64_t memsz;
    uint64_t filesz;     // bytes of data; the rest of memsz is zeroed
    const uint8_t *data; // not owned: it must live until the image is written
    char *what;          // for the link map, owned
};

struct chunks {
    struct chunk *v;
    int n;
};

// `what` is owned from here on.
void chunks_add(struct chunks *c, uint64_t dest, uint64_t memsz, const uint8_t *data,
                uint64_t filesz, char *what);
void chunks_free(struct chunks *c);

// The bootloader puts the image at ram_base + its text_offset, and the
// loader copies the chunks from there: none may land on it.  Returns 0, or
// 2 after printing an error (that one, I/O, internal).
int image_write(const char *out_dir, const struct elf_image *loader, const struct chunks *chunks,
                uint64_t ram_base, uint64_t kernel_entry, uint64_t bootinfo_pa);

#endif
