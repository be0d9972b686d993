// SPDX-License-Identifier: BSD-2-Clause
// PSCI 0.2 for vCPUs.  Reporting 0.2 keeps Linux from probing PSCI_FEATURES.
// CPU_ON starts a sibling vCPU of the same VM (same VMM and stage-2 root);
// SYSTEM_OFF and SYSTEM_RESET stop the vCPU and tell its VMM, which decides
// what a reset means; anything else is NOT_SUPPORTED.
#include <stdint.h>
#include "console.h"
#include "psci.h"

#define PSCI_VERSION           0x84000000u
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF           0x84000002u
#define PSCI_CPU_ON            0x84000003u
#define PSCI_AFFINITY_INFO     0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF        0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_64BIT             0x40000000u // SMC64 variants of the calls with addresses

#define PSCI_SUCCESS         0
#define PSCI_NOT_SUPPORTED   (-1)
#define PSCI_INVALID         (-2)
#define PSCI_ALREADY_ON      (-4)
#define PSCI_TOS_NOT_PRESENT 2

#define VTTBR_BADDR 0x0000fffffffffffeull

// The vCPU of the same VM whose id (MPIDR Aff0) is `mpidr`.
static struct pd *sibling(struct pd *v, uint64_t mpidr)
{
    for (unsigned i = 0; i < npds; i++) {
        struct pd *s = &pds[i];
        if (s->is_vcpu && s->info->parent == v->info->parent &&
            (s->info->vttbr & VTTBR_BADDR & ~(0xffffull << 48)) ==
                (v->info->vttbr & VTTBR_BADDR & ~(0xffffull << 48)) &&
            s->info->child_id == (mpidr & 0xff) && (mpidr & ~0xffull & 0xff00ffffffull) == 0)
            return s;
    }
    return 0;
}

void psci_handle(struct pd *v)
{
    struct ctx *c = &v->ctx;
    uint32_t fn = (uint32_t)c->x[0] & ~PSCI_64BIT;
    int64_t ret = PSCI_NOT_SUPPORTED;
    switch (fn) {
    case PSCI_VERSION:
        ret = 2; // 0.2
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = PSCI_TOS_NOT_PRESENT;
        break;
    case PSCI_CPU_SUSPEND: // as WFI: return at once
        ret = PSCI_SUCCESS;
        break;
    case PSCI_AFFINITY_INFO: {
        struct pd *s = sibling(v, c->x[1]);
        ret = !s ? PSCI_INVALID : s->state == PD_STOPPED ? 1 : 0;
        break;
    }
    case PSCI_CPU_ON: {
        struct pd *s = sibling(v, c->x[1]);
        if (!s) {
            ret = PSCI_INVALID;
        } else if (s->state != PD_STOPPED || pd_loaded_elsewhere(s)) {
            ret = PSCI_ALREADY_ON; // or still leaving its core after CPU_OFF
        } else {
            s->ctx.elr = c->x[2];
            s->ctx.x[0] = c->x[3]; // context id
            s->ctx.spsr = 0x3c5;
            s->el1.sctlr = 0x30d00800; // MMU and caches off, as on reset
            pd_wake(s);
            ret = PSCI_SUCCESS;
        }
        break;
    }
    case PSCI_CPU_OFF:
        v->state = PD_STOPPED;
        return;
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
        pd_fault(v, SG_FAULT_VCPU_OFF, 0, fn, c->elr);
        return;
    default:
        break;
    }
    c->x[0] = (uint64_t)ret;
}
