// SPDX-License-Identifier: BSD-2-Clause
// What the linker writes into program images: setvars (a vaddr or a
// region's physical address into a 64-bit variable), the PD's name, and
// config structs into their .sysgen_config section.
#include "link/linker.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

static void set_u64(struct link_pd *pd, const char *sym, uint64_t value, struct pos pos)
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

// The PD's name, for its own messages (libmicrokit's microkit_name).
static void set_name(struct link_pd *pd)
{
    const struct elf_sym *name = elf_find_sym(&pd->elf, "microkit_name");
    if (!name || name->size == 0)
        return;
    char *buf = xcalloc(1, (size_t)name->size);
    strncpy(buf, pd_name(pd->sdf), (size_t)name->size - 1);
    elf_patch(&pd->elf, name->value, buf, name->size);
    free(buf);
}

void patch_setvars(const struct sdf_system *s, const uint64_t *mr_pa, struct link_pd *pds)
{
    for (int i = 0; i < s->npds; i++) {
        struct link_pd *pd = &pds[i];
        for (int j = 0; j < pd->sdf->nmaps; j++) {
            const struct sdf_map *m = &pd->sdf->maps[j];
            if (m->setvar_vaddr)
                set_u64(pd, m->setvar_vaddr, m->vaddr, m->pos);
        }
        for (int j = 0; j < pd->sdf->nsetvars; j++) {
            const struct sdf_setvar *sv = &pd->sdf->setvars[j];
            int mi = sdf_find_mr(s, sv->region_paddr);
            if (mi < 0)
                error_at(sv->pos, "setvar: memory region '%s' does not exist",
                         sv->region_paddr ? sv->region_paddr : "?");
            else if (sv->symbol)
                set_u64(pd, sv->symbol, mr_pa[mi], sv->pos);
        }
        set_name(pd);
    }
}

// Config bytes go into the section the component reserved for them.
int patch_configs(const struct sdf_system *s, struct link_pd *pds,
                  const struct link_pd_config *configs, size_t nconfigs)
{
    for (size_t i = 0; i < nconfigs; i++) {
        const struct link_pd_config *c = &configs[i];
        int p = sdf_find_pd(s, c->pd);
        if (p < 0) {
            fatal_error("internal error: a config for protection domain '%s', which %s does not "
                        "define",
                        c->pd, s->path);
            return 2;
        }
        struct link_pd *pd = &pds[p];
        const char *image = pd->sdf->program_image;
        const struct elf_section *sec = elf_find_section(&pd->elf, SYSGEN_CONFIG_SECTION);
        if (!sec)
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s' has no %s section for its "
                     "%zu-byte config",
                     image, pd_name(pd->sdf), SYSGEN_CONFIG_SECTION, c->size);
        else if (sec->size < c->size)
            error_at(pd->sdf->image_pos,
                     "program image '%s' of protection domain '%s': its %s section has %llu "
                     "bytes, the config needs %zu (rebuild the component?)",
                     image, pd_name(pd->sdf), SYSGEN_CONFIG_SECTION,
                     (unsigned long long)sec->size, c->size);
        else if (!elf_patch(&pd->elf, sec->addr, c->bytes, c->size))
            error_at(pd->sdf->image_pos, "program image '%s': %s is not in a loaded segment",
                     image, SYSGEN_CONFIG_SECTION);
    }
    return 0;
}
