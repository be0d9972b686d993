// SPDX-License-Identifier: BSD-2-Clause
#include "model/model.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>

struct sysgen_paths sysgen_paths = {".", "build/guest"};

char *system_path(const struct system *sys, const char *p)
{
    if (p[0] == '/')
        return xstrdup(p);
    return xasprintf("%s/%s", sys->dir, p);
}

static void layout_free(struct layout *l)
{
    for (size_t i = 0; i < l->npds; i++) {
        struct pd *pd = l->pds[i];
        free(pd->name);
        free(pd->program_image);
        for (size_t j = 0; j < pd->nmaps; j++)
            free(pd->maps[j].setvar_vaddr);
        free(pd->maps);
        free(pd->irqs);
        free(pd->config);
        free(pd);
    }
    for (size_t i = 0; i < l->nmrs; i++) {
        free(l->mrs[i]->name);
        free(l->mrs[i]);
    }
    for (size_t i = 0; i < l->nchannels; i++)
        free(l->channels[i].why);
    free(l->pds);
    free(l->mrs);
    free(l->channels);
    memset(l, 0, sizeof(*l));
}

void system_free(struct system *sys)
{
    if (!sys)
        return;
    for (size_t i = 0; i < sys->disk.nparts; i++) {
        struct partition *p = &sys->disk.parts[i];
        free(p->name);
        free(p->label);
        for (size_t j = 0; j < p->nfiles; j++)
            free(p->files[j]);
        free(p->files);
        free(p->file_pos);
    }
    free(sys->disk.parts);
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        free(g->name);
        free(g->kernel);
        free(g->initrd);
        free(g->kernel_path);
        free(g->initrd_path);
        free(g->bootargs);
        free(g->base_dts);
        free(g->base_dtb);
        free(g->partition);
    }
    free(sys->guests);
    layout_free(&sys->layout);
    board_free(sys->board);
    tree_free(sys->tree);
    free(sys->board_name);
    free(sys->name);
    free(sys->path);
    free(sys->dir);
    free(sys->sdf_dir);
    free(sys);
}
