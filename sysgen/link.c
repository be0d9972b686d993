// SPDX-License-Identifier: BSD-2-Clause
// The image linker.  In order: read the SDF, check every rule that needs
// more than one element, load the program ELFs, lay out physical memory
// (bump allocation upwards from the kernel, around fixed regions), lay out
// each PD's address space, patch setvars, build stage-2 tables and boot
// info, and write the image.  Each step collects all its errors; the next
// step runs only if there were none, and no image is written after an error.
#include "link.h"
#include "board.h"
#include "diag.h"
#include "elf_load.h"
#include "link_image.h"
#include "link_stage2.h"
#include "sdf.h"
#include "strbuf.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/bootinfo.h>
#include <sysgen/config.h>
#include <sysgen/hypercall.h>

#define PAGE               0x1000ull
#define LARGE_PAGE         0x200000ull
#define DEFAULT_BOARD      "qemu_virt_aarch64"
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

#define GICD_SIZE       0x10000 // architectural
#define GICR_SIZE       0x80000 // four 128 KiB redistributor frames: both boards' CPU count
#define SCHED_IRQ       26      // EL2 physical timer PPI (Arm BSA/SBSA)
#define TIMESLICE_US    5000

static uint32_t uart_kind_of(const char *driver)
{
    if (driver && strcmp(driver, "pl011") == 0)
        return SG_UART_PL011;
    if (driver && strcmp(driver, "imx") == 0)
        return SG_UART_IMX;
    return SG_UART_NONE; // the kernel stays silent; PDs still run
}

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

static uint64_t round_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static int find_pd(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->npds; i++)
        if (s->pds[i].name && strcmp(s->pds[i].name, name) == 0)
            return i;
    return -1;
}

static int find_mr(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->nmrs; i++)
        if (s->mrs[i].name && strcmp(s->mrs[i].name, name) == 0)
            return i;
    return -1;
}

static bool in_ram(const struct board_rt *b, uint64_t a, uint64_t sz)
{
    return a >= b->ram_base && sz <= b->ram_size && a - b->ram_base <= b->ram_size - sz;
}

static const char *pd_name(const struct sdf_pd *pd)
{
    return pd->name ? pd->name : "?";
}

// ---- checks that need more than one element ---------------------------

static void check_names(struct link *l)
{
    struct sdf_system *s = &l->sys;
    if (l->nthreads > SG_MAX_PDS)
        error_at(s->pos, "%d protection domains and vCPUs, at most %d are supported", l->nthreads,
                 SG_MAX_PDS);
    for (int i = 0; i < s->npds; i++) {
        if (s->pds[i].name && strlen(s->pds[i].name) >= SG_NAME_LEN)
            error_at(s->pds[i].pos, "protection domain name '%s' is longer than %d characters",
                     s->pds[i].name, SG_NAME_LEN - 1);
        if (find_pd(s, s->pds[i].name) != i)
            error_at(s->pds[i].pos, "protection domain '%s' is defined twice (first at line %d)",
                     s->pds[i].name, s->pds[find_pd(s, s->pds[i].name)].pos.line);
    }
    for (int i = 0; i < s->nmrs; i++)
        if (find_mr(s, s->mrs[i].name) != i)
            error_at(s->mrs[i].pos, "memory region '%s' is defined twice (first at line %d)",
                     s->mrs[i].name, s->mrs[find_mr(s, s->mrs[i].name)].pos.line);
}

// Every id of a PD names one thing: a channel end or an irq.
static void claim_id(struct pos *owner[][SG_MAX_ENDS], int pd, int id, struct pos *where,
                     const char *pdname)
{
    if (id < 0)
        return;
    if (owner[pd][id])
        error_at(*where, "id %d of protection domain '%s' is already used at line %d", id, pdname,
                 owner[pd][id]->line);
    else
        owner[pd][id] = where;
}

static void check_channels_and_irqs(struct link *l)
{
    struct sdf_system *s = &l->sys;
    struct pos *(*owner)[SG_MAX_ENDS] = xcalloc((size_t)s->npds + 1, sizeof(*owner));
    for (int i = 0; i < s->npds; i++) {
        struct sdf_pd *pd = &s->pds[i];
        for (int j = 0; j < pd->nirqs; j++) {
            struct sdf_irq *q = &pd->irqs[j];
            claim_id(owner, i, q->id, &q->pos, pd_name(pd));
            if (q->irq == l->board->sched_irq)
                error_at(q->pos, "irq %u is the kernel's scheduling timer", q->irq);
            for (int k = 0; k <= i; k++)
                for (int m = 0; m < s->pds[k].nirqs && (k < i || m < j); m++)
                    if (s->pds[k].irqs[m].irq == q->irq)
                        error_at(q->pos, "irq %u is already given to '%s' at line %d", q->irq,
                                 pd_name(&s->pds[k]), s->pds[k].irqs[m].pos.line);
        }
        // Child ids are their own namespace in the parent (as in Microkit).
        for (int k = 0; k < i && pd->parent >= 0; k++)
            if (s->pds[k].parent == pd->parent && s->pds[k].child_id == pd->child_id)
                error_at(pd->pos, "child id %d of '%s' is already used by '%s' at line %d",
                         pd->child_id, pd_name(&s->pds[pd->parent]), pd_name(&s->pds[k]),
                         s->pds[k].pos.line);
    }
    // vCPU ids share the child namespace of their VMM with child PDs.
    for (int i = 0; i < s->npds; i++) {
        struct sdf_vm *vm = s->pds[i].vm;
        for (int v = 0; vm && v < vm->nvcpus; v++) {
            for (int k = 0; k < s->npds; k++)
                if (s->pds[k].parent == i && s->pds[k].child_id == vm->vcpus[v])
                    error_at(vm->vcpu_pos[v], "vcpu id %d of '%s' is already used by child '%s'",
                             vm->vcpus[v], pd_name(&s->pds[i]), pd_name(&s->pds[k]));
            for (int w = 0; w < v; w++)
                if (vm->vcpus[w] == vm->vcpus[v])
                    error_at(vm->vcpu_pos[v], "vcpu id %d is used twice in virtual machine '%s'",
                             vm->vcpus[v], vm->name ? vm->name : "?");
        }
    }
    for (int c = 0; c < s->nchannels; c++) {
        struct sdf_channel *ch = &s->channels[c];
        int p[2];
        for (int e = 0; e < 2; e++) {
            p[e] = find_pd(s, ch->end[e].pd);
            if (ch->end[e].pd && p[e] < 0)
                error_at(ch->end[e].pos, "<end> names protection domain '%s', which does not exist",
                         ch->end[e].pd);
            if (p[e] >= 0)
                claim_id(owner, p[e], ch->end[e].id, &ch->end[e].pos, ch->end[e].pd);
        }
        if (p[0] < 0 || p[1] < 0)
            continue;
        if (p[0] == p[1])
            error_at(ch->pos, "<channel> connects protection domain '%s' to itself", ch->end[0].pd);
        for (int e = 0; e < 2; e++) {
            struct sdf_pd *from = &s->pds[p[e]], *to = &s->pds[p[1 - e]];
            if (ch->end[e].pp && to->priority <= from->priority)
                error_at(ch->end[e].pos,
                         "pp end of '%s' (priority %d) calls '%s' (priority %d): a protected "
                         "call must go to a strictly higher priority",
                         pd_name(from), from->priority, pd_name(to), to->priority);
        }
    }
    free(owner);
}

static void check_fixed_regions(struct link *l)
{
    const struct board_rt *b = l->board;
    struct sdf_system *s = &l->sys;
    for (int i = 0; i < s->nmrs; i++) {
        struct sdf_mr *mr = &s->mrs[i];
        if (!mr->has_phys_addr)
            continue;
        uint64_t a = mr->phys_addr, sz = mr->size;
        if (a + sz < a)
            error_at(mr->pos, "memory region '%s' wraps around the address space", mr->name);
        else if (overlaps(a, sz, b->ram_base, b->ram_size) && !in_ram(b, a, sz))
            error_at(mr->pos,
                     "memory region '%s' [0x%llx, 0x%llx) lies partly outside RAM [0x%llx, "
                     "0x%llx)",
                     mr->name, (unsigned long long)a, (unsigned long long)(a + sz),
                     (unsigned long long)b->ram_base,
                     (unsigned long long)(b->ram_base + b->ram_size));
        else if (in_ram(b, a, sz) && overlaps(a, sz, b->ram_base, l->kernel_hi - b->ram_base))
            error_at(mr->pos,
                     "memory region '%s' at 0x%llx overlaps the loader or the kernel (RAM below "
                     "0x%llx is theirs)",
                     mr->name, (unsigned long long)a, (unsigned long long)l->kernel_hi);
        if (overlaps(a, sz, b->gicd_base, b->gicd_size) ||
            overlaps(a, sz, b->gicr_base, b->gicr_size))
            error_at(mr->pos, "memory region '%s' overlaps the GIC, which the kernel owns",
                     mr->name);
        for (int j = 0; j < i; j++) {
            struct sdf_mr *o = &s->mrs[j];
            if (o->has_phys_addr && overlaps(a, sz, o->phys_addr, o->size))
                error_at(mr->pos, "memory region '%s' overlaps memory region '%s' (line %d)",
                         mr->name, o->name, o->pos.line);
        }
    }
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

// ---- physical layout ------------------------------------------------------

// Bump allocation that steps over memory regions with a fixed address.
static uint64_t alloc(struct link *l, uint64_t size, uint64_t align)
{
    uint64_t p = round_up(l->next, align);
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < l->sys.nmrs; i++) {
            struct sdf_mr *mr = &l->sys.mrs[i];
            if (mr->has_phys_addr && overlaps(p, size, mr->phys_addr, mr->size)) {
                p = round_up(mr->phys_addr + mr->size, align);
                moved = true;
            }
        }
    }
    l->next = p + size;
    return p;
}

// `what` (owned from here on) names the chunk in the link map.
static void add_chunk(struct link *l, uint64_t dest, uint64_t memsz, const uint8_t *data,
                      uint64_t filesz, char *what)
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

static void layout_memory(struct link *l)
{
    struct sdf_system *s = &l->sys;
    l->next = round_up(l->kernel_hi, LARGE_PAGE);
    l->bootinfo_size = sizeof(struct sg_bootinfo) + (size_t)l->nthreads * sizeof(struct sg_pd_info);
    l->bootinfo_pa = alloc(l, round_up(l->bootinfo_size, PAGE), PAGE);
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
            uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = round_up(sg->vaddr + sg->memsz, PAGE);
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

static void layout_maps(struct link *l)
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

// ---- setvars ----------------------------------------------------------------

static void set_u64(struct lpd *pd, const char *sym, uint64_t value, struct pos pos)
{
    const struct elf_sym *s = elf_find_sym(&pd->elf, sym);
    if (!s) {
        error_at(pos, "setvar: symbol '%s' not found in %s", sym, pd->sdf->program_image);
        return;
    }
    if (s->size != 8) {
        error_at(pos, "setvar: symbol '%s' in %s is %llu bytes, not a 64-bit variable", sym,
                 pd->sdf->program_image, (unsigned long long)s->size);
        return;
    }
    if (!elf_patch(&pd->elf, s->value, &value, sizeof(value)))
        error_at(pos, "setvar: symbol '%s' in %s is not in a loaded segment", sym,
                 pd->sdf->program_image);
}

static void patch_setvars(struct link *l)
{
    struct sdf_system *s = &l->sys;
    for (int i = 0; i < s->npds; i++) {
        struct lpd *pd = &l->pds[i];
        for (int j = 0; j < pd->sdf->nmaps; j++) {
            struct sdf_map *m = &pd->sdf->maps[j];
            if (m->setvar_vaddr)
                set_u64(pd, m->setvar_vaddr, m->vaddr, m->pos);
        }
        for (int j = 0; j < pd->sdf->nsetvars; j++) {
            struct sdf_setvar *sv = &pd->sdf->setvars[j];
            int mi = find_mr(s, sv->region_paddr);
            if (mi < 0)
                error_at(sv->pos, "setvar: memory region '%s' does not exist",
                         sv->region_paddr ? sv->region_paddr : "?");
            else if (sv->symbol)
                set_u64(pd, sv->symbol, l->mr_pa[mi], sv->pos);
        }
        // The PD's name, for its own messages (libmicrokit's microkit_name).
        const struct elf_sym *name = elf_find_sym(&pd->elf, "microkit_name");
        if (name && name->size > 0) {
            char *buf = xcalloc(1, (size_t)name->size);
            strncpy(buf, pd_name(pd->sdf), (size_t)name->size - 1);
            elf_patch(&pd->elf, name->value, buf, name->size);
            free(buf);
        }
    }
}

// Config bytes go into the section the component reserved for them.
static int patch_configs(struct link *l)
{
    for (size_t i = 0; i < l->nconfigs; i++) {
        const struct link_pd_config *c = &l->configs[i];
        int p = find_pd(&l->sys, c->pd);
        if (p < 0) {
            fatal_error("internal error: a config for protection domain '%s', which %s does not "
                        "define",
                        c->pd, l->sys.path);
            return 2;
        }
        struct lpd *pd = &l->pds[p];
        const struct elf_section *sec = elf_find_section(&pd->elf, SYSGEN_CONFIG_SECTION);
        if (!sec)
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s' has no %s section for its "
                     "%zu-byte config",
                     pd->sdf->program_image, pd_name(pd->sdf), SYSGEN_CONFIG_SECTION, c->size);
        else if (sec->size < c->size)
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s': its %s section has %llu "
                     "bytes, the config needs %zu (rebuild the component?)",
                     pd->sdf->program_image, pd_name(pd->sdf), SYSGEN_CONFIG_SECTION,
                     (unsigned long long)sec->size, c->size);
        else if (!elf_patch(&pd->elf, sec->addr, c->bytes, c->size))
            error_at(pd->sdf->image_pos, "program image '%s': %s is not in a loaded segment",
                     pd->sdf->program_image, SYSGEN_CONFIG_SECTION);
    }
    return 0;
}

// ---- stage 2, boot info, chunks -------------------------------------------------

static void build_stage2(struct link *l)
{
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        s2_init(&pd->s2);
        for (int j = 0; j < pd->nvr; j++)
            s2_map(&pd->s2, pd->vr[j].va, pd->vr[j].pa, pd->vr[j].size, pd->vr[j].perms,
                   pd->vr[j].cached);
        pd->s2_pa = alloc(l, (uint64_t)pd->s2.n * PAGE, PAGE);
        s2_finalize(&pd->s2, pd->s2_pa);
        add_chunk(l, pd->s2_pa, (uint64_t)pd->s2.n * PAGE, (const uint8_t *)pd->s2.tables,
                  (uint64_t)pd->s2.n * PAGE, xasprintf("stage-2 tables of '%s'", pd_name(pd->sdf)));
    }
    for (int i = 0; i < l->nvms; i++) {
        struct lvm *v = &l->vms[i];
        s2_init(&v->s2);
        for (int j = 0; j < v->nvr; j++)
            s2_map(&v->s2, v->vr[j].va, v->vr[j].pa, v->vr[j].size, v->vr[j].perms,
                   v->vr[j].cached);
        v->s2_pa = alloc(l, (uint64_t)v->s2.n * PAGE, PAGE);
        s2_finalize(&v->s2, v->s2_pa);
        add_chunk(
            l, v->s2_pa, (uint64_t)v->s2.n * PAGE, (const uint8_t *)v->s2.tables,
            (uint64_t)v->s2.n * PAGE,
            xasprintf("stage-2 tables of virtual machine '%s'", v->vm->name ? v->vm->name : "?"));
    }
}

static void build_bootinfo(struct link *l)
{
    const struct board_rt *b = l->board;
    struct sdf_system *s = &l->sys;
    l->bootinfo = xcalloc(1, l->bootinfo_size);
    struct sg_bootinfo *bi = (void *)l->bootinfo;
    bi->magic = SG_BOOTINFO_MAGIC;
    bi->version = SG_BOOTINFO_VERSION;
    bi->size = (uint32_t)l->bootinfo_size;
    bi->npds = (uint32_t)l->nthreads;
    bi->ram_base = b->ram_base;
    bi->ram_size = b->ram_size;
    bi->uart_base = b->uart_base;
    bi->uart_kind = b->uart_kind;
    bi->uart_irq = b->uart_irq;
    bi->gicd_base = b->gicd_base;
    bi->gicr_base = b->gicr_base;
    bi->sched_irq = b->sched_irq;
    bi->timeslice_us = b->timeslice_us;
    for (int i = 0; i < s->npds; i++) {
        struct lpd *pd = &l->pds[i];
        struct sg_pd_info *pi = &bi->pds[i];
        strncpy(pi->name, pd_name(pd->sdf), SG_NAME_LEN - 1);
        pi->entry = pd->elf.entry;
        pi->stack_top = SG_PD_STACK_TOP;
        pi->ipcbuf_va = SG_PD_IPCBUF_VA;
        pi->ipcbuf_pa = pd->ipcbuf_pa;
        pi->vttbr = pd->s2_pa | ((uint64_t)(i + 1) << 48); // VMID = index + 1
        pi->priority = (uint8_t)pd->sdf->priority;
        pi->parent = pd->sdf->parent >= 0 ? (uint8_t)pd->sdf->parent : SG_NO_PARENT;
        pi->child_id = pd->sdf->child_id >= 0 ? (uint8_t)pd->sdf->child_id : 0;
        pi->passive = pd->sdf->passive;
        for (int j = 0; j < pd->sdf->nirqs; j++) {
            struct sdf_irq *q = &pd->sdf->irqs[j];
            pi->ends[q->id] = (struct sg_end){SG_END_IRQ, q->edge ? SG_END_EDGE : 0, 0, 0, q->irq};
        }
    }
    // vCPUs after all PDs: a VMM restarts them; they start stopped.
    int t = s->npds;
    for (int i = 0; i < l->nvms; i++) {
        struct lvm *v = &l->vms[i];
        const struct sdf_pd *vmm = &s->pds[v->vmm];
        for (int j = 0; j < v->vm->nvcpus; j++, t++) {
            struct sg_pd_info *pi = &bi->pds[t];
            snprintf(pi->name, SG_NAME_LEN, "%s:%d", v->vm->name ? v->vm->name : "vm",
                     v->vm->vcpus[j]);
            pi->vttbr = v->s2_pa | ((uint64_t)(t + 1) << 48);
            pi->priority = (uint8_t)(v->vm->priority >= 0 ? v->vm->priority : vmm->priority);
            pi->parent = (uint8_t)v->vmm;
            pi->child_id = (uint8_t)v->vm->vcpus[j];
            pi->kind = SG_KIND_VCPU;
        }
    }
    for (int c = 0; c < s->nchannels; c++) {
        struct sdf_channel *ch = &s->channels[c];
        for (int e = 0; e < 2; e++) {
            int me = find_pd(s, ch->end[e].pd), peer = find_pd(s, ch->end[1 - e].pd);
            uint8_t flags = (uint8_t)((ch->end[e].pp ? SG_END_PP : 0) |
                                      (ch->end[e].notify ? SG_END_NOTIFY : 0));
            bi->pds[me].ends[ch->end[e].id] = (struct sg_end){SG_END_CHANNEL, flags, (uint8_t)peer,
                                                              (uint8_t)ch->end[1 - e].id, 0};
        }
    }
    add_chunk(l, l->bootinfo_pa, round_up(l->bootinfo_size, PAGE), l->bootinfo, l->bootinfo_size,
              xstrdup("boot info"));
}

static void add_elf_chunks(struct link *l)
{
    for (int i = 0; i < l->kernel.nsegs; i++) {
        struct elf_segment *sg = &l->kernel.segs[i];
        add_chunk(l, sg->paddr, sg->memsz, sg->data, sg->filesz, xasprintf("kernel segment %d", i));
    }
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        for (int j = 0; j < pd->elf.nsegs; j++) {
            struct elf_segment *sg = &pd->elf.segs[j];
            uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = round_up(sg->vaddr + sg->memsz, PAGE);
            uint64_t off = sg->vaddr - lo;
            pd->seg_buf[j] = xcalloc(1, (size_t)(hi - lo));
            memcpy(pd->seg_buf[j] + off, sg->data, (size_t)sg->filesz);
            add_chunk(
                l, pd->seg_pa[j], hi - lo, pd->seg_buf[j], off + sg->filesz,
                xasprintf("segment %d of '%s' (%s)", j, pd_name(pd->sdf), pd->sdf->program_image));
        }
    }
}

static void check_fits(struct link *l)
{
    const struct board_rt *b = l->board;
    if (l->next > b->ram_base + b->ram_size)
        error_at(l->sys.pos, "the system needs RAM up to 0x%llx but board '%s' ends at 0x%llx",
                 (unsigned long long)l->next, b->name,
                 (unsigned long long)(b->ram_base + b->ram_size));
}

static int cmp_chunk(const void *a, const void *b)
{
    const struct chunk *x = a, *y = b;
    return x->dest < y->dest ? -1 : x->dest > y->dest;
}

static void map_space(struct strbuf *sb, const char *title, const struct vrange *vr, int n)
{
    sb_printf(sb, "\n%s\n", title);
    for (int i = 0; i < n; i++)
        sb_printf(sb, "  0x%010llx-0x%010llx -> 0x%010llx %c%c%c%s  %s\n",
                  (unsigned long long)vr[i].va, (unsigned long long)(vr[i].va + vr[i].size),
                  (unsigned long long)vr[i].pa, (vr[i].perms & S2_PERM_R) ? 'r' : '-',
                  (vr[i].perms & S2_PERM_W) ? 'w' : '-', (vr[i].perms & S2_PERM_X) ? 'x' : '-',
                  vr[i].cached ? "" : " device", vr[i].what);
}

// OUT/loader.map: where everything went, for people (deterministic).
static int write_link_map(struct link *l, const char *out_dir)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "# sysgen link map of %s, board %s\n\nphysical memory\n", l->sys.path,
              l->board->name);
    struct chunk *sorted = xmalloc((size_t)l->nchunks * sizeof(*sorted) + 1);
    memcpy(sorted, l->chunks, (size_t)l->nchunks * sizeof(*sorted));
    qsort(sorted, (size_t)l->nchunks, sizeof(*sorted), cmp_chunk);
    for (int i = 0; i < l->nchunks; i++)
        sb_printf(&sb, "  0x%010llx-0x%010llx %10llu bytes  %s\n",
                  (unsigned long long)sorted[i].dest,
                  (unsigned long long)(sorted[i].dest + sorted[i].memsz),
                  (unsigned long long)sorted[i].memsz, sorted[i].what);
    free(sorted);
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        char *t = xasprintf("protection domain '%s' (priority %d, entry 0x%llx)", pd_name(pd->sdf),
                            pd->sdf->priority, (unsigned long long)pd->elf.entry);
        map_space(&sb, t, pd->vr, pd->nvr);
        free(t);
    }
    for (int i = 0; i < l->nvms; i++) {
        char *t = xasprintf("virtual machine '%s' (VMM '%s')",
                            l->vms[i].vm->name ? l->vms[i].vm->name : "?",
                            pd_name(&l->sys.pds[l->vms[i].vmm]));
        map_space(&sb, t, l->vms[i].vr, l->vms[i].nvr);
        free(t);
    }
    int rc = write_file_atomic(out_dir, "loader.map", sb.data, sb.len);
    sb_free(&sb);
    return rc;
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
    l->board_data = (struct board_rt){l->board_name,
                                      b->ram_base,
                                      b->ram_size,
                                      b->uart.base,
                                      uart_kind_of(b->uart.driver),
                                      b->uart.irq,
                                      b->gicd_base,
                                      GICD_SIZE,
                                      b->gicr_base,
                                      GICR_SIZE,
                                      SCHED_IRQ,
                                      TIMESLICE_US};
    l->board = &l->board_data;
    board_free(b);
    return true;
}

static int link_run(struct link *l, const char *sdf_path, const char *out_dir, int before)
{
    bool io_error;
    if (!sdf_parse_file(sdf_path, &l->sys, &io_error))
        return io_error ? 2 : 1;
    if (!load_board(l, l->sys.board ? l->sys.board : DEFAULT_BOARD))
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
