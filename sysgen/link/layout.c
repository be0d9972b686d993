// SPDX-License-Identifier: BSD-2-Clause
// Physical layout (bump allocation upwards from the kernel, stepping over
// regions with a fixed address) and each PD's and VM's address space.
#include "link/internal.h"
#include "base/strbuf.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysgen/bootinfo.h>
#include <sysgen/hypercall.h>

// Bump allocation that steps over memory regions with a fixed address.
uint64_t alloc(struct link *l, uint64_t size, uint64_t align)
{
    uint64_t p = align_up(l->next, align);
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < l->sys.nmrs; i++) {
            struct sdf_mr *mr = &l->sys.mrs[i];
            if (mr->has_phys_addr && overlaps(p, size, mr->phys_addr, mr->size)) {
                p = align_up(mr->phys_addr + mr->size, align);
                moved = true;
            }
        }
    }
    l->next = p + size;
    return p;
}

// `what` (owned from here on) names the chunk in the link map.
void add_chunk(struct link *l, uint64_t dest, uint64_t memsz, const uint8_t *data, uint64_t filesz,
               char *what)
{
    l->chunks = xrealloc(l->chunks, (size_t)(l->nchunks + 1) * sizeof(*l->chunks));
    l->chunks[l->nchunks++] = (struct chunk){dest, memsz, filesz, data, what};
}

static void add_vrange(struct lpd *pd, uint64_t va, uint64_t pa, uint64_t size, unsigned perms,
                       bool cached, char *what, struct pos pos)
{
    pd->vr = xrealloc(pd->vr, (size_t)(pd->nvr + 1) * sizeof(*pd->vr));
    pd->vr[pd->nvr++] = (struct vrange){va, pa, size, perms, cached, what, pos};
}

static unsigned elf_perms(unsigned pflags)
{
    return ((pflags & 4) ? S2_PERM_R : 0) | ((pflags & 2) ? S2_PERM_W : 0) |
           ((pflags & 1) ? S2_PERM_X : 0);
}

static char *sdf_relative(const struct link *l, const char *name)
{
    if (name[0] == '/')
        return xstrdup(name);
    char *sdfcopy = xstrdup(l->sys.path);
    char *p = xasprintf("%s/%s", dirname(sdfcopy), name);
    free(sdfcopy);
    return p;
}

// Preloaded contents of a memory region: chunks after its zero fill, which
// the loader processes in order.
static void load_region_files(struct link *l, struct sdf_mr *mr, uint64_t pa)
{
    uint64_t *sizes = xcalloc((size_t)mr->nfiles + 1, sizeof(*sizes));
    for (int j = 0; j < mr->nfiles; j++) {
        struct sdf_file *f = &mr->files[j];
        if (!f->path)
            continue;
        char *path = sdf_relative(l, f->path);
        FILE *fp = fopen(path, "rb");
        long size = -1;
        if (fp && fseek(fp, 0, SEEK_END) == 0)
            size = ftell(fp);
        if (!fp || size < 0) {
            error_at(f->pos, "memory region '%s': cannot read file '%s'", mr->name, path);
        } else if ((uint64_t)size > mr->size || f->offset > mr->size - (uint64_t)size) {
            error_at(f->pos,
                     "memory region '%s': file '%s' (%ld bytes at offset 0x%llx) does not fit "
                     "in its 0x%llx bytes",
                     mr->name, path, size, (unsigned long long)f->offset,
                     (unsigned long long)mr->size);
        } else if (!in_ram(l->board, pa, mr->size)) {
            error_at(f->pos, "memory region '%s' is not RAM: it cannot be preloaded", mr->name);
        } else {
            uint8_t *data = xmalloc((size_t)size + 1);
            rewind(fp);
            if (fread(data, 1, (size_t)size, fp) != (size_t)size) {
                error_at(f->pos, "memory region '%s': cannot read file '%s'", mr->name, path);
                free(data);
            } else {
                l->file_data =
                    xrealloc(l->file_data, (size_t)(l->nfile_data + 1) * sizeof(*l->file_data));
                l->file_data[l->nfile_data++] = data;
                add_chunk(l, pa + f->offset, (uint64_t)size, data, (uint64_t)size,
                          xasprintf("file %s in memory region '%s'", f->path, mr->name));
            }
        }
        if (size >= 0) { // one file never overwrites another
            sizes[j] = (uint64_t)size;
            for (int k = 0; k < j; k++)
                if (mr->files[k].path &&
                    overlaps(f->offset, sizes[j], mr->files[k].offset, sizes[k]))
                    error_at(f->pos, "memory region '%s': file '%s' overlaps the file of line %d",
                             mr->name, f->path, mr->files[k].pos.line);
        }
        if (fp)
            fclose(fp);
        free(path);
    }
    free(sizes);
}

void layout_memory(struct link *l)
{
    struct sdf_system *s = &l->sys;
    l->next = align_up(l->kernel_hi, LARGE_PAGE);
    l->bootinfo_size = sizeof(struct sg_bootinfo) + (size_t)l->nthreads * sizeof(struct sg_pd_info);
    l->bootinfo_pa = alloc(l, align_up(l->bootinfo_size, PAGE), PAGE);
    for (int i = 0; i < s->nmrs; i++) {
        struct sdf_mr *mr = &s->mrs[i];
        if (mr->has_phys_addr)
            l->mr_pa[i] = mr->phys_addr;
        else
            l->mr_pa[i] = alloc(l, mr->size, mr->size >= LARGE_PAGE ? LARGE_PAGE : mr->page_size);
        if (in_ram(l->board, l->mr_pa[i], mr->size))
            add_chunk(l, l->mr_pa[i], mr->size, NULL, 0, // zero-filled at boot
                      xasprintf("memory region '%s'", mr->name));
        load_region_files(l, mr, l->mr_pa[i]);
    }
    for (int i = 0; i < s->npds; i++) {
        struct lpd *pd = &l->pds[i];
        struct pos ipos = pd->sdf->image_pos;
        pd->seg_pa = xcalloc((size_t)pd->elf.nsegs + 1, sizeof(*pd->seg_pa));
        pd->seg_buf = xcalloc((size_t)pd->elf.nsegs + 1, sizeof(*pd->seg_buf));
        for (int j = 0; j < pd->elf.nsegs; j++) {
            struct elf_segment *sg = &pd->elf.segs[j];
            uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = align_up(sg->vaddr + sg->memsz, PAGE);
            pd->seg_pa[j] = alloc(l, hi - lo, PAGE);
            add_vrange(pd, lo, pd->seg_pa[j], hi - lo, elf_perms(sg->flags), true,
                       xasprintf("segment %d of %s", j, pd->sdf->program_image), ipos);
        }
        pd->ipcbuf_pa = alloc(l, PAGE, PAGE);
        add_chunk(l, pd->ipcbuf_pa, PAGE, NULL, 0,
                  xasprintf("IPC buffer of '%s'", pd_name(pd->sdf)));
        add_vrange(pd, SG_PD_IPCBUF_VA, pd->ipcbuf_pa, PAGE, S2_PERM_R | S2_PERM_W, true,
                   xstrdup("the IPC buffer"), pd->sdf->pos);
        pd->stack_pa = alloc(l, pd->sdf->stack_size, PAGE);
        add_chunk(l, pd->stack_pa, pd->sdf->stack_size, NULL, 0,
                  xasprintf("stack of '%s'", pd_name(pd->sdf)));
        add_vrange(pd, SG_PD_STACK_TOP - pd->sdf->stack_size, pd->stack_pa, pd->sdf->stack_size,
                   S2_PERM_R | S2_PERM_W, true, xstrdup("the stack"), pd->sdf->pos);
    }
}

static void check_overlaps(struct vrange *vr, int nvr, const char *space)
{
    for (int a = 0; a < nvr; a++)
        for (int b = 0; b < a; b++)
            if (overlaps(vr[a].va, vr[a].size, vr[b].va, vr[b].size))
                error_at(vr[a].pos, "in %s, %s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
                         space, vr[a].what, (unsigned long long)vr[a].va,
                         (unsigned long long)(vr[a].va + vr[a].size), vr[b].what,
                         (unsigned long long)vr[b].va, (unsigned long long)(vr[b].va + vr[b].size));
}

// Add one <map> to an address space; false after an error.
static void add_map(struct link *l, struct sdf_map *m, struct vrange **vr, int *nvr)
{
    struct sdf_system *s = &l->sys;
    int mi = find_mr(s, m->mr);
    if (mi < 0) {
        error_at(m->pos, "<map> names memory region '%s', which does not exist",
                 m->mr ? m->mr : "?");
        return;
    }
    struct sdf_mr *mr = &s->mrs[mi];
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
    unsigned perms = ((m->perms & SDF_PERM_R) ? S2_PERM_R : 0) |
                     ((m->perms & SDF_PERM_W) ? S2_PERM_W : 0) |
                     ((m->perms & SDF_PERM_X) ? S2_PERM_X : 0);
    *vr = xrealloc(*vr, (size_t)(*nvr + 1) * sizeof(**vr));
    (*vr)[(*nvr)++] = (struct vrange){
        m->vaddr, l->mr_pa[mi], mr->size, perms, m->cached, xasprintf("the map of '%s'", mr->name),
        m->pos};
}

void layout_maps(struct link *l)
{
    struct sdf_system *s = &l->sys;
    for (int i = 0; i < s->npds; i++) {
        struct lpd *pd = &l->pds[i];
        for (int j = 0; j < pd->sdf->nmaps; j++)
            add_map(l, &pd->sdf->maps[j], &pd->vr, &pd->nvr);
        char *space = xasprintf("protection domain '%s'", pd_name(pd->sdf));
        check_overlaps(pd->vr, pd->nvr, space);
        free(space);
    }
    for (int i = 0; i < l->nvms; i++) {
        struct lvm *v = &l->vms[i];
        for (int j = 0; j < v->vm->nmaps; j++)
            add_map(l, &v->vm->maps[j], &v->vr, &v->nvr);
        char *space = xasprintf("virtual machine '%s'", v->vm->name ? v->vm->name : "?");
        check_overlaps(v->vr, v->nvr, space);
        free(space);
    }
}

void check_fits(struct link *l)
{
    const struct board_rt *b = l->board;
    if (l->next > b->ram_base + b->ram_size)
        error_at(l->sys.pos, "the system needs RAM up to 0x%llx but board '%s' ends at 0x%llx",
                 (unsigned long long)l->next, b->name,
                 (unsigned long long)(b->ram_base + b->ram_size));
}
