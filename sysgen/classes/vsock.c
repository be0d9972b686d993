// SPDX-License-Identifier: BSD-2-Clause
// The vsock class: no hardware and no PDs of its own.  Each pair of
// guests with vsock shares one region and one channel, VMM to VMM, and
// each guest has a CID (3 and up; the lowest free one when not given).
#include "base/array.h"
#include "base/strbuf.h"
#include "classes/class.h"
#include "front/schema.h"
#include "front/shape.h"

#include <stdint.h>

#define VSOCK_REGION_SIZE (64 * KiB)

static void read_vsock(const struct node *vsock, struct guest *g)
{
    uint64_t cid;
    if (!map_get(vsock, "cid") || !get_uint(vsock, &schema_vsock, "cid", &cid, &g->cid_pos))
        return;
    if (cid > UINT32_MAX - 1) {
        error_at(g->cid_pos, "CID %llu does not fit in 32 bits", (unsigned long long)cid);
        return;
    }
    g->cid = (uint32_t)cid;
    g->cid_given = true;
}

// bad-cid: CIDs 0, 1 and 2 are reserved by vsock (hypervisor, local, host).
static void rule_bad_cid(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        if (sys->guests[i].cid_given && sys->guests[i].cid < 3)
            error_at(sys->guests[i].cid_pos, "CID %u is reserved: guest CIDs start at 3",
                     sys->guests[i].cid);
}

// duplicate-cid: given CIDs are unique.
static void rule_duplicate_cid(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->guests[i].cid_given && sys->guests[j].cid_given &&
                sys->guests[i].cid == sys->guests[j].cid) {
                error_at(sys->guests[i].cid_pos,
                         "duplicate CID %u: guest '%s' has it too (line %d)", sys->guests[i].cid,
                         sys->guests[j].name ? sys->guests[j].name : "?",
                         sys->guests[j].cid_pos.line);
                break;
            }
}

static const struct check_rule vsock_rules[] = {
    {"bad-cid", rule_bad_cid},
    {"duplicate-cid", rule_duplicate_cid},
};

// Each guest without a given CID takes the lowest one that no given CID
// and no earlier guest has.
static void assign_cids(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (!guest_has(g, CLASS_VSOCK) || g->cid_given)
            continue;
        uint32_t cid = 3;
        for (bool clash = true; clash;) {
            clash = false;
            for (size_t j = 0; j < sys->nguests; j++) {
                const struct guest *o = &sys->guests[j];
                if (o != g && guest_has(o, CLASS_VSOCK) && (o->cid_given || j < i) &&
                    o->cid == cid) {
                    clash = true;
                    cid++;
                }
            }
        }
        g->cid = cid;
    }
}

static void connect_guest(struct builder *b, struct guest *g, struct pd *vmm,
                          struct pd *const *pds, struct pd *own)
{
    (void)g;
    (void)pds;
    (void)own;
    set_slot(b->sys->board, CLASS_VSOCK, &((struct sysgen_vmm_config *)vmm->config)->vsock);
}

// One peer entry on each side of the pair (gi, gj), side 0 and side 1 of
// their shared region.
static void connect_pair(struct builder *b, struct guest *gi, struct guest *gj)
{
    char *name = xasprintf("vsock_%s_%s", gi->name, gj->name);
    struct memory_region *mr =
        new_region(b, name, VSOCK_REGION_SIZE, gi->dev[CLASS_VSOCK].pos);
    struct sysgen_vmm_config *ci = gi->vmm->config, *cj = gj->vmm->config;
    struct sysgen_vsock_peer *pi = &ci->peers[ci->num_peers++];
    struct sysgen_vsock_peer *pj = &cj->peers[cj->num_peers++];
    pi->cid = gj->cid;
    pj->cid = gi->cid;
    pi->vaddr = map(gi->vmm, mr, "rw", true);
    pj->vaddr = map(gj->vmm, mr, "rw", true);
    pi->size = pj->size = mr->size;
    pi->side = 0;
    pj->side = 1;
    new_channel(b, gi->vmm, gj->vmm, &pi->ch, &pj->ch, mr->name, gi->dev[CLASS_VSOCK].pos);
}

static void finish(struct builder *b)
{
    struct system *sys = b->sys;
    assign_cids(sys);
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *gi = &sys->guests[i];
        if (!guest_has(gi, CLASS_VSOCK))
            continue;
        ((struct sysgen_vmm_config *)gi->vmm->config)->cid = gi->cid;
        for (size_t j = i + 1; j < sys->nguests; j++)
            if (guest_has(&sys->guests[j], CLASS_VSOCK))
                connect_pair(b, gi, &sys->guests[j]);
    }
}

const struct device_class class_vsock = {
    .id = CLASS_VSOCK,
    .key = "vsock",
    .schema = &schema_vsock,
    .max_clients = SYSGEN_MAX_PEERS + 1,
    .vmm_channel_per_peer = true,
    .read = read_vsock,
    .rules = vsock_rules,
    .nrules = ARRAY_LEN(vsock_rules),
    .connect = connect_guest,
    .finish = finish,
};
