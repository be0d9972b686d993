// SPDX-License-Identifier: BSD-2-Clause
// The loader image (OUT/loader.img): what the host linker writes and the
// loader (runtime/loader) reads.
//
//   offset 0          the loader's flat binary; its first 64 bytes are an
//                     arm64 Linux Image header, so QEMU -kernel and U-Boot
//                     booti load the file at RAM base + text_offset
//   payload_offset    struct sg_load_header, then nchunks sg_load_chunk,
//                     then the chunks' bytes
//
// The payload starts at the loader's end rounded up to SG_LOAD_ALIGN; the
// loader finds it through its own linker-script symbol, the host linker
// through the loader ELF's extent.  Both agree because both round the same
// way.
#ifndef SYSGEN_LOADIMAGE_H
#define SYSGEN_LOADIMAGE_H

#include <stdint.h>

#define SG_LOAD_MAGIC   0x44414f4c47535853ull // "SXSGLOAD"
#define SG_LOAD_VERSION 1
#define SG_LOAD_ALIGN   4096

// arm64 Image header (Linux Documentation/arm64/booting.rst).
#define ARM64_IMAGE_MAGIC       0x644d5241u // "ARM\x64"
#define ARM64_IMAGE_TEXT_OFFSET 0x80000u
#define ARM64_IMAGE_FLAGS       0x2u // little-endian, 4 KiB pages, base near DRAM start

struct arm64_image_header {
    uint32_t code0;
    uint32_t code1;
    uint64_t text_offset;
    uint64_t image_size; // bytes the bootloader must keep free from the load address
    uint64_t flags;
    uint64_t res2, res3, res4;
    uint32_t magic;
    uint32_t res5;
};

struct sg_load_header {
    uint64_t magic; // SG_LOAD_MAGIC
    uint32_t version;
    uint32_t nchunks;
    uint64_t kernel_entry; // physical address the loader jumps to
    uint64_t bootinfo_pa;  // passed to the kernel in x0
    uint64_t payload_size; // bytes from this header to the end of the file
};

// One piece of physical memory to fill: copy filesz bytes from the payload,
// then zero up to memsz.
struct sg_load_chunk {
    uint64_t dest;
    uint64_t offset; // from the start of sg_load_header
    uint64_t filesz;
    uint64_t memsz;
};

_Static_assert(sizeof(struct arm64_image_header) == 64, "arm64 Image header");
_Static_assert(__builtin_offsetof(struct arm64_image_header, magic) == 56, "Image magic");
_Static_assert(sizeof(struct sg_load_header) == 40, "sg_load_header layout");
_Static_assert(sizeof(struct sg_load_chunk) == 32, "sg_load_chunk layout");

#endif
