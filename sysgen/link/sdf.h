// SPDX-License-Identifier: BSD-2-Clause
// The SDF (Microkit system description, XML) as the linker sees it: a
// direct, position-carrying image of the file, checked for what can be
// checked element by element.  Cross-element rules (overlaps, priorities of
// pp ends, ...) are the linker's.
#ifndef SYSGEN_SDF_H
#define SYSGEN_SDF_H

#include <stdbool.h>
#include <stdint.h>
#include "base/diag.h"

#define SDF_PERM_R 1
#define SDF_PERM_W 2
#define SDF_PERM_X 4

// <file path="..." offset="..."/> inside a memory region: bytes the image
// preloads there (a sysgen extension, e.g. a guest's kernel in its RAM).
struct sdf_file {
    struct pos pos;
    char *path; // relative to the SDF's directory, or absolute
    uint64_t offset;
};

// The board of an SDF that names none.
#define SDF_DEFAULT_BOARD "qemu_virt_aarch64"

struct sdf_mr {
    struct pos pos;
    char *name;
    struct sdf_file *files;
    int nfiles;
    uint64_t size;
    uint64_t page_size;
    uint64_t phys_addr;
    bool has_phys_addr;
};

struct sdf_map {
    struct pos pos;
    char *mr;
    uint64_t vaddr;
    unsigned perms; // SDF_PERM_*
    bool cached;
    char *setvar_vaddr; // NULL if absent
};

struct sdf_irq {
    struct pos pos;
    uint32_t irq;
    int id;
    bool edge;
};

struct sdf_setvar {
    struct pos pos;
    char *symbol;
    char *region_paddr; // name of the memory region whose address is written
};

// A virtual machine, child of the PD that is its VMM.
struct sdf_vm {
    struct pos pos;
    char *name;
    int priority; // -1: the VMM's
    int *vcpus;   // vCPU ids, in the VMM's child namespace
    int *vcpu_cpu; // the core each runs on; -1: its VMM's
    struct pos *vcpu_pos;
    int nvcpus;
    struct sdf_map *maps; // guest-physical address = vaddr
    int nmaps;
};

struct sdf_pd {
    struct pos pos;
    char *name;
    int priority;
    bool passive;
    uint64_t stack_size;
    char *program_image;
    struct pos image_pos;
    int parent; // index into sdf_system.pds, -1 for none
    int child_id;
    int cpu; // the core it runs on (Microkit's cpu="N"), 0 by default
    struct sdf_map *maps;
    int nmaps;
    struct sdf_irq *irqs;
    int nirqs;
    struct sdf_setvar *setvars;
    int nsetvars;
    struct sdf_vm *vm; // NULL if this PD is not a VMM
};

struct sdf_end {
    struct pos pos;
    char *pd;
    int id;
    bool pp;
    bool notify;
};

struct sdf_channel {
    struct pos pos;
    struct sdf_end end[2];
};

struct sdf_system {
    char *path;
    struct pos pos;
    char *board; // <system board="..."> (a sysgen extension), NULL: SDF_DEFAULT_BOARD
    struct sdf_mr *mrs;
    int nmrs;
    struct sdf_pd *pds;
    int npds;
    struct sdf_channel *channels;
    int nchannels;
};

// 1 + the highest core a PD or vCPU of `s` is placed on (a vCPU without
// cpu="N" runs on its VMM's).
unsigned sdf_cores_used(const struct sdf_system *s);
// Parse `path`.  Errors go to diag (error_at); returns false if there was
// any, or if the file could not be read (then *io_error is set).
bool sdf_parse_file(const char *path, struct sdf_system *sys, bool *io_error);
void sdf_free(struct sdf_system *sys);

// Index of the first PD / memory region called `name`, or -1.
int sdf_find_pd(const struct sdf_system *s, const char *name);
int sdf_find_mr(const struct sdf_system *s, const char *name);

#endif
