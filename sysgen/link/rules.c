// SPDX-License-Identifier: BSD-2-Clause
// The linker's rules that need more than one element: unique names, one
// owner per id and per IRQ, pp only toward higher priorities, fixed regions
// clear of each other, the GIC, the kernel and the end of RAM.
#include "link/internal.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <sysgen/bootinfo.h>

void check_names(struct link *l)
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

void check_channels_and_irqs(struct link *l)
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

void check_fixed_regions(struct link *l)
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
