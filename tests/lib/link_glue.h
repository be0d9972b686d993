// SPDX-License-Identifier: BSD-2-Clause
// What the native test systems' glue programs (tests/runtime/serial_link.c,
// tests/blk/blk_link.c, tests/net/net_link.c) share: they describe a small
// system by hand, fill the config structs sysgen would, and link it the way
// the YAML path does, through link_sdf_file() on the board the SDF names.
#ifndef TESTS_LINK_GLUE_H
#define TESTS_LINK_GLUE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

#include "board/board_link.h"
#include "base/output.h"
#include "base/strbuf.h"

static inline void glue_header(struct sysgen_config_header *h, uint16_t kind, uint32_t size,
                               const char *pd)
{
    h->magic = SYSGEN_CONFIG_MAGIC;
    h->version = SYSGEN_CONFIG_VERSION;
    h->kind = kind;
    h->size = size;
    strncpy(h->pd_name, pd, SYSGEN_NAME_LEN - 1);
}

// A device at `paddr`, mapped at `vaddr`, its IRQ on channel 0.
static inline struct sysgen_device glue_device(uint64_t vaddr, uint64_t paddr, uint64_t size,
                                               uint32_t irq)
{
    return (struct sysgen_device){
        .regs_vaddr = vaddr, .regs_paddr = paddr, .regs_size = size, .irq = irq, .irq_ch = 0};
}

// A connection with a 4 KiB queue page.
static inline struct sysgen_conn glue_conn(uint64_t q, uint64_t d, uint64_t dsize, uint64_t dphys,
                                           uint32_t ch)
{
    return (struct sysgen_conn){.queue_vaddr = q,
                                .queue_size = 0x1000,
                                .data_vaddr = d,
                                .data_size = dsize,
                                .data_paddr = dphys,
                                .ch = ch};
}

// Link the SDF file with the configs into OUT/loader.img on the board it
// names (boards/ of the tree the glue runs in); errors are printed.
static inline int glue_link_file(const char *sdf, const char *components, const char *out,
                                 const struct link_pd_config *cfg, size_t n)
{
    int rc = link_sdf_file(&(struct sdf_link_request){sdf, NULL, NULL, ".", components, cfg, n, out, NULL},
                           NULL);
    diag_flush(stderr);
    return rc;
}

// Write `sdf` as OUT/NAME and link it with the configs into OUT/loader.img.
// Returns link_sdf_file()'s status, 2 if the SDF cannot be written.
static inline int glue_link(const char *out, const char *name, const char *sdf,
                            const char *components, const struct link_pd_config *cfg, size_t n)
{
    char *path = xasprintf("%s/%s", out, name);
    FILE *f = make_dirs(out) ? fopen(path, "w") : NULL;
    if (!f || fputs(sdf, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        free(path);
        return 2;
    }
    int rc = glue_link_file(path, components, out, cfg, n);
    free(path);
    return rc;
}

#endif
