// SPDX-License-Identifier: BSD-2-Clause
// The linker's rules that need more than one SDF element (the SDF reader
// checks each element by itself).  Each rule is one named function, listed
// in `rules` at the end in the order they run; each has a case in
// tests/runtime/bad/ or tests/runtime/errors.sh that breaks it.
#include "link/linker.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <stdlib.h>
#include <string.h>
#include <sysgen/bootinfo.h>

// too-many-threads: the kernel schedules PDs and vCPUs alike, from a
// fixed table.
static void rule_too_many_threads(const struct link_facts *f)
{
    if (f->nthreads > SG_MAX_PDS)
        error_at(f->sdf->pos, "%d protection domains and vCPUs, at most %d are supported",
                 f->nthreads, SG_MAX_PDS);
}

// pd-name-length: a PD's name fits the boot info's name field.
static void rule_pd_name_length(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++)
        if (s->pds[i].name && strlen(s->pds[i].name) >= SG_NAME_LEN)
            error_at(s->pds[i].pos, "protection domain name '%s' is longer than %d characters",
                     s->pds[i].name, SG_NAME_LEN - 1);
}

// duplicate-pd: PD names are unique.
static void rule_duplicate_pd(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++) {
        int first = sdf_find_pd(s, s->pds[i].name);
        if (first >= 0 && first != i)
            error_at(s->pds[i].pos, "protection domain '%s' is defined twice (first at line %d)",
                     s->pds[i].name, s->pds[first].pos.line);
    }
}

// duplicate-mr: memory region names are unique.
static void rule_duplicate_mr(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->nmrs; i++) {
        int first = sdf_find_mr(s, s->mrs[i].name);
        if (first >= 0 && first != i)
            error_at(s->mrs[i].pos, "memory region '%s' is defined twice (first at line %d)",
                     s->mrs[i].name, s->mrs[first].pos.line);
    }
}

// duplicate-id: every id of a PD names one thing, a channel end or an
// irq.  Irqs claim theirs first, in PD order, then channel ends.
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

static void rule_duplicate_id(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    struct pos *(*owner)[SG_MAX_ENDS] = xcalloc((size_t)s->npds + 1, sizeof(*owner));
    for (int i = 0; i < s->npds; i++)
        for (int j = 0; j < s->pds[i].nirqs; j++)
            claim_id(owner, i, s->pds[i].irqs[j].id, &s->pds[i].irqs[j].pos, pd_name(&s->pds[i]));
    for (int c = 0; c < s->nchannels; c++)
        for (int e = 0; e < 2; e++) {
            struct sdf_end *end = &s->channels[c].end[e];
            int p = sdf_find_pd(s, end->pd);
            if (p >= 0)
                claim_id(owner, p, end->id, &end->pos, end->pd);
        }
    free(owner);
}

// kernel-timer-irq: the kernel keeps its scheduling timer.
static void rule_kernel_timer_irq(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++)
        for (int j = 0; j < s->pds[i].nirqs; j++)
            if (s->pds[i].irqs[j].irq == f->target->sched_irq)
                error_at(s->pds[i].irqs[j].pos, "irq %u is the kernel's scheduling timer",
                         s->pds[i].irqs[j].irq);
}

// duplicate-irq: one hardware interrupt has one owner in the system.
static void rule_duplicate_irq(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++)
        for (int j = 0; j < s->pds[i].nirqs; j++) {
            const struct sdf_irq *q = &s->pds[i].irqs[j];
            for (int k = 0; k <= i; k++)
                for (int m = 0; m < s->pds[k].nirqs && (k < i || m < j); m++)
                    if (s->pds[k].irqs[m].irq == q->irq)
                        error_at(q->pos, "irq %u is already given to '%s' at line %d", q->irq,
                                 pd_name(&s->pds[k]), s->pds[k].irqs[m].pos.line);
        }
}

// duplicate-child-id: child ids are their own namespace in the parent
// (as in Microkit).
static void rule_duplicate_child_id(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++) {
        const struct sdf_pd *pd = &s->pds[i];
        for (int k = 0; k < i && pd->parent >= 0; k++)
            if (s->pds[k].parent == pd->parent && s->pds[k].child_id == pd->child_id)
                error_at(pd->pos, "child id %d of '%s' is already used by '%s' at line %d",
                         pd->child_id, pd_name(&s->pds[pd->parent]), pd_name(&s->pds[k]),
                         s->pds[k].pos.line);
    }
}

// vcpu-id: vCPU ids share the child namespace of their VMM with child
// PDs, and are unique in their VM.
static void rule_vcpu_id(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->npds; i++) {
        const struct sdf_vm *vm = s->pds[i].vm;
        for (int v = 0; vm && v < vm->nvcpus; v++) {
            for (int k = 0; k < s->npds; k++)
                if (s->pds[k].parent == i && s->pds[k].child_id == vm->vcpus[v])
                    error_at(vm->vcpu_pos[v], "vcpu id %d of '%s' is already used by child '%s'",
                             vm->vcpus[v], pd_name(&s->pds[i]), pd_name(&s->pds[k]));
            for (int w = 0; w < v; w++)
                if (vm->vcpus[w] == vm->vcpus[v])
                    error_at(vm->vcpu_pos[v], "vcpu id %d is used twice in virtual machine '%s'",
                             vm->vcpus[v], vm_name(vm));
        }
    }
}

// cpu-exists: every PD and vCPU runs on a core the board has.
static void rule_cpu_exists(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    unsigned cores = f->target->cores;
    for (int i = 0; i < s->npds; i++) {
        const struct sdf_pd *pd = &s->pds[i];
        if ((unsigned)pd->cpu >= cores)
            error_at(pd->pos, "protection domain '%s': cpu %d, but board '%s' has %u core%s (0..%u)",
                     pd_name(pd), pd->cpu, f->target->name, cores, cores == 1 ? "" : "s",
                     cores - 1);
        for (int v = 0; pd->vm && v < pd->vm->nvcpus; v++)
            if (pd->vm->vcpu_cpu[v] >= 0 && (unsigned)pd->vm->vcpu_cpu[v] >= cores)
                error_at(pd->vm->vcpu_pos[v], "vcpu %d of '%s': cpu %d, but board '%s' has %u "
                                              "core%s (0..%u)",
                         pd->vm->vcpus[v], vm_name(pd->vm), pd->vm->vcpu_cpu[v], f->target->name,
                         cores, cores == 1 ? "" : "s", cores - 1);
    }
}

// unknown-end-pd: a channel end names a PD of the system.
static void rule_unknown_end_pd(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int c = 0; c < s->nchannels; c++)
        for (int e = 0; e < 2; e++) {
            const struct sdf_end *end = &s->channels[c].end[e];
            if (end->pd && sdf_find_pd(s, end->pd) < 0)
                error_at(end->pos, "<end> names protection domain '%s', which does not exist",
                         end->pd);
        }
}

// channel-to-self: a channel joins two different PDs.
static void rule_channel_to_self(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int c = 0; c < s->nchannels; c++) {
        const struct sdf_channel *ch = &s->channels[c];
        int a = sdf_find_pd(s, ch->end[0].pd), b = sdf_find_pd(s, ch->end[1].pd);
        if (a >= 0 && a == b)
            error_at(ch->pos, "<channel> connects protection domain '%s' to itself", ch->end[0].pd);
    }
}

// pp-priority: a protected call goes to a strictly higher priority.
static void rule_pp_priority(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int c = 0; c < s->nchannels; c++) {
        const struct sdf_channel *ch = &s->channels[c];
        int p[2] = {sdf_find_pd(s, ch->end[0].pd), sdf_find_pd(s, ch->end[1].pd)};
        if (p[0] < 0 || p[1] < 0)
            continue;
        for (int e = 0; e < 2; e++) {
            const struct sdf_pd *from = &s->pds[p[e]], *to = &s->pds[p[1 - e]];
            if (ch->end[e].pp && to->priority <= from->priority)
                error_at(ch->end[e].pos,
                         "pp end of '%s' (priority %d) calls '%s' (priority %d): a protected "
                         "call must go to a strictly higher priority",
                         pd_name(from), from->priority, pd_name(to), to->priority);
        }
    }
}

// region-placement: a region with a fixed address does not wrap, lies
// wholly inside RAM or wholly outside it, and keeps clear of the loader
// and the kernel.
static void rule_region_placement(const struct link_facts *f)
{
    const struct target *t = f->target;
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->nmrs; i++) {
        const struct sdf_mr *mr = &s->mrs[i];
        uint64_t a = mr->phys_addr, sz = mr->size;
        if (!mr->has_phys_addr)
            continue;
        if (a + sz < a)
            error_at(mr->pos, "memory region '%s' wraps around the address space", mr->name);
        else if (ranges_overlap(a, sz, t->ram_base, t->ram_size) && !in_ram(t, a, sz))
            error_at(mr->pos,
                     "memory region '%s' [0x%llx, 0x%llx) lies partly outside RAM [0x%llx, "
                     "0x%llx)",
                     mr->name, (unsigned long long)a, (unsigned long long)(a + sz),
                     (unsigned long long)t->ram_base,
                     (unsigned long long)(t->ram_base + t->ram_size));
        else if (in_ram(t, a, sz) && ranges_overlap(a, sz, t->ram_base, f->kernel_end - t->ram_base))
            error_at(mr->pos,
                     "memory region '%s' at 0x%llx overlaps the loader or the kernel (RAM below "
                     "0x%llx is theirs)",
                     mr->name, (unsigned long long)a, (unsigned long long)f->kernel_end);
    }
}

// region-over-gic: the kernel owns the GIC.
static void rule_region_over_gic(const struct link_facts *f)
{
    const struct target *t = f->target;
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->nmrs; i++) {
        const struct sdf_mr *mr = &s->mrs[i];
        if (mr->has_phys_addr &&
            (ranges_overlap(mr->phys_addr, mr->size, t->gicd_base, t->gicd_size) ||
             ranges_overlap(mr->phys_addr, mr->size, t->gicr_base, t->gicr_size)))
            error_at(mr->pos, "memory region '%s' overlaps the GIC, which the kernel owns",
                     mr->name);
    }
}

// overlapping-regions: regions with fixed addresses do not overlap.
static void rule_overlapping_regions(const struct link_facts *f)
{
    const struct sdf_system *s = f->sdf;
    for (int i = 0; i < s->nmrs; i++) {
        const struct sdf_mr *mr = &s->mrs[i];
        for (int j = 0; j < i && mr->has_phys_addr; j++) {
            const struct sdf_mr *o = &s->mrs[j];
            if (o->has_phys_addr && ranges_overlap(mr->phys_addr, mr->size, o->phys_addr, o->size))
                error_at(mr->pos, "memory region '%s' overlaps memory region '%s' (line %d)",
                         mr->name, o->name, o->pos.line);
        }
    }
}

struct rule {
    const char *name;
    void (*fn)(const struct link_facts *f);
};

static const struct rule rules[] = {
    {"too-many-threads", rule_too_many_threads},
    {"pd-name-length", rule_pd_name_length},
    {"duplicate-pd", rule_duplicate_pd},
    {"duplicate-mr", rule_duplicate_mr},
    {"duplicate-id", rule_duplicate_id},
    {"kernel-timer-irq", rule_kernel_timer_irq},
    {"duplicate-irq", rule_duplicate_irq},
    {"duplicate-child-id", rule_duplicate_child_id},
    {"vcpu-id", rule_vcpu_id},
    {"cpu-exists", rule_cpu_exists},
    {"unknown-end-pd", rule_unknown_end_pd},
    {"channel-to-self", rule_channel_to_self},
    {"pp-priority", rule_pp_priority},
    {"region-placement", rule_region_placement},
    {"region-over-gic", rule_region_over_gic},
    {"overlapping-regions", rule_overlapping_regions},
};

void check_sdf(const struct link_facts *f)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        rules[i].fn(f);
}
