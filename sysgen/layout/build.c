// SPDX-License-Identifier: BSD-2-Clause
// The builder's primitives: regions, mappings, ids, channels and
// connections (see build.h).
#include "layout/build.h"
#include "base/strbuf.h"
#include "base/units.h"
#include "layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct memory_region *new_region(struct builder *b, char *name, uint64_t size, struct pos pos)
{
    struct layout *l = b->l;
    struct memory_region *mr = xcalloc(1, sizeof(*mr));
    mr->name = name;
    mr->size = size;
    mr->pos = pos;
    mr->page_size = (size >= 2 * MiB && is_aligned(size, 2 * MiB)) ? 2 * MiB : 4 * KiB;
    uint64_t at = align_up(l->pool_next, mr->page_size);
    if (at + size > l->pool_end || at + size < at) {
        char s[32];
        if (!b->failed)
            error_at(pos,
                     "out of RAM placing memory region '%s' (%s): the board has too little "
                     "left after the guests",
                     name, format_size(size, s));
        b->failed = true;
    } else {
        mr->paddr = at;
        l->pool_next = at + size;
    }
    l->mrs = xrealloc(l->mrs, (l->nmrs + 1) * sizeof(*l->mrs));
    l->mrs[l->nmrs++] = mr;
    return mr;
}

struct memory_region *device_region(struct builder *b, const char *name,
                                    const struct board_device *d)
{
    uint64_t start = d->base & ~(4 * KiB - 1);
    uint64_t size = align_up(d->base + d->size, 4 * KiB) - start;
    for (size_t i = 0; i < b->l->nmrs; i++) {
        struct memory_region *mr = b->l->mrs[i];
        if (mr->device && mr->paddr == start && mr->size == size) {
            // "disk_regs" + "nic_regs" -> "disk_nic_regs": say who shares it
            size_t keep = strlen(mr->name) - strlen("_regs");
            char *both = xasprintf("%.*s_%s", (int)keep, mr->name, name);
            free(mr->name);
            mr->name = both;
            return mr;
        }
    }
    struct memory_region *mr = xcalloc(1, sizeof(*mr));
    mr->name = xstrdup(name);
    mr->size = size;
    mr->paddr = start;
    mr->page_size = 4 * KiB;
    mr->device = true;
    mr->pos = b->sys->board_pos;
    b->l->mrs = xrealloc(b->l->mrs, (b->l->nmrs + 1) * sizeof(*b->l->mrs));
    b->l->mrs[b->l->nmrs++] = mr;
    return mr;
}

struct memory_region *find_region(const struct layout *l, const char *name)
{
    for (size_t i = 0; i < l->nmrs; i++)
        if (strcmp(l->mrs[i]->name, name) == 0)
            return l->mrs[i];
    return NULL;
}

uint64_t map(struct pd *pd, struct memory_region *mr, const char *perms, bool cached)
{
    pd->maps = xrealloc(pd->maps, (pd->nmaps + 1) * sizeof(*pd->maps));
    struct mapping *m = &pd->maps[pd->nmaps++];
    memset(m, 0, sizeof(*m));
    m->mr = mr;
    m->vaddr = align_up(pd->next_vaddr, mr->page_size);
    snprintf(m->perms, sizeof(m->perms), "%s", perms);
    m->cached = cached;
    pd->next_vaddr = m->vaddr + mr->size;
    return m->vaddr;
}

uint32_t new_id(struct pd *pd)
{
    return pd->next_id++;
}

uint32_t add_irq(struct pd *pd, uint32_t irq)
{
    pd->irqs = xrealloc(pd->irqs, (pd->nirqs + 1) * sizeof(*pd->irqs));
    pd->irqs[pd->nirqs] = (struct pd_irq){irq, new_id(pd)};
    return pd->irqs[pd->nirqs++].id;
}

void new_channel(struct builder *b, struct pd *a, struct pd *bb, uint32_t *id_a, uint32_t *id_b,
                 const char *why, struct pos pos)
{
    struct layout *l = b->l;
    l->channels = xrealloc(l->channels, (l->nchannels + 1) * sizeof(*l->channels));
    struct channel *c = &l->channels[l->nchannels++];
    memset(c, 0, sizeof(*c));
    c->a = a;
    c->b = bb;
    c->id_a = *id_a = new_id(a);
    c->id_b = *id_b = new_id(bb);
    c->why = xstrdup(why);
    c->pos = pos;
}

void connect(struct builder *b, struct pd *p, struct pd *c, const char *name, uint64_t data_size,
             enum data_flow flow, struct pos pos, struct sysgen_conn *pv, struct sysgen_conn *cv)
{
    char *qname = xasprintf("%s_queue", name), *dname = xasprintf("%s_data", name);
    struct memory_region *q = new_region(b, qname, QUEUE_REGION_SIZE, pos);
    struct memory_region *d = new_region(b, dname, data_size, pos);
    memset(pv, 0, sizeof(*pv));
    memset(cv, 0, sizeof(*cv));
    pv->queue_vaddr = map(p, q, "rw", true);
    cv->queue_vaddr = map(c, q, "rw", true);
    pv->data_vaddr = map(p, d, "rw", true);
    cv->data_vaddr = map(c, d, flow == BOTH_WAYS ? "rw" : "r", true);
    pv->queue_size = cv->queue_size = q->size;
    pv->data_size = cv->data_size = d->size;
    pv->data_paddr = cv->data_paddr = d->paddr;
    new_channel(b, p, c, &pv->ch, &cv->ch, name, pos);
}

void device_config(struct builder *b, struct pd *pd, const char *regs_name,
                   const struct board_device *d, struct sysgen_device *out)
{
    struct memory_region *regs = device_region(b, regs_name, d);
    out->regs_vaddr = map(pd, regs, "rw", false) + (d->base - regs->paddr);
    out->regs_paddr = d->base;
    out->regs_size = d->size;
    out->irq = d->irq;
    out->irq_ch = add_irq(pd, d->irq);
    out->clock_hz = d->clock_hz;
}

void set_slot(const struct board *b, enum device_class_id c, struct sysgen_virtio_slot *out)
{
    out->gpa = guest_slot_gpa(b, c);
    out->irq = guest_slot_irq(b, c);
    out->present = 1;
}
