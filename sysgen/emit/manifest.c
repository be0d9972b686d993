// SPDX-License-Identifier: BSD-2-Clause
// manifest.json, for programs: everything layout decided, in the order it
// decided it.
#include "classes/class.h"
#include "emit/emit.h"
#include "layout/layout.h"

#include <stdio.h>
#include <string.h>

static void json_str(struct strbuf *sb, const char *s)
{
    sb_puts(sb, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(sb, "\\%c", c);
        else if (c < 0x20)
            sb_printf(sb, "\\u%04x", c);
        else
            sb_add(sb, s, 1);
    }
    sb_puts(sb, "\"");
}

static void json_key(struct strbuf *sb, int depth, const char *key, bool *first)
{
    sb_puts(sb, *first ? "\n" : ",\n");
    *first = false;
    for (int i = 0; i < depth; i++)
        sb_puts(sb, "  ");
    json_str(sb, key);
    sb_puts(sb, ": ");
}

#define KEY(k) json_key(sb, depth, k, &first)

static void json_hex(struct strbuf *sb, uint64_t v)
{
    sb_printf(sb, "\"0x%llx\"", (unsigned long long)v);
}

static void close_obj(struct strbuf *sb, int depth, char c)
{
    sb_puts(sb, "\n");
    for (int i = 0; i < depth; i++)
        sb_puts(sb, "  ");
    sb_printf(sb, "%c", c);
}

static void json_guest(const struct system *sys, const struct guest *g, struct strbuf *sb,
                       int depth)
{
    bool first = true;
    sb_puts(sb, "{");
    KEY("name");
    json_str(sb, g->name);
    KEY("vmm");
    json_str(sb, g->vmm->name);
    KEY("memory");
    json_hex(sb, g->memory);
    KEY("vcpu_cores");
    sb_puts(sb, "[");
    for (uint32_t v = 0; v < g->ncpus; v++)
        sb_printf(sb, "%s%u", v ? ", " : "", g->core[v]);
    sb_puts(sb, "]");
    KEY("ram_paddr");
    json_hex(sb, g->ram_paddr);
    KEY("ram_gpa");
    json_hex(sb, sys->board->guest_ram_base);
    KEY("kernel");
    json_str(sb, g->kernel);
    KEY("kernel_gpa");
    json_hex(sb, g->kernel_gpa);
    KEY("initrd");
    json_str(sb, g->initrd);
    KEY("initrd_gpa");
    json_hex(sb, g->initrd_gpa);
    KEY("initrd_size");
    json_hex(sb, g->initrd_size);
    KEY("dtb_gpa");
    json_hex(sb, g->dtb_gpa);
    KEY("devices");
    sb_puts(sb, "[");
    bool firstdev = true;
    for (int d = 0; d < CLASS_COUNT; d++) {
        const struct device_class *c = device_classes[d];
        if (!guest_has(g, c->id))
            continue;
        sb_printf(sb, "%s{\"type\": \"%s\", \"gpa\": ", firstdev ? "" : ", ", c->key);
        json_hex(sb, guest_slot_gpa(sys->board, c->id));
        sb_printf(sb, ", \"irq\": %u}", guest_slot_irq(sys->board, c->id));
        firstdev = false;
    }
    sb_puts(sb, "]");
    if (guest_has(g, CLASS_NET)) {
        KEY("mac");
        json_str(sb, mac_text(g->mac, (char[18]){0}));
        KEY("mac_derived");
        sb_puts(sb, g->mac_given ? "false" : "true");
    }
    if (guest_has(g, CLASS_VSOCK)) {
        KEY("cid");
        sb_printf(sb, "%u", g->cid);
    }
    if (g->part) {
        KEY("partition");
        json_str(sb, g->part->name);
    }
    close_obj(sb, depth - 1, '}');
}

static void json_pd(const struct pd *pd, struct strbuf *sb, int depth)
{
    bool first = true;
    sb_puts(sb, "{");
    KEY("name");
    json_str(sb, pd->name);
    KEY("program_image");
    json_str(sb, pd->program_image);
    KEY("priority");
    sb_printf(sb, "%u", pd->priority);
    KEY("cpu");
    sb_printf(sb, "%u", pd->cpu);
    KEY("maps");
    sb_puts(sb, "[");
    for (size_t i = 0; i < pd->nmaps; i++) {
        const struct mapping *m = &pd->maps[i];
        sb_printf(sb, "%s{\"mr\": ", i ? ", " : "");
        json_str(sb, m->mr->name);
        sb_puts(sb, ", \"vaddr\": ");
        json_hex(sb, m->vaddr);
        sb_printf(sb, ", \"perms\": \"%s\", \"cached\": %s}", m->perms,
                  m->cached ? "true" : "false");
    }
    sb_puts(sb, "]");
    KEY("irqs");
    sb_puts(sb, "[");
    for (size_t i = 0; i < pd->nirqs; i++)
        sb_printf(sb, "%s{\"irq\": %u, \"id\": %u}", i ? ", " : "", pd->irqs[i].irq,
                  pd->irqs[i].id);
    sb_puts(sb, "]");
    KEY("config_size");
    sb_printf(sb, "%zu", pd->config_size);
    close_obj(sb, depth - 1, '}');
}

void emit_manifest(const struct system *sys, struct strbuf *sb)
{
    const struct layout *l = &sys->layout;
    int depth = 1;
    bool first = true;
    sb_puts(sb, "{");
    KEY("generator");
    json_str(sb, "sysgen");
    KEY("source");
    json_str(sb, sys->path);
    KEY("system");
    json_str(sb, sys->name);
    KEY("board");
    json_str(sb, sys->board->name);
    KEY("cores");
    sb_printf(sb, "%u", l->ncores);
    KEY("guests");
    sb_puts(sb, "[");
    for (size_t i = 0; i < sys->nguests; i++) {
        sb_puts(sb, i ? ", " : "");
        json_guest(sys, &sys->guests[i], sb, depth + 2);
    }
    sb_puts(sb, "]");
    KEY("protection_domains");
    sb_puts(sb, "[");
    for (size_t i = 0; i < l->npds; i++) {
        sb_puts(sb, i ? ", " : "");
        json_pd(l->pds[i], sb, depth + 2);
    }
    sb_puts(sb, "]");
    KEY("memory_regions");
    sb_puts(sb, "[");
    for (size_t i = 0; i < l->nmrs; i++) {
        const struct memory_region *mr = l->mrs[i];
        sb_printf(sb, "%s\n    {\"name\": ", i ? "," : "");
        json_str(sb, mr->name);
        sb_puts(sb, ", \"paddr\": ");
        json_hex(sb, mr->paddr);
        sb_puts(sb, ", \"size\": ");
        json_hex(sb, mr->size);
        sb_puts(sb, ", \"page_size\": ");
        json_hex(sb, mr->page_size);
        sb_printf(sb, ", \"device\": %s}", mr->device ? "true" : "false");
    }
    sb_puts(sb, "]");
    KEY("channels");
    sb_puts(sb, "[");
    for (size_t i = 0; i < l->nchannels; i++) {
        const struct channel *c = &l->channels[i];
        sb_printf(sb,
                  "%s\n    {\"a\": \"%s\", \"id_a\": %u, \"b\": \"%s\", \"id_b\": %u, \"what\": ",
                  i ? "," : "", c->a->name, c->id_a, c->b->name, c->id_b);
        json_str(sb, c->why);
        sb_puts(sb, "}");
    }
    sb_puts(sb, "]");
    if (sys->disk.present) {
        KEY("disk");
        sb_puts(sb, "{\"image\": ");
        json_str(sb, disk_image_name(sys));
        sb_printf(sb, ", \"boot_card\": %s, \"size\": ", sys->disk.card ? "true" : "false");
        json_hex(sb, sys->disk.size);
        sb_puts(sb, ", \"partitions\": [");
        for (size_t i = 0; i < sys->disk.nparts; i++) {
            const struct partition *p = &sys->disk.parts[i];
            sb_printf(sb, "%s\n    {\"index\": %d, \"name\": ", i ? "," : "", p->index);
            json_str(sb, p->name);
            sb_puts(sb, ", \"start\": ");
            json_hex(sb, p->start);
            sb_puts(sb, ", \"size\": ");
            json_hex(sb, p->size);
            sb_puts(sb, ", \"label\": ");
            json_str(sb, p->label);
            if (p->boot)
                sb_puts(sb, ", \"boot\": true");
            sb_puts(sb, "}");
        }
        sb_puts(sb, "]}");
    }
    sb_puts(sb, "\n}\n");
}
