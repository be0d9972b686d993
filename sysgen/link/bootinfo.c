// SPDX-License-Identifier: BSD-2-Clause
// The boot info the kernel reads (<sysgen/bootinfo.h>): the board, then
// one entry per thread, every PD and then every VM's vCPUs, with their
// stage-2 roots, priorities and channel and irq ends.
#include "link/linker.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/bootinfo.h>
#include <sysgen/hypercall.h>

static void board_info(const struct target *t, struct sg_bootinfo *bi)
{
    bi->ram_base = t->ram_base;
    bi->ram_size = t->ram_size;
    bi->uart_base = t->uart_base;
    bi->uart_kind = t->uart_kind;
    bi->uart_irq = t->uart_irq;
    bi->gicd_base = t->gicd_base;
    bi->gicr_base = t->gicr_base;
    bi->sched_irq = t->sched_irq;
    bi->timeslice_us = t->timeslice_us;
}

// VMID = thread index + 1 (0 is the kernel's own).
static uint64_t vttbr(uint64_t s2_root, int thread)
{
    return s2_root | ((uint64_t)(thread + 1) << 48);
}

static void pd_info(const struct link_pd *pd, int index, struct sg_pd_info *pi)
{
    const struct sdf_pd *sp = pd->sdf;
    strncpy(pi->name, pd_name(sp), SG_NAME_LEN - 1);
    pi->entry = pd->elf.entry;
    pi->stack_top = SG_PD_STACK_TOP;
    pi->ipcbuf_va = SG_PD_IPCBUF_VA;
    pi->ipcbuf_pa = pd->ipcbuf_pa;
    pi->vttbr = vttbr(pd->as.s2_pa, index);
    pi->priority = (uint8_t)sp->priority;
    pi->parent = sp->parent >= 0 ? (uint8_t)sp->parent : SG_NO_PARENT;
    pi->child_id = sp->child_id >= 0 ? (uint8_t)sp->child_id : 0;
    pi->passive = sp->passive;
    pi->cpu = (uint8_t)sp->cpu;
    for (int j = 0; j < sp->nirqs; j++) {
        const struct sdf_irq *q = &sp->irqs[j];
        pi->ends[q->id] = (struct sg_end){SG_END_IRQ, q->edge ? SG_END_EDGE : 0, 0, 0, q->irq};
    }
}

// A VM's vCPUs: after all PDs, each a child of its VMM, started stopped
// (the VMM starts them).
static int vcpu_infos(const struct sdf_system *s, const struct link_vm *v, int t,
                      struct sg_bootinfo *bi)
{
    const struct sdf_pd *vmm = &s->pds[v->vmm];
    for (int j = 0; j < v->vm->nvcpus; j++, t++) {
        struct sg_pd_info *pi = &bi->pds[t];
        snprintf(pi->name, SG_NAME_LEN, "%s:%d", v->vm->name ? v->vm->name : "vm",
                 v->vm->vcpus[j]);
        pi->vttbr = vttbr(v->as.s2_pa, t);
        pi->priority = (uint8_t)(v->vm->priority >= 0 ? v->vm->priority : vmm->priority);
        pi->parent = (uint8_t)v->vmm;
        pi->child_id = (uint8_t)v->vm->vcpus[j];
        pi->kind = SG_KIND_VCPU;
        pi->cpu = (uint8_t)(v->vm->vcpu_cpu[j] >= 0 ? v->vm->vcpu_cpu[j] : vmm->cpu);
    }
    return t;
}

static void channel_ends(const struct sdf_system *s, struct sg_bootinfo *bi)
{
    for (int c = 0; c < s->nchannels; c++) {
        const struct sdf_channel *ch = &s->channels[c];
        for (int e = 0; e < 2; e++) {
            int me = sdf_find_pd(s, ch->end[e].pd), peer = sdf_find_pd(s, ch->end[1 - e].pd);
            uint8_t flags = (uint8_t)((ch->end[e].pp ? SG_END_PP : 0) |
                                      (ch->end[e].notify ? SG_END_NOTIFY : 0));
            bi->pds[me].ends[ch->end[e].id] = (struct sg_end){SG_END_CHANNEL, flags, (uint8_t)peer,
                                                              (uint8_t)ch->end[1 - e].id, 0};
        }
    }
}

uint8_t *build_bootinfo(const struct sdf_system *s, const struct target *t,
                        const struct link_pd *pds, const struct link_vm *vms, int nvms,
                        int nthreads, size_t size)
{
    uint8_t *bytes = xcalloc(1, size);
    struct sg_bootinfo *bi = (void *)bytes;
    bi->magic = SG_BOOTINFO_MAGIC;
    bi->version = SG_BOOTINFO_VERSION;
    bi->size = (uint32_t)size;
    bi->npds = (uint32_t)nthreads;
    board_info(t, bi);
    for (int i = 0; i < s->npds; i++)
        pd_info(&pds[i], i, &bi->pds[i]);
    int thread = s->npds;
    for (int i = 0; i < nvms; i++)
        thread = vcpu_infos(s, &vms[i], thread, bi);
    channel_ends(s, bi);
    bi->ncpus = 1;
    for (int i = 0; i < nthreads; i++)
        if (bi->pds[i].cpu + 1u > bi->ncpus)
            bi->ncpus = bi->pds[i].cpu + 1u;
    return bytes;
}
