// SPDX-License-Identifier: BSD-2-Clause
// Stage-2 tables for every PD and VM, the boot info the kernel reads, and
// the chunks that carry kernel and PD segments into the image.
#include "link/internal.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <sysgen/bootinfo.h>
#include <sysgen/hypercall.h>

void build_stage2(struct link *l)
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

void build_bootinfo(struct link *l)
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
    add_chunk(l, l->bootinfo_pa, align_up(l->bootinfo_size, PAGE), l->bootinfo, l->bootinfo_size,
              xstrdup("boot info"));
}

void add_elf_chunks(struct link *l)
{
    for (int i = 0; i < l->kernel.nsegs; i++) {
        struct elf_segment *sg = &l->kernel.segs[i];
        add_chunk(l, sg->paddr, sg->memsz, sg->data, sg->filesz, xasprintf("kernel segment %d", i));
    }
    for (int i = 0; i < l->sys.npds; i++) {
        struct lpd *pd = &l->pds[i];
        for (int j = 0; j < pd->elf.nsegs; j++) {
            struct elf_segment *sg = &pd->elf.segs[j];
            uint64_t lo = sg->vaddr & ~(PAGE - 1), hi = align_up(sg->vaddr + sg->memsz, PAGE);
            uint64_t off = sg->vaddr - lo;
            pd->seg_buf[j] = xcalloc(1, (size_t)(hi - lo));
            memcpy(pd->seg_buf[j] + off, sg->data, (size_t)sg->filesz);
            add_chunk(
                l, pd->seg_pa[j], hi - lo, pd->seg_buf[j], off + sg->filesz,
                xasprintf("segment %d of '%s' (%s)", j, pd_name(pd->sdf), pd->sdf->program_image));
        }
    }
}
