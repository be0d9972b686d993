// SPDX-License-Identifier: BSD-2-Clause
// The image linker's internals, shared by its files: link.c (the driver),
// link_check.c (rules across elements), link_layout.c (physical memory and
// address spaces), link_patch.c (setvars and configs), link_bootinfo.c
// (stage-2 tables, boot info, segment chunks) and link_map.c (loader.map).
#ifndef SYSGEN_LINK_PRIV_H
#define SYSGEN_LINK_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "base/diag.h"
#include "base/units.h"
#include "link/elf.h"
#include "link/link.h"
#include "link/image.h"
#include "link/stage2.h"
#include "link/sdf.h"

#include <string.h>

#define PAGE               0x1000ull
#define LARGE_PAGE         0x200000ull
#define DEFAULT_COMPONENTS "build/runtime"

// Kernel-side board facts.  RAM, UART and GIC come from the board's data
// (boards/<name>/board.yaml, read by board.c); the rest is architecture or
// kernel policy, the same on every GICv3 board.
struct board_rt {
    const char *name;
    uint64_t ram_base, ram_size, uart_base;
    uint32_t uart_kind, uart_irq;
    uint64_t gicd_base, gicd_size, gicr_base, gicr_size;
    uint32_t sched_irq, timeslice_us;
};

#define GICD_SIZE    0x10000 // architectural
#define GICR_SIZE    0x80000 // four 128 KiB redistributor frames: both boards' CPU count
#define SCHED_IRQ    26      // EL2 physical timer PPI (Arm BSA/SBSA)
#define TIMESLICE_US 5000

// One range of a PD's address space.
struct vrange {
    uint64_t va, pa, size;
    unsigned perms; // S2_PERM_*
    bool cached;
    char *what; // for error messages
    struct pos pos;
};

struct lpd {
    struct sdf_pd *sdf;
    struct elf_image elf;
    bool elf_ok;
    uint64_t *seg_pa;  // per ELF segment: PA of its first (page-rounded) byte
    uint8_t **seg_buf; // per ELF segment: page-rounded copy
    uint64_t ipcbuf_pa, stack_pa;
    struct vrange *vr;
    int nvr;
    struct s2 s2;
    uint64_t s2_pa;
};

// A virtual machine: its guest-physical address space, shared by its vCPUs.
struct lvm {
    struct sdf_vm *vm;
    int vmm; // index of the VMM PD
    struct vrange *vr;
    int nvr;
    struct s2 s2;
    uint64_t s2_pa;
};

struct link {
    struct sdf_system sys;
    uint8_t **file_data; // contents of every <file>, in SDF order, owned
    int nfile_data;
    struct lvm *vms;
    int nvms;
    int nthreads; // PDs + vCPUs: entries in boot info
    const struct link_pd_config *configs;
    size_t nconfigs;
    const struct board_rt *board;
    struct board_rt board_data;
    char *board_name;
    const char *components;
    struct elf_image kernel, loader;
    struct lpd *pds;
    uint64_t *mr_pa; // per memory region
    uint64_t next;   // bump allocator
    uint64_t kernel_lo, kernel_hi;
    uint8_t *bootinfo;
    size_t bootinfo_size;
    uint64_t bootinfo_pa;
    struct chunk *chunks;
    int nchunks;
};

static inline bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static inline int find_pd(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->npds; i++)
        if (s->pds[i].name && strcmp(s->pds[i].name, name) == 0)
            return i;
    return -1;
}

static inline int find_mr(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->nmrs; i++)
        if (s->mrs[i].name && strcmp(s->mrs[i].name, name) == 0)
            return i;
    return -1;
}

static inline bool in_ram(const struct board_rt *b, uint64_t a, uint64_t sz)
{
    return a >= b->ram_base && sz <= b->ram_size && a - b->ram_base <= b->ram_size - sz;
}

static inline const char *pd_name(const struct sdf_pd *pd)
{
    return pd->name ? pd->name : "?";
}

// link_check.c
void check_names(struct link *l);
void check_channels_and_irqs(struct link *l);
void check_fixed_regions(struct link *l);

// link_layout.c
uint64_t alloc(struct link *l, uint64_t size, uint64_t align);
// `what` (owned from here on) names the chunk in the link map.
void add_chunk(struct link *l, uint64_t dest, uint64_t memsz, const uint8_t *data, uint64_t filesz,
               char *what);
void layout_memory(struct link *l);
void layout_maps(struct link *l);
void check_fits(struct link *l);

// link_patch.c
void patch_setvars(struct link *l);
int patch_configs(struct link *l);

// link_bootinfo.c
void build_stage2(struct link *l);
void build_bootinfo(struct link *l);
void add_elf_chunks(struct link *l);

// link_map.c
int write_link_map(struct link *l, const char *out_dir);

#endif
