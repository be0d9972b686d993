// SPDX-License-Identifier: BSD-2-Clause
// Reading the tree into the model: read_* walk the YAML language's
// objects (front/schema.c) with the typed getters of front/shape.c, which
// report what has the wrong shape; each device class reads its own keys
// (classes/).
#include "front/read.h"
#include "base/strbuf.h"
#include "board/board.h"
#include "classes/class.h"
#include "front/schema.h"
#include "front/shape.h"

#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BOOTARGS 1024

static void read_partition(struct system *sys, const struct node *n, struct partition *p)
{
    p->pos = n->pos;
    if (!rule_wrong_type(n, "partitions[]", T_MAP))
        return;
    rule_unknown_key(n, &schema_partition);
    get_string(n, &schema_partition, "name", &p->name, NULL);
    get_size(n, &schema_partition, "size", &p->size, &p->size_pos);
    p->start_given =
        map_get(n, "start") && get_size(n, &schema_partition, "start", &p->start, &p->start_pos);
    char *format = NULL;
    struct pos fpos;
    if (get_string(n, &schema_partition, "format", &format, &fpos) && strcmp(format, "fat") != 0)
        error_at(fpos, "unknown partition format '%s' (supported: fat)", format);
    free(format);
    struct pos lpos = p->pos;
    if (get_string(n, &schema_partition, "label", &p->label, &lpos)) {
        bool ok = strlen(p->label) >= 1 && strlen(p->label) <= 11;
        for (const char *c = p->label; ok && *c; c++)
            ok = isupper((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '-';
        if (!ok)
            error_at(lpos, "bad FAT label '%s': 1 to 11 of A-Z, 0-9, '_' and '-'", p->label);
    } else if (p->name) {
        p->label = xstrdup(p->name);
        p->label[strlen(p->label) > 11 ? 11 : strlen(p->label)] = '\0';
        for (char *c = p->label; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
    const struct node *files;
    if (map_get(n, "files") && get_list(n, &schema_partition, "files", &files)) {
        p->files = xcalloc(files->count, sizeof(*p->files));
        p->file_pos = xcalloc(files->count, sizeof(*p->file_pos));
        for (size_t i = 0; i < files->count; i++) {
            const struct node *f = files->items[i];
            if (!rule_wrong_type(f, "files[]", T_STRING))
                continue;
            p->file_pos[p->nfiles] = f->pos;
            p->files[p->nfiles++] = system_path(sys, f->text);
        }
    }
}

// Partition 1 of a boot card, which sysgen adds: FAT, label BOOT.
static void add_boot_partition(struct disk *d)
{
    struct partition *p = &d->parts[0];
    p->boot = true;
    p->index = 1;
    p->name = xstrdup(BOOT_PARTITION_NAME);
    p->label = xstrdup("BOOT");
    p->size = d->boot_size;
    p->pos = p->size_pos = p->start_pos = d->boot_size_pos;
}

static void read_disk(struct system *sys, const struct node *n)
{
    struct disk *d = &sys->disk;
    const struct node *parts = NULL;
    d->present = true;
    d->pos = d->boot_size_pos = n->pos;
    rule_unknown_key(n, &schema_disk);
    get_size(n, &schema_disk, "size", &d->size, &d->size_pos);
    d->boot_size = DEFAULT_BOOT_SIZE;
    if (map_get(n, "boot_size"))
        get_size(n, &schema_disk, "boot_size", &d->boot_size, &d->boot_size_pos);
    size_t first = d->card ? 1 : 0, count = first;
    if (get_list(n, &schema_disk, "partitions", &parts))
        count += parts->count;
    d->parts = xcalloc(count + 1, sizeof(*d->parts));
    d->nparts = count;
    if (d->card)
        add_boot_partition(d);
    for (size_t i = first; i < count; i++) {
        d->parts[i].index = (int)i + 1;
        read_partition(sys, parts->items[i - first], &d->parts[i]);
    }
}

// A boot card with no disk in the YAML: the card holds only the boot
// partition.
static void card_without_partitions(struct system *sys)
{
    struct disk *d = &sys->disk;
    d->present = true;
    d->pos = d->size_pos = d->boot_size_pos = sys->board_pos;
    d->boot_size = DEFAULT_BOOT_SIZE;
    d->size = align_up(sys->board->disk_first_offset, MiB) + d->boot_size;
    d->parts = xcalloc(1, sizeof(*d->parts));
    d->nparts = 1;
    add_boot_partition(d);
}

// A device block (console: {...}): present if written, keys checked.
static bool read_device(const struct node *g, const char *key, const struct object_spec *spec,
                        const struct node **dev, struct pos *pos)
{
    if (!map_get(g, key) || !get_map(g, &schema_guest, key, dev))
        return false;
    rule_unknown_key(*dev, spec);
    *pos = (*dev)->pos;
    return true;
}

static uint32_t clamp_u32(uint64_t u)
{
    return u > UINT32_MAX ? UINT32_MAX : (uint32_t)u;
}

// cpus:, core:, cores: as written; check.c's guest-cores rule judges them.
static void read_cores(const struct node *n, struct guest *g)
{
    uint64_t u;
    const struct node *l;
    g->ncpus = 1;
    if (map_get(n, "cpus") && get_uint(n, &schema_guest, "cpus", &u, &g->cpus_pos)) {
        g->cpus_given = true;
        g->ncpus = clamp_u32(u);
    }
    if (map_get(n, "core") && get_uint(n, &schema_guest, "core", &u, &g->core_pos)) {
        g->core_given = true;
        g->core[0] = clamp_u32(u);
    }
    if (map_get(n, "cores") && get_list(n, &schema_guest, "cores", &l)) {
        g->cores_given = true;
        g->core_pos = l->pos;
        g->ncores_listed = (uint32_t)l->count;
        for (size_t i = 0; i < l->count; i++) {
            const struct node *c = l->items[i];
            if (c->kind != NODE_SCALAR || !parse_uint(c->text, &u)) {
                error_at(c->pos, "cores: each entry is a core number");
                continue;
            }
            if (i < GUEST_MAX_VCPUS)
                g->core[i] = clamp_u32(u);
        }
        if (!g->cpus_given)
            g->ncpus = g->ncores_listed;
    }
}

static void read_guest(const struct node *n, struct guest *g)
{
    const struct node *dev;
    g->pos = n->pos;
    if (!rule_wrong_type(n, "guests[]", T_MAP))
        return;
    rule_unknown_key(n, &schema_guest);
    get_string(n, &schema_guest, "name", &g->name, NULL);
    g->kernel_pos = g->initrd_pos = n->pos;
    if (!get_string(n, &schema_guest, "kernel", &g->kernel, &g->kernel_pos))
        g->kernel = xstrdup("default");
    if (!get_string(n, &schema_guest, "initrd", &g->initrd, &g->initrd_pos))
        g->initrd = xstrdup("default");
    get_size(n, &schema_guest, "memory", &g->memory, &g->memory_pos);
    struct pos bpos;
    if (!get_string(n, &schema_guest, "bootargs", &g->bootargs, &bpos))
        g->bootargs = xstrdup("");
    else if (strlen(g->bootargs) > MAX_BOOTARGS)
        error_at(bpos, "bootargs longer than %d characters", MAX_BOOTARGS);
    get_string(n, &schema_guest, "base_dts", &g->base_dts, &g->base_dts_pos);
    read_cores(n, g);
    for (int i = 0; i < CLASS_COUNT; i++) {
        const struct device_class *c = device_classes[i];
        struct guest_device *d = &g->dev[c->id];
        d->present = read_device(n, c->key, c->schema, &dev, &d->pos);
        if (d->present && c->read)
            c->read(dev, g);
    }
}

// network: { uplink: true | false }
static void read_network(struct system *sys, const struct node *n)
{
    char *uplink = NULL;
    struct pos pos;
    rule_unknown_key(n, &schema_network);
    if (!get_string(n, &schema_network, "uplink", &uplink, &pos))
        return;
    if (strcmp(uplink, "false") == 0)
        sys->no_uplink = true;
    else if (strcmp(uplink, "true") != 0)
        error_at(pos,
                 "uplink '%s': write true (the guests also reach the board's NIC) or false "
                 "(only each other)",
                 uplink);
    free(uplink);
}

static void read_root(struct system *sys, const struct node *root, bool sdcard)
{
    char *board = NULL;
    const struct node *n;
    if (!rule_wrong_type(root, "the system", T_MAP))
        return;
    rule_unknown_key(root, &schema_system);
    if (get_string(root, &schema_system, "board", &board, &sys->board_pos)) {
        sys->board_name = board;
        sys->board = board_load(sysgen_paths.data_dir, board, sys->board_pos);
    }
    sys->disk.card = sdcard || (sys->board && sys->board->card);
    if (map_get(root, "disk") && get_map(root, &schema_system, "disk", &n))
        read_disk(sys, n);
    else if (sys->disk.card && sys->board)
        card_without_partitions(sys);
    if (map_get(root, "network") && get_map(root, &schema_system, "network", &n))
        read_network(sys, n);
    if (get_list(root, &schema_system, "guests", &n)) {
        if (n->count == 0)
            error_at(n->pos, "a system needs at least one guest");
        sys->guests = xcalloc(n->count, sizeof(*sys->guests));
        sys->nguests = n->count;
        for (size_t i = 0; i < n->count; i++)
            read_guest(n->items[i], &sys->guests[i]);
    }
}

static char *system_name(const char *path)
{
    char *copy = xstrdup(path);
    char *base = xstrdup(basename(copy));
    free(copy);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return base;
}

struct system *read_system(const char *path, struct node *tree, bool sdcard)
{
    struct system *sys = xcalloc(1, sizeof(*sys));
    char *copy = xstrdup(path);
    sys->path = xstrdup(path);
    sys->dir = xstrdup(dirname(copy));
    free(copy);
    sys->name = system_name(path);
    sys->tree = tree;
    read_root(sys, tree, sdcard);
    return sys;
}
