// SPDX-License-Identifier: BSD-2-Clause
// The image linker, the role the Microkit tool plays: a parsed SDF
// (link/sdf.h) plus the prebuilt component ELFs become OUT/loader.img, a
// file with an arm64 Image header that QEMU -kernel and U-Boot booti both
// start at EL2, and OUT/loader.map.  It lays out physical memory, builds
// every PD's and VM's stage-2 tables and the kernel's boot info, and
// writes configs and setvars into the program images.
//
// This header is the whole interface.  The linker reads no YAML and knows
// nothing of the compiler: the caller hands it the board facts it needs.
#ifndef SYSGEN_LINK_LINK_H
#define SYSGEN_LINK_LINK_H

#include "link/sdf.h"

#include <stddef.h>
#include <stdint.h>

// What the kernel needs to know of the board (boards/<name>/board.yaml).
struct link_board {
    const char *name;
    uint64_t ram_base, ram_size;
    const char *uart_driver; // the console the kernel prints on: "pl011", "imx", or NULL
    uint64_t uart_base;
    uint32_t uart_irq;
    uint64_t gicd_base, gicr_base; // GICv3 distributor and first redistributor
    unsigned cores;                // CPU cores (MPIDR Aff0 0..cores-1); 0 means 1
};

// A PD's config bytes (a sysgen_*_config from <sysgen/config.h>), written
// into the `.sysgen_config` section of that PD's program image.
struct link_pd_config {
    const char *pd; // protection domain name in the SDF
    const void *bytes;
    size_t size;
};

struct link_inputs {
    const struct sdf_system *sdf;
    const struct link_board *board;
    // kernel.elf, loader.elf, and program images not found next to the SDF.
    const char *components;
    const struct link_pd_config *configs; // may be NULL when nconfigs is 0
    size_t nconfigs;
    const char *out_dir;  // where loader.img and loader.map go
    const char *sdf_name; // what loader.map calls the SDF (NULL: its path)
};

// Link.  Returns 0 on success, 1 on invalid input (every error reported
// through diag with its SDF position), 2 on an internal or I/O error
// (reported).  On failure nothing is written.  The caller flushes diag.
// A config for a PD the SDF does not have is an internal error (2); a
// program image without a big enough section for its config is invalid
// input (1).
int link_system(const struct link_inputs *in);

#endif
