// SPDX-License-Identifier: BSD-2-Clause
// system.sdf: the Microkit System Description Format.  Pretty-printed,
// ids and irqs in decimal (the Microkit tool rejects hex there), addresses
// and sizes in hex, and each element preceded by a comment naming the YAML
// position it came from.
#include "emit/emit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

const char *pos_text(struct pos p, char buf[256])
{
    snprintf(buf, 256, "%s:%d:%d", p.file ? p.file : "?", p.line, p.col);
    return buf;
}

// `path` as seen from the absolute directory `dir`: "../../guest/Image".
static char *relative_to(const char *dir, const char *path)
{
    char p[PATH_MAX];
    if (!dir || !realpath(path, p))
        return xstrdup(path);
    size_t i = 0, common = 0; // common: just past the last '/' both share
    while (dir[i] && dir[i] == p[i])
        if (dir[i++] == '/')
            common = i;
    if (dir[i] == '\0' && p[i] == '/')
        common = i + 1; // dir is an ancestor of path
    struct strbuf sb;
    sb_init(&sb);
    if (common <= strlen(dir)) {
        sb_puts(&sb, "../");
        for (const char *c = dir + common; *c; c++)
            if (*c == '/')
                sb_puts(&sb, "../");
    }
    sb_puts(&sb, p + common);
    return sb_steal(&sb);
}

static void emit_file(const struct system *sys, const char *path, uint64_t offset,
                      struct strbuf *sb)
{
    char *rel = relative_to(sys->sdf_dir, path);
    sb_printf(sb, "        <file path=\"%s\" offset=\"0x%llx\" />\n", rel,
              (unsigned long long)offset);
    free(rel);
}

// The guest whose RAM `mr` is, if any.
static const struct guest *ram_of(const struct system *sys, const struct memory_region *mr)
{
    for (size_t i = 0; i < sys->nguests; i++)
        if (sys->guests[i].vmm && sys->guests[i].vmm->guest_ram == mr)
            return &sys->guests[i];
    return NULL;
}

static void emit_region(const struct system *sys, const struct memory_region *mr,
                        struct strbuf *sb)
{
    char where[256];
    const struct guest *g = ram_of(sys, mr);
    sb_printf(sb, "    <!-- %s -->\n", pos_text(mr->pos, where));
    sb_printf(sb, "    <memory_region name=\"%s\" size=\"0x%llx\" page_size=\"0x%llx\"", mr->name,
              (unsigned long long)mr->size, (unsigned long long)mr->page_size);
    sb_printf(sb, " phys_addr=\"0x%llx\"%s>\n", (unsigned long long)mr->paddr, g ? "" : " /");
    if (!g)
        return;
    // A guest's RAM comes preloaded: kernel, initrd and device tree at the
    // guest-physical addresses its device tree and VMM config name.
    uint64_t base = sys->board->guest_ram_base;
    emit_file(sys, g->kernel_path, g->kernel_gpa - base, sb);
    if (g->initrd_size)
        emit_file(sys, g->initrd_path, g->initrd_gpa - base, sb);
    sb_printf(sb, "        <file path=\"guests/%s.dtb\" offset=\"0x%llx\" />\n", g->name,
              (unsigned long long)(g->dtb_gpa - base));
    sb_puts(sb, "    </memory_region>\n");
}

static void emit_map(const struct mapping *m, const char *indent, struct strbuf *sb)
{
    sb_printf(sb, "%s<map mr=\"%s\" vaddr=\"0x%llx\" perms=\"%s\" cached=\"%s\"", indent,
              m->mr->name, (unsigned long long)m->vaddr, m->perms, m->cached ? "true" : "false");
    if (m->setvar_vaddr)
        sb_printf(sb, " setvar_vaddr=\"%s\"", m->setvar_vaddr);
    sb_puts(sb, " />\n");
}

static void emit_pd(const struct system *sys, const struct pd *pd, struct strbuf *sb)
{
    char where[256];
    sb_printf(sb, "    <!-- %s -->\n", pos_text(pd->pos, where));
    sb_printf(sb, "    <protection_domain name=\"%s\" priority=\"%u\" cpu=\"%u\">\n", pd->name,
              pd->priority, pd->cpu);
    sb_printf(sb, "        <program_image path=\"%s\" />\n", pd->program_image);
    for (size_t i = 0; i < pd->nmaps; i++)
        emit_map(&pd->maps[i], "        ", sb);
    for (size_t i = 0; i < pd->nirqs; i++)
        sb_printf(sb, "        <irq irq=\"%u\" id=\"%u\" />\n", pd->irqs[i].irq, pd->irqs[i].id);
    if (pd->kind == SYSGEN_KIND_VMM) {
        const struct guest *g = pd->guest;
        sb_printf(sb, "        <virtual_machine name=\"%s\" priority=\"%u\">\n", g->name,
                  GUEST_VCPU_PRIORITY);
        for (uint32_t v = 0; v < g->ncpus; v++)
            sb_printf(sb, "            <vcpu id=\"%u\" cpu=\"%u\" />\n", v, g->core[v]);
        struct mapping ram = {pd->guest_ram, sys->board->guest_ram_base, "rwx", true, NULL};
        emit_map(&ram, "            ", sb);
        sb_puts(sb, "        </virtual_machine>\n");
    }
    sb_puts(sb, "    </protection_domain>\n");
}

static void emit_channel(const struct channel *c, struct strbuf *sb)
{
    char where[256];
    sb_printf(sb, "    <!-- %s: %s -->\n", pos_text(c->pos, where), c->why);
    sb_puts(sb, "    <channel>\n");
    // Device classes talk by notification only: no end has pp rights.
    sb_printf(sb, "        <end pd=\"%s\" id=\"%u\" />\n", c->a->name, c->id_a);
    sb_printf(sb, "        <end pd=\"%s\" id=\"%u\" />\n", c->b->name, c->id_b);
    sb_puts(sb, "    </channel>\n");
}

void emit_sdf(const struct system *sys, struct strbuf *sb)
{
    const struct layout *l = &sys->layout;
    sb_puts(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_printf(sb, "<!-- Generated by sysgen from %s for board %s. Do not edit: edit the YAML. -->\n",
              sys->path, sys->board->name);
    sb_printf(sb, "<system board=\"%s\">\n", sys->board->name);
    for (size_t i = 0; i < l->nmrs; i++)
        if (l->mrs[i]->device)
            emit_region(sys, l->mrs[i], sb);
    for (size_t i = 0; i < l->nmrs; i++)
        if (!l->mrs[i]->device)
            emit_region(sys, l->mrs[i], sb);
    for (size_t i = 0; i < l->npds; i++)
        emit_pd(sys, l->pds[i], sb);
    for (size_t i = 0; i < l->nchannels; i++)
        emit_channel(&l->channels[i], sb);
    sb_puts(sb, "</system>\n");
}
