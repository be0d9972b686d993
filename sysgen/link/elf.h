// SPDX-License-Identifier: BSD-2-Clause
// Reading component ELFs (kernel, loader, PD programs) with libelf: the
// loadable segments as private, patchable copies, the entry point, and
// symbol lookup for setvar patching.
#ifndef SYSGEN_ELF_LOAD_H
#define SYSGEN_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// An ELF larger than this is refused rather than read: no component is
// anywhere near it, and a guest kernel travels as a memory region's data,
// not as a PD program.
#define ELF_MAX_FILE_SIZE (64u << 20)

struct elf_segment {
    uint64_t vaddr;
    uint64_t paddr; // the ELF's own p_paddr (the kernel and loader use it)
    uint64_t memsz;
    uint64_t filesz; // grows when a patch lands in the zero-filled part
    unsigned flags;  // PF_R | PF_W | PF_X
    uint8_t *data;   // memsz bytes, zero past the file's bytes
};

struct elf_section {
    char *name;
    uint64_t addr;
    uint64_t size;
};

struct elf_image {
    char *path;
    uint64_t entry;
    struct elf_segment *segs;
    int nsegs;
    struct elf_sym *syms;
    int nsyms;
    struct elf_section *secs; // allocated (SHF_ALLOC) sections only
    int nsecs;
};

struct elf_sym {
    char *name;
    uint64_t value;
    uint64_t size;
};

// Load an aarch64 little-endian executable.  On failure returns false and
// writes a one-line reason (without the path) into `why`.
bool elf_load(const char *path, struct elf_image *img, char *why, size_t whylen);
void elf_free(struct elf_image *img);
const struct elf_sym *elf_find_sym(const struct elf_image *img, const char *name);
const struct elf_section *elf_find_section(const struct elf_image *img, const char *name);
// Write `len` bytes at virtual address `vaddr`; false if not inside a
// loadable segment.
bool elf_patch(struct elf_image *img, uint64_t vaddr, const void *bytes, uint64_t len);

#endif
