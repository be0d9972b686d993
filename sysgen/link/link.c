// SPDX-License-Identifier: BSD-2-Clause
// The image linker, top to bottom: load the runtime's ELFs, check the
// SDF's cross-element rules, load the program images, place physical
// memory, map each address space, patch the images, build stage-2 tables
// and boot info, and write loader.map and loader.img.  Each step reports
// all its errors; the next runs only if there were none, and nothing is
// written after an error.
#include "link/link.h"
#include "base/strbuf.h"
#include "base/units.h"
#include "link/linker.h"

#include <stdlib.h>
#include <string.h>

struct linker {
    const struct link_inputs *in;
    struct target target;
    struct runtime_images rt;
    struct link_pd *pds; // one per SDF PD, in SDF order
    struct link_vm *vms; // one per VMM PD, in SDF order
    int nvms;
    int nthreads; // PDs and vCPUs
    struct phys phys;
    struct placement placed;
    uint8_t *bootinfo;
    struct chunks chunks;
};

static void start(struct linker *k)
{
    const struct sdf_system *s = k->in->sdf;
    k->pds = xcalloc((size_t)s->npds + 1, sizeof(*k->pds));
    k->nthreads = s->npds;
    for (int i = 0; i < s->npds; i++) {
        k->pds[i].sdf = &s->pds[i];
        aspace_init(&k->pds[i].as, xasprintf("protection domain '%s'", pd_name(&s->pds[i])));
        const struct sdf_vm *vm = s->pds[i].vm;
        if (!vm)
            continue;
        k->vms = xrealloc(k->vms, (size_t)(k->nvms + 1) * sizeof(*k->vms));
        struct link_vm *v = &k->vms[k->nvms++];
        v->vm = vm;
        v->vmm = i;
        aspace_init(&v->as, xasprintf("virtual machine '%s'", vm_name(vm)));
        k->nthreads += vm->nvcpus;
    }
}

static void build_stage2(struct linker *k)
{
    const struct sdf_system *s = k->in->sdf;
    for (int i = 0; i < s->npds; i++)
        aspace_build_stage2(&k->pds[i].as, &k->phys, &k->chunks,
                            xasprintf("stage-2 tables of '%s'", pd_name(k->pds[i].sdf)));
    for (int i = 0; i < k->nvms; i++)
        aspace_build_stage2(&k->vms[i].as, &k->phys, &k->chunks,
                            xasprintf("stage-2 tables of virtual machine '%s'", vm_name(k->vms[i].vm)));
}

static void add_bootinfo(struct linker *k)
{
    const struct placement *p = &k->placed;
    k->bootinfo = build_bootinfo(k->in->sdf, &k->target, k->pds, k->vms, k->nvms, k->nthreads,
                                 p->bootinfo_size);
    chunks_add(&k->chunks, p->bootinfo_pa, align_up(p->bootinfo_size, PAGE), k->bootinfo,
               p->bootinfo_size, xstrdup("boot info"));
}

static void check_fits(const struct linker *k)
{
    const struct target *t = &k->target;
    if (k->phys.next > t->ram_base + t->ram_size)
        error_at(k->in->sdf->pos,
                 "the system needs RAM up to 0x%llx but board '%s' ends at 0x%llx",
                 (unsigned long long)k->phys.next, t->name,
                 (unsigned long long)(t->ram_base + t->ram_size));
}

// True if this run reported an error.
static bool failed(int before)
{
    return diag_error_count() > before;
}

static int run(struct linker *k, int before)
{
    const struct link_inputs *in = k->in;
    const struct sdf_system *s = in->sdf;
    int rc = load_runtime(in->components, &k->target, &k->rt);
    if (rc)
        return rc;
    start(k);
    check_sdf(&(struct link_facts){s, &k->target, k->rt.kernel_hi, k->nthreads});
    load_pd_programs(s, in->components, k->pds);
    if (failed(before))
        return 1;
    k->phys = (struct phys){align_up(k->rt.kernel_hi, LARGE_PAGE), s};
    place_memory(s, &k->target, k->nthreads, &k->phys, k->pds, &k->placed, &k->chunks);
    map_address_spaces(s, k->placed.mr_pa, k->pds, k->vms, k->nvms);
    if (failed(before))
        return 1;
    patch_setvars(s, k->placed.mr_pa, k->pds);
    rc = patch_configs(s, k->pds, in->configs, in->nconfigs);
    if (rc)
        return rc;
    if (failed(before))
        return 1;
    build_stage2(k); // before the boot info, which holds the tables' roots
    add_bootinfo(k);
    add_program_chunks(&k->rt, s, k->pds, &k->chunks);
    check_fits(k);
    if (failed(before))
        return 1;
    rc = write_link_map(in->out_dir, s, in->sdf_name, &k->target, &k->chunks, k->pds, k->vms, k->nvms);
    if (rc)
        return rc;
    return image_write(in->out_dir, &k->rt.loader, &k->chunks, k->target.ram_base,
                       k->rt.kernel.entry, k->placed.bootinfo_pa);
}

static void linker_free(struct linker *k)
{
    const struct sdf_system *s = k->in->sdf;
    for (int i = 0; i < s->npds && k->pds; i++) {
        struct link_pd *pd = &k->pds[i];
        for (int j = 0; j < pd->elf.nsegs && pd->seg_buf; j++)
            free(pd->seg_buf[j]);
        free(pd->seg_buf);
        free(pd->seg_pa);
        aspace_free(&pd->as);
        elf_free(&pd->elf);
    }
    for (int i = 0; i < k->nvms; i++)
        aspace_free(&k->vms[i].as);
    free(k->pds);
    free(k->vms);
    placement_free(&k->placed);
    free(k->bootinfo);
    chunks_free(&k->chunks);
    runtime_images_free(&k->rt);
}

int link_system(const struct link_inputs *in)
{
    struct linker k;
    memset(&k, 0, sizeof(k));
    k.in = in;
    k.target = target_of(in->board);
    int before = diag_error_count();
    int rc = run(&k, before);
    if (rc == 0 && failed(before))
        rc = 1;
    linker_free(&k);
    return rc;
}
