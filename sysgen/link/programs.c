// SPDX-License-Identifier: BSD-2-Clause
// The ELF files a system is made of: the kernel and the loader from the
// components directory, and each PD's program image, looked up next to
// the SDF first (hand-written systems carry their own) and then among the
// components.
#include "link/linker.h"
#include "base/strbuf.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int load_component(const char *components, const char *name, struct elf_image *img)
{
    char why[256];
    char *path = xasprintf("%s/%s", components, name);
    bool ok = elf_load(path, img, why, sizeof(why));
    if (!ok)
        fatal_error("%s: %s (build the runtime with `make runtime`)", path, why);
    free(path);
    return ok ? 0 : 2;
}

int load_runtime(const char *components, const struct target *t, struct runtime_images *out)
{
    int rc = load_component(components, "kernel.elf", &out->kernel);
    if (!rc)
        rc = load_component(components, "loader.elf", &out->loader);
    if (rc)
        return rc;
    out->kernel_lo = UINT64_MAX;
    out->kernel_hi = 0;
    for (int i = 0; i < out->kernel.nsegs; i++) {
        const struct elf_segment *sg = &out->kernel.segs[i];
        if (sg->paddr < out->kernel_lo)
            out->kernel_lo = sg->paddr;
        if (sg->paddr + sg->memsz > out->kernel_hi)
            out->kernel_hi = sg->paddr + sg->memsz;
    }
    if (!in_ram(t, out->kernel_lo, out->kernel_hi - out->kernel_lo)) {
        fatal_error("%s is linked at 0x%llx, outside the RAM of board '%s'", out->kernel.path,
                    (unsigned long long)out->kernel_lo, t->name);
        return 2;
    }
    return 0;
}

void runtime_images_free(struct runtime_images *r)
{
    elf_free(&r->kernel);
    elf_free(&r->loader);
}

static char *find_image(const char *sdf_path, const char *components, const char *name)
{
    struct stat st;
    if (name[0] == '/')
        return xstrdup(name);
    char *sdfcopy = xstrdup(sdf_path);
    char *p = xasprintf("%s/%s", dirname(sdfcopy), name);
    free(sdfcopy);
    if (stat(p, &st) == 0)
        return p;
    free(p);
    p = xasprintf("%s/%s", components, name);
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

static void load_pd_program(const struct sdf_system *s, const char *components,
                            struct link_pd *pd)
{
    const struct sdf_pd *sp = pd->sdf;
    char *path = find_image(s->path, components, sp->program_image);
    if (!path) {
        error_at(sp->image_pos,
                 "program image '%s' of protection domain '%s' not found (looked next to "
                 "the SDF and in %s)",
                 sp->program_image, pd_name(sp), components);
        return;
    }
    char why[256];
    if (!elf_load(path, &pd->elf, why, sizeof(why)))
        error_at(sp->image_pos, "program image '%s' of protection domain '%s': %s", path,
                 pd_name(sp), why);
    else if (!entry_is_code(&pd->elf))
        error_at(sp->image_pos,
                 "program image '%s' of protection domain '%s': entry point 0x%llx is not in "
                 "an executable segment",
                 path, pd_name(sp), (unsigned long long)pd->elf.entry);
    free(path);
}

void load_pd_programs(const struct sdf_system *s, const char *components, struct link_pd *pds)
{
    for (int i = 0; i < s->npds; i++)
        if (pds[i].sdf->program_image)
            load_pd_program(s, components, &pds[i]);
}

void add_program_chunks(const struct runtime_images *rt, const struct sdf_system *s,
                        struct link_pd *pds, struct chunks *chunks)
{
    for (int i = 0; i < rt->kernel.nsegs; i++) {
        const struct elf_segment *sg = &rt->kernel.segs[i];
        chunks_add(chunks, sg->paddr, sg->memsz, sg->data, sg->filesz,
                   xasprintf("kernel segment %d", i));
    }
    for (int i = 0; i < s->npds; i++) {
        struct link_pd *pd = &pds[i];
        for (int j = 0; j < pd->elf.nsegs; j++) {
            const struct elf_segment *sg = &pd->elf.segs[j];
            uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = align_up(sg->vaddr + sg->memsz, PAGE);
            uint64_t off = sg->vaddr - lo;
            pd->seg_buf[j] = xcalloc(1, (size_t)(hi - lo));
            memcpy(pd->seg_buf[j] + off, sg->data, (size_t)sg->filesz);
            chunks_add(chunks, pd->seg_pa[j], hi - lo, pd->seg_buf[j], off + sg->filesz,
                       xasprintf("segment %d of '%s' (%s)", j, pd_name(pd->sdf),
                                 pd->sdf->program_image));
        }
    }
}
