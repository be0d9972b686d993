// SPDX-License-Identifier: BSD-2-Clause
// The image linker's stages and what each one takes and gives, in the
// order link.c runs them.  Each stage reports its errors through diag;
// link.c runs the next only when there were none.
#ifndef SYSGEN_LINK_LINKER_H
#define SYSGEN_LINK_LINKER_H

#include "base/diag.h"
#include "base/units.h"
#include "link/aspace.h"
#include "link/elf.h"
#include "link/image.h"
#include "link/link.h"
#include "link/phys.h"
#include "link/sdf.h"

#include <stdbool.h>
#include <stdint.h>

#define PAGE       0x1000ull
#define LARGE_PAGE 0x200000ull

// ---- target.c: the board as the kernel sees it ----------------------------

// Board data (link_board) plus what is architecture or kernel policy, the
// same on every GICv3 board.
struct target {
    const char *name;
    uint64_t ram_base, ram_size, uart_base;
    uint32_t uart_kind, uart_irq; // SG_UART_*
    uint64_t gicd_base, gicd_size, gicr_base, gicr_size;
    uint32_t sched_irq, timeslice_us;
    unsigned cores; // the board's, each with its GIC redistributor frame
};

struct target target_of(const struct link_board *b);
bool in_ram(const struct target *t, uint64_t addr, uint64_t size);

// ---- programs.c: the runtime's own images and each PD's --------------------

struct runtime_images {
    struct elf_image kernel, loader;
    uint64_t kernel_lo, kernel_hi; // physical extent of the kernel
};

// kernel.elf and loader.elf from `components`.  0, or 2 after reporting.
int load_runtime(const char *components, const struct target *t, struct runtime_images *out);
void runtime_images_free(struct runtime_images *r);

// A protection domain as the linker places it.
struct link_pd {
    const struct sdf_pd *sdf;
    struct elf_image elf; // empty when the PD has no program image
    uint64_t *seg_pa;     // per ELF segment: PA of its first (page-rounded) byte
    uint8_t **seg_buf;    // per ELF segment: its page-rounded bytes, for the image
    uint64_t ipcbuf_pa, stack_pa;
    struct aspace as;
};

// A virtual machine: the guest-physical space its vCPUs share.
struct link_vm {
    const struct sdf_vm *vm;
    int vmm; // index of its VMM PD
    struct aspace as;
};

// Each PD's program image: next to the SDF, else in `components`.
void load_pd_programs(const struct sdf_system *s, const char *components, struct link_pd *pds);
// Chunks for the kernel's segments and each PD's (page-rounded copies,
// kept in the PD's seg_buf until the image is written).
void add_program_chunks(const struct runtime_images *rt, const struct sdf_system *s,
                        struct link_pd *pds, struct chunks *chunks);

// ---- rules.c: every rule that needs more than one SDF element --------------

struct link_facts {
    const struct sdf_system *sdf;
    const struct target *target;
    uint64_t kernel_end; // RAM below this is the loader's and the kernel's
    int nthreads;        // PDs and vCPUs: entries in the boot info
};

void check_sdf(const struct link_facts *f);

// ---- memory.c: physical placement -----------------------------------------

struct placement {
    uint64_t *mr_pa; // per SDF memory region
    uint64_t bootinfo_pa;
    size_t bootinfo_size;
    uint8_t **file_data; // preloaded <file> contents, owned
    int nfile_data;
};

// Boot info, then every memory region (and the files preloaded into it),
// then each PD's segments, IPC buffer and stack, upwards from the kernel.
// Segments, IPC buffer and stack enter the PD's address space.
void place_memory(const struct sdf_system *s, const struct target *t, int nthreads,
                  struct phys *phys, struct link_pd *pds, struct placement *out,
                  struct chunks *chunks);
// Add every <map> of each PD and VM to its address space, then check that
// nothing in one space overlaps.
void map_address_spaces(const struct sdf_system *s, const uint64_t *mr_pa, struct link_pd *pds,
                        struct link_vm *vms, int nvms);
void placement_free(struct placement *p);

// ---- patch.c: what goes into the program images ---------------------------

void patch_setvars(const struct sdf_system *s, const uint64_t *mr_pa, struct link_pd *pds);
// 0, or 2 for a config naming a PD the SDF does not have (internal error).
int patch_configs(const struct sdf_system *s, struct link_pd *pds,
                  const struct link_pd_config *configs, size_t nconfigs);

// ---- bootinfo.c: the kernel's boot info ------------------------------------

// Bytes of <sysgen/bootinfo.h> for `nthreads` threads: every PD, then
// every VM's vCPUs.  Caller frees.
uint8_t *build_bootinfo(const struct sdf_system *s, const struct target *t,
                        const struct link_pd *pds, const struct link_vm *vms, int nvms,
                        int nthreads, size_t size);

// ---- map.c: OUT/loader.map -------------------------------------------------

// 0, or 2 after an I/O error.
int write_link_map(const char *out_dir, const struct sdf_system *s, const char *sdf_name,
                   const struct target *t, const struct chunks *chunks, const struct link_pd *pds,
                   const struct link_vm *vms, int nvms);

static inline const char *pd_name(const struct sdf_pd *pd)
{
    return pd->name ? pd->name : "?";
}

static inline const char *vm_name(const struct sdf_vm *vm)
{
    return vm->name ? vm->name : "?";
}

#endif
