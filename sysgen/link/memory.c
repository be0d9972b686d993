// SPDX-License-Identifier: BSD-2-Clause
// Physical placement, upwards from the kernel: the boot info, every memory
// region (with the files preloaded into it), then each PD's segments, IPC
// buffer and stack.  Then each PD's and VM's address space from its maps.
// The order here is the order of the image's chunks: keep it stable.
#include "link/linker.h"
#include "base/strbuf.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysgen/bootinfo.h>
#include <sysgen/hypercall.h>

static unsigned elf_perms(unsigned pflags)
{
    return ((pflags & 4) ? S2_PERM_R : 0) | ((pflags & 2) ? S2_PERM_W : 0) |
           ((pflags & 1) ? S2_PERM_X : 0);
}

static unsigned sdf_perms(unsigned perms)
{
    return ((perms & SDF_PERM_R) ? S2_PERM_R : 0) | ((perms & SDF_PERM_W) ? S2_PERM_W : 0) |
           ((perms & SDF_PERM_X) ? S2_PERM_X : 0);
}

static char *sdf_relative(const struct sdf_system *s, const char *name)
{
    if (name[0] == '/')
        return xstrdup(name);
    char *sdfcopy = xstrdup(s->path);
    char *p = xasprintf("%s/%s", dirname(sdfcopy), name);
    free(sdfcopy);
    return p;
}

// The contents of one <file>, or NULL after reporting why it cannot be
// preloaded into `mr` at `pa`.  *size is its size whenever it could be
// measured (-1 otherwise).
static uint8_t *read_region_file(const struct sdf_system *s, const struct target *t,
                                 const struct sdf_mr *mr, uint64_t pa, const struct sdf_file *f,
                                 long *size)
{
    char *path = sdf_relative(s, f->path);
    FILE *fp = fopen(path, "rb");
    uint8_t *data = NULL;
    *size = -1;
    if (fp && fseek(fp, 0, SEEK_END) == 0)
        *size = ftell(fp);
    if (!fp || *size < 0) {
        error_at(f->pos, "memory region '%s': cannot read file '%s'", mr->name, path);
    } else if ((uint64_t)*size > mr->size || f->offset > mr->size - (uint64_t)*size) {
        error_at(f->pos,
                 "memory region '%s': file '%s' (%ld bytes at offset 0x%llx) does not fit "
                 "in its 0x%llx bytes",
                 mr->name, path, *size, (unsigned long long)f->offset,
                 (unsigned long long)mr->size);
    } else if (!in_ram(t, pa, mr->size)) {
        error_at(f->pos, "memory region '%s' is not RAM: it cannot be preloaded", mr->name);
    } else {
        data = xmalloc((size_t)*size + 1);
        rewind(fp);
        if (fread(data, 1, (size_t)*size, fp) != (size_t)*size) {
            error_at(f->pos, "memory region '%s': cannot read file '%s'", mr->name, path);
            free(data);
            data = NULL;
        }
    }
    if (fp)
        fclose(fp);
    free(path);
    return data;
}

// Preloaded contents of a memory region: chunks after its zero fill,
// which the loader processes in order.  One file never overwrites another.
static void load_region_files(const struct sdf_system *s, const struct target *t,
                              const struct sdf_mr *mr, uint64_t pa, struct placement *out,
                              struct chunks *chunks)
{
    uint64_t *sizes = xcalloc((size_t)mr->nfiles + 1, sizeof(*sizes));
    for (int j = 0; j < mr->nfiles; j++) {
        const struct sdf_file *f = &mr->files[j];
        long size;
        if (!f->path)
            continue;
        uint8_t *data = read_region_file(s, t, mr, pa, f, &size);
        if (data) {
            out->file_data = xrealloc(out->file_data,
                                      (size_t)(out->nfile_data + 1) * sizeof(*out->file_data));
            out->file_data[out->nfile_data++] = data;
            chunks_add(chunks, pa + f->offset, (uint64_t)size, data, (uint64_t)size,
                       xasprintf("file %s in memory region '%s'", f->path, mr->name));
        }
        if (size < 0)
            continue;
        sizes[j] = (uint64_t)size;
        for (int k = 0; k < j; k++)
            if (mr->files[k].path &&
                ranges_overlap(f->offset, sizes[j], mr->files[k].offset, sizes[k]))
                error_at(f->pos, "memory region '%s': file '%s' overlaps the file of line %d",
                         mr->name, f->path, mr->files[k].pos.line);
    }
    free(sizes);
}

static void place_regions(const struct sdf_system *s, const struct target *t, struct phys *phys,
                          struct placement *out, struct chunks *chunks)
{
    for (int i = 0; i < s->nmrs; i++) {
        const struct sdf_mr *mr = &s->mrs[i];
        if (mr->has_phys_addr)
            out->mr_pa[i] = mr->phys_addr;
        else
            out->mr_pa[i] =
                phys_alloc(phys, mr->size, mr->size >= LARGE_PAGE ? LARGE_PAGE : mr->page_size);
        if (in_ram(t, out->mr_pa[i], mr->size))
            chunks_add(chunks, out->mr_pa[i], mr->size, NULL, 0, // zero-filled at boot
                       xasprintf("memory region '%s'", mr->name));
        load_region_files(s, t, mr, out->mr_pa[i], out, chunks);
    }
}

// A PD's own memory: its program's segments, its IPC buffer and its stack.
static void place_pd(struct phys *phys, struct link_pd *pd, struct chunks *chunks)
{
    const struct sdf_pd *sp = pd->sdf;
    pd->seg_pa = xcalloc((size_t)pd->elf.nsegs + 1, sizeof(*pd->seg_pa));
    pd->seg_buf = xcalloc((size_t)pd->elf.nsegs + 1, sizeof(*pd->seg_buf));
    for (int j = 0; j < pd->elf.nsegs; j++) {
        const struct elf_segment *sg = &pd->elf.segs[j];
        uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = align_up(sg->vaddr + sg->memsz, PAGE);
        pd->seg_pa[j] = phys_alloc(phys, hi - lo, PAGE);
        aspace_add(&pd->as, (struct vrange){lo, pd->seg_pa[j], hi - lo, elf_perms(sg->flags), S2_MEM_CACHED,
                                            xasprintf("segment %d of %s", j, sp->program_image),
                                            sp->image_pos});
    }
    pd->ipcbuf_pa = phys_alloc(phys, PAGE, PAGE);
    chunks_add(chunks, pd->ipcbuf_pa, PAGE, NULL, 0, xasprintf("IPC buffer of '%s'", pd_name(sp)));
    aspace_add(&pd->as, (struct vrange){SG_PD_IPCBUF_VA, pd->ipcbuf_pa, PAGE,
                                        S2_PERM_R | S2_PERM_W, S2_MEM_CACHED,
                                        xstrdup("the IPC buffer"),
                                        sp->pos});
    pd->stack_pa = phys_alloc(phys, sp->stack_size, PAGE);
    chunks_add(chunks, pd->stack_pa, sp->stack_size, NULL, 0,
               xasprintf("stack of '%s'", pd_name(sp)));
    aspace_add(&pd->as, (struct vrange){SG_PD_STACK_TOP - sp->stack_size, pd->stack_pa,
                                        sp->stack_size, S2_PERM_R | S2_PERM_W, S2_MEM_CACHED,
                                        xstrdup("the stack"), sp->pos});
}

void place_memory(const struct sdf_system *s, const struct target *t, int nthreads,
                  struct phys *phys, struct link_pd *pds, struct placement *out,
                  struct chunks *chunks)
{
    out->mr_pa = xcalloc((size_t)s->nmrs + 1, sizeof(*out->mr_pa));
    out->bootinfo_size = sizeof(struct sg_bootinfo) + (size_t)nthreads * sizeof(struct sg_pd_info);
    out->bootinfo_pa = phys_alloc(phys, align_up(out->bootinfo_size, PAGE), PAGE);
    place_regions(s, t, phys, out, chunks);
    for (int i = 0; i < s->npds; i++)
        place_pd(phys, &pds[i], chunks);
}

// One <map> into an address space, after checking it can be mapped.
static void add_map(const struct sdf_system *s, const uint64_t *mr_pa, const struct sdf_map *m,
                    struct aspace *as)
{
    int mi = sdf_find_mr(s, m->mr);
    if (mi < 0) {
        error_at(m->pos, "<map> names memory region '%s', which does not exist",
                 m->mr ? m->mr : "?");
        return;
    }
    const struct sdf_mr *mr = &s->mrs[mi];
    if (m->vaddr % mr->page_size) {
        error_at(m->pos, "<map> of '%s' at vaddr 0x%llx is not aligned to its page size 0x%llx",
                 mr->name, (unsigned long long)m->vaddr, (unsigned long long)mr->page_size);
        return;
    }
    if (m->vaddr >= (1ull << S2_IPA_BITS) || mr->size > (1ull << S2_IPA_BITS) - m->vaddr) {
        error_at(m->pos, "<map> of '%s' at vaddr 0x%llx lies outside the %d-bit address space",
                 mr->name, (unsigned long long)m->vaddr, S2_IPA_BITS);
        return;
    }
    aspace_add(as, (struct vrange){m->vaddr, mr_pa[mi], mr->size, sdf_perms(m->perms),
                                   m->cached ? S2_MEM_CACHED : S2_MEM_DEVICE,
                                   xasprintf("the map of '%s'", mr->name), m->pos});
}

void map_address_spaces(const struct sdf_system *s, const uint64_t *mr_pa, struct link_pd *pds,
                        struct link_vm *vms, int nvms)
{
    for (int i = 0; i < s->npds; i++) {
        for (int j = 0; j < pds[i].sdf->nmaps; j++)
            add_map(s, mr_pa, &pds[i].sdf->maps[j], &pds[i].as);
        aspace_check_overlaps(&pds[i].as);
    }
    for (int i = 0; i < nvms; i++) {
        for (int j = 0; j < vms[i].vm->nmaps; j++)
            add_map(s, mr_pa, &vms[i].vm->maps[j], &vms[i].as);
        aspace_check_overlaps(&vms[i].as);
    }
}

void placement_free(struct placement *p)
{
    for (int i = 0; i < p->nfile_data; i++)
        free(p->file_data[i]);
    free(p->file_data);
    free(p->mr_pa);
}
