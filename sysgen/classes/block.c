// SPDX-License-Identifier: BSD-2-Clause
// The block class: the board's disk driver, a virtualiser that gives each
// guest exactly one partition (it reads the MBR and bounds every request),
// and per guest one connection between its VMM and the virtualiser.
#include "base/array.h"
#include "base/strbuf.h"
#include "classes/class.h"
#include "front/schema.h"
#include "front/shape.h"

#include <stdlib.h>
#include <string.h>

#define BLK_DATA_SIZE (2 * MiB)

enum { DRIVER, VIRT };

static const struct class_pd block_pds[] = {
    [DRIVER] = {"blk_driver", "blk_driver_%s.elf", 240, SYSGEN_KIND_BLK_DRIVER,
                sizeof(struct sysgen_blk_driver_config)},
    [VIRT] = {"blk_virt", "blk_virt.elf", 239, SYSGEN_KIND_BLK_VIRT,
              sizeof(struct sysgen_blk_virt_config)},
};

static const struct board_device *disk_of(const struct board *b)
{
    return &b->block;
}

static void read_block(const struct node *block, struct guest *g)
{
    get_string(block, &schema_block, "partition", &g->partition, &g->partition_pos);
}

static struct partition *find_partition(const struct system *sys, const char *name)
{
    for (size_t i = 0; name && i < sys->disk.nparts; i++)
        if (sys->disk.parts[i].name && strcmp(sys->disk.parts[i].name, name) == 0)
            return &sys->disk.parts[i];
    return NULL;
}

// partition-missing / partition-shared: each block device names an
// existing partition, and no partition serves two guests.  The partition
// found becomes the guest's disk.
static void rule_partition_use(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (!guest_has(g, CLASS_BLOCK) || !g->partition)
            continue;
        struct partition *p = find_partition(sys, g->partition);
        if (!p) {
            if (!sys->disk.present)
                error_at(g->partition_pos, "no partition '%s': the system has no disk",
                         g->partition);
            else
                error_at(g->partition_pos, "no partition named '%s' on the disk", g->partition);
            continue;
        }
        if (p->user) {
            error_at(g->partition_pos, "partition '%s' is already the disk of guest '%s' (line %d)",
                     p->name, p->user->name, p->user->partition_pos.line);
            continue;
        }
        p->user = g;
        g->part = p;
    }
}

static const struct check_rule block_rules[] = {
    {"partition-use", rule_partition_use},
};

// Requests flow virtualiser -> driver; the driver DMAs into the data region.
static void build(struct builder *b, struct pd *const *pds)
{
    const struct system *sys = b->sys;
    struct pos pos = sys->disk.present ? sys->disk.pos : sys->board_pos;
    struct sysgen_blk_driver_config *dc = pds[DRIVER]->config;
    struct sysgen_blk_virt_config *vc = pds[VIRT]->config;
    pds[DRIVER]->pos = pds[VIRT]->pos = pos;
    device_config(b, pds[DRIVER], "disk_regs", &sys->board->block, &dc->disk);
    connect(b, pds[VIRT], pds[DRIVER], "blk_driver", BLK_DATA_SIZE, BOTH_WAYS, pos, &vc->driver,
            &dc->virt);
}

// The guest is the virtualiser's next client, told its partition.
static void connect_guest(struct builder *b, struct guest *g, struct pd *vmm,
                          struct pd *const *pds, struct pd *own)
{
    (void)own;
    if (!g->part)
        return;
    struct sysgen_vmm_config *vc = vmm->config;
    struct sysgen_blk_virt_config *bc = pds[VIRT]->config;
    struct sysgen_blk_client *cl = &bc->clients[bc->num_clients++];
    char *name = xasprintf("blk_%s", g->name);
    set_slot(b->sys->board, CLASS_BLOCK, &vc->block);
    connect(b, vmm, pds[VIRT], name, BLK_DATA_SIZE, BOTH_WAYS, g->dev[CLASS_BLOCK].pos,
            &vc->block_conn, &cl->conn);
    cl->partition = (uint32_t)g->part->index;
    cl->start = g->part->start;
    cl->size = g->part->size;
    vc->block_capacity = g->part->size;
    free(name);
}

const struct device_class class_block = {
    .id = CLASS_BLOCK,
    .key = "block",
    .schema = &schema_block,
    .board_device = disk_of,
    .board_device_name = "disk",
    .max_clients = SYSGEN_MAX_CLIENTS,
    .pds = block_pds,
    .npds = ARRAY_LEN(block_pds),
    .vmm_channels = 1,
    .read = read_block,
    .rules = block_rules,
    .nrules = ARRAY_LEN(block_rules),
    .build = build,
    .connect = connect_guest,
};
