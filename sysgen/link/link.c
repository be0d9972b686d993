// SPDX-License-Identifier: BSD-2-Clause
// The image linker.  In order: read the SDF, check every rule that needs
// more than one element, load the program ELFs, lay out physical memory
// (bump allocation upwards from the kernel, around fixed regions), lay out
// each PD's address space, patch setvars, build stage-2 tables and boot
// info, and write the image.  Each step collects all its errors; the next
// step runs only if there were none, and no image is written after an error.
#include "link/link.h"
#include "board/board.h"
#include "base/diag.h"
#include "link/internal.h"
#include "base/strbuf.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/bootinfo.h>
#include <sysgen/config.h>
#include <sysgen/hypercall.h>

static uint32_t uart_kind_of(const char *driver)
{
    if (driver && strcmp(driver, "pl011") == 0)
        return SG_UART_PL011;
    if (driver && strcmp(driver, "imx") == 0)
        return SG_UART_IMX;
    return SG_UART_NONE; // the kernel stays silent; PDs still run
}

// ---- program images ---------------------------------------------------

static char *find_image(const struct link *l, const char *name)
{
    struct stat st;
    if (name[0] == '/')
        return xstrdup(name);
    char *sdfcopy = xstrdup(l->sys.path);
    char *p = xasprintf("%s/%s", dirname(sdfcopy), name);
    free(sdfcopy);
    if (stat(p, &st) == 0)
        return p;
    free(p);
    p = xasprintf("%s/%s", l->components, name);
    if (stat(p, &st) == 0)
        return p;
    free(p);
    return NULL;
}

static bool entry_is_code(const struct elf_image *e)
{
    for (int i = 0; i < e->nsegs; i++)
        if ((e->segs[i].flags & 1) && e->entry >= e->segs[i].vaddr &&
            e->entry - e->segs[i].vaddr < e->segs[i].memsz)
            return true; // PF_X
    return false;
}

static void load_images(struct link *l)
{
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        if (!pd->sdf->program_image)
            continue;
        char *path = find_image(l, pd->sdf->program_image);
        if (!path) {
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s' not found (looked next to "
                     "the SDF and in %s)",
                     pd->sdf->program_image, pd_name(pd->sdf), l->components);
            continue;
        }
        char why[256];
        if (elf_load(path, &pd->elf, why, sizeof(why)))
            pd->elf_ok = true;
        else
            error_at(pd->sdf->image_pos, "program image '%s' of protection domain '%s': %s", path,
                     pd_name(pd->sdf), why);
        if (pd->elf_ok && !entry_is_code(&pd->elf))
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s': entry point 0x%llx is not in "
                     "an executable segment",
                     path, pd_name(pd->sdf), (unsigned long long)pd->elf.entry);
        free(path);
    }
}

static int load_component(struct link *l, const char *name, struct elf_image *img)
{
    char why[256];
    char *path = xasprintf("%s/%s", l->components, name);
    bool ok = elf_load(path, img, why, sizeof(why));
    if (!ok)
        fatal_error("%s: %s (build the runtime with `make runtime`)", path, why);
    free(path);
    return ok ? 0 : 2;
}

static int kernel_extent(struct link *l)
{
    l->kernel_lo = UINT64_MAX;
    l->kernel_hi = 0;
    for (int i = 0; i < l->kernel.nsegs; i++) {
        struct elf_segment *sg = &l->kernel.segs[i];
        if (sg->paddr < l->kernel_lo)
            l->kernel_lo = sg->paddr;
        if (sg->paddr + sg->memsz > l->kernel_hi)
            l->kernel_hi = sg->paddr + sg->memsz;
    }
    if (!in_ram(l->board, l->kernel_lo, l->kernel_hi - l->kernel_lo)) {
        fatal_error("%s is linked at 0x%llx, outside the RAM of board '%s'", l->kernel.path,
                    (unsigned long long)l->kernel_lo, l->board->name);
        return 2;
    }
    return 0;
}

static void link_free(struct link *l)
{
    for (int i = 0; i < l->sys.npds && l->pds; i++) {
        struct lpd *pd = &l->pds[i];
        for (int j = 0; j < pd->elf.nsegs && pd->seg_buf; j++)
            free(pd->seg_buf[j]);
        for (int j = 0; j < pd->nvr; j++)
            free(pd->vr[j].what);
        free(pd->vr);
        free(pd->seg_buf);
        free(pd->seg_pa);
        s2_free(&pd->s2);
        elf_free(&pd->elf);
    }
    for (int i = 0; i < l->nvms; i++) {
        for (int j = 0; j < l->vms[i].nvr; j++)
            free(l->vms[i].vr[j].what);
        free(l->vms[i].vr);
        s2_free(&l->vms[i].s2);
    }
    for (int i = 0; i < l->nfile_data; i++)
        free(l->file_data[i]);
    free(l->file_data);
    free(l->board_name);
    free(l->vms);
    free(l->pds);
    free(l->mr_pa);
    for (int i = 0; i < l->nchunks; i++)
        free(l->chunks[i].what);
    free(l->chunks);
    free(l->bootinfo);
    elf_free(&l->kernel);
    elf_free(&l->loader);
    sdf_free(&l->sys);
}

// True if this run reported an error.
static bool failed(int before)
{
    return diag_error_count() > before;
}

// Read boards/<name>/board.yaml; false after board.c reported the error.
static bool load_board(struct link *l, const char *name)
{
    const char *dir = sysgen_paths.data_dir ? sysgen_paths.data_dir : ".";
    struct board *b = board_load(dir, name, l->sys.pos);
    if (!b)
        return false;
    l->board_name = xstrdup(b->name);
    l->board_data = (struct board_rt){
        l->board_name, b->ram_base,  b->ram_size, b->uart.base, uart_kind_of(b->uart.driver),
        b->uart.irq,   b->gicd_base, GICD_SIZE,   b->gicr_base, GICR_SIZE,
        SCHED_IRQ,     TIMESLICE_US};
    l->board = &l->board_data;
    board_free(b);
    return true;
}

static int link_run(struct link *l, const char *sdf_path, const char *out_dir, int before)
{
    bool io_error;
    if (!sdf_parse_file(sdf_path, &l->sys, &io_error))
        return io_error ? 2 : 1;
    if (!load_board(l, l->sys.board ? l->sys.board : SDF_DEFAULT_BOARD))
        return 1;
    int rc = load_component(l, "kernel.elf", &l->kernel);
    if (!rc)
        rc = load_component(l, "loader.elf", &l->loader);
    if (!rc)
        rc = kernel_extent(l);
    if (rc)
        return rc;
    l->pds = xcalloc((size_t)l->sys.npds + 1, sizeof(*l->pds));
    l->mr_pa = xcalloc((size_t)l->sys.nmrs + 1, sizeof(*l->mr_pa));
    l->nthreads = l->sys.npds;
    for (int i = 0; i < l->sys.npds; i++) {
        l->pds[i].sdf = &l->sys.pds[i];
        if (l->sys.pds[i].vm) {
            l->vms = xrealloc(l->vms, (size_t)(l->nvms + 1) * sizeof(*l->vms));
            l->vms[l->nvms++] = (struct lvm){l->sys.pds[i].vm, i, NULL, 0, {0}, 0};
            l->nthreads += l->sys.pds[i].vm->nvcpus;
        }
    }
    check_names(l);
    check_channels_and_irqs(l);
    check_fixed_regions(l);
    load_images(l);
    if (failed(before))
        return 1;
    layout_memory(l);
    layout_maps(l);
    if (failed(before))
        return 1;
    patch_setvars(l);
    rc = patch_configs(l);
    if (rc)
        return rc;
    if (failed(before))
        return 1;
    build_stage2(l); // before boot info, which records the tables' address
    build_bootinfo(l);
    add_elf_chunks(l);
    check_fits(l);
    if (failed(before))
        return 1;
    rc = write_link_map(l, out_dir);
    if (rc)
        return rc;
    return image_write(out_dir, &l->loader, l->chunks, l->nchunks, l->kernel.entry, l->bootinfo_pa);
}

int link_sdf_file(const char *sdf_path, const char *components_dir, const char *out_dir)
{
    return link_sdf_file_configs(sdf_path, components_dir, out_dir, NULL, 0);
}

int link_sdf_file_configs(const char *sdf_path, const char *components_dir, const char *out_dir,
                          const struct link_pd_config *configs, size_t nconfigs)
{
    struct link l;
    memset(&l, 0, sizeof(l));
    l.configs = configs;
    l.nconfigs = nconfigs;
    l.components = components_dir ? components_dir : DEFAULT_COMPONENTS;
    int before = diag_error_count();
    int rc = link_run(&l, sdf_path, out_dir ? out_dir : ".", before);
    if (rc == 0 && failed(before))
        rc = 1;
    if (failed(before))
        diag_flush(stderr);
    link_free(&l);
    return rc;
}
