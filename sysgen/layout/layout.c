// SPDX-License-Identifier: BSD-2-Clause
// Pass 3, layout.  Guest RAM first, then each device class's PDs (drivers
// and virtualisers, as classes/ lists them), then each guest's VMM with
// its connections, class by class, then what spans guests.  The order in
// which things are created here is the order they appear in every output.
#include "layout/layout.h"
#include "base/strbuf.h"
#include "base/units.h"
#include "classes/class.h"
#include "layout/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/config.h>

// The VMM: one per guest, below every driver and virtualiser, and above
// every vCPU (GUEST_VCPU_PRIORITY).
static const struct class_pd vmm_pd = {"vmm_%s", "vmm.elf", GUEST_VCPU_PRIORITY + 1,
                                       SYSGEN_KIND_VMM, sizeof(struct sysgen_vmm_config)};

uint64_t guest_slot_gpa(const struct board *b, enum device_class_id c)
{
    return b->guest_virtio_base + (uint64_t)c * b->guest_virtio_stride;
}

uint32_t guest_slot_irq(const struct board *b, enum device_class_id c)
{
    return b->guest_virtio_first_irq + (uint32_t)c;
}

// A PD as `spec` describes it, with its config header filled in.  `arg`
// fills the "%s" of its name (a guest's) and `driver` that of its image.
static struct pd *new_pd(struct builder *b, const struct class_pd *spec, const char *arg,
                         const char *driver, struct pos pos)
{
    struct pd *pd = xcalloc(1, sizeof(*pd));
    pd->name = xasprintf(spec->name, arg ? arg : "");
    pd->kind = spec->kind;
    pd->pos = pos;
    pd->priority = spec->priority;
    pd->program_image = xasprintf(spec->image, driver ? driver : "");
    pd->next_vaddr = PD_VADDR_BASE;
    pd->config = xcalloc(1, spec->config_size);
    pd->config_size = spec->config_size;
    struct sysgen_config_header *h = pd->config;
    h->magic = SYSGEN_CONFIG_MAGIC;
    h->version = SYSGEN_CONFIG_VERSION;
    h->kind = spec->kind;
    h->size = (uint32_t)spec->config_size;
    snprintf(h->pd_name, sizeof(h->pd_name), "%s", pd->name);
    b->l->pds = xrealloc(b->l->pds, (b->l->npds + 1) * sizeof(*b->l->pds));
    b->l->pds[b->l->npds++] = pd;
    return pd;
}

// The class's system-wide PDs, wired by the class.
static void build_class(struct builder *b, const struct device_class *c,
                        struct pd *pds[CLASS_MAX_PDS])
{
    const struct board_device *dev = c->board_device ? c->board_device(b->sys->board) : NULL;
    pds[0] = NULL; // a driverless system: the class does without its driver
    for (size_t i = class_driverless(b->sys, c); i < c->npds; i++)
        pds[i] = new_pd(b, &c->pds[i], NULL, dev ? dev->driver : NULL, b->sys->board_pos);
    if (c->build)
        c->build(b, pds);
}

// Kernel at its text offset from the RAM base (booting.rst), the device
// tree in the top 2 MiB, the initrd just below it.
static void place_guest_images(const struct board *bd, struct guest *g)
{
    uint64_t base = bd->guest_ram_base;
    g->kernel_gpa = base + g->kernel_text_offset;
    g->dtb_gpa = base + g->memory - 2 * MiB;
    g->initrd_gpa = g->dtb_gpa - align_up(g->initrd_size, 2 * MiB);
}

static struct pd *new_vmm(struct builder *b, struct guest *g, struct memory_region *ram)
{
    const struct board *bd = b->sys->board;
    struct pd *vmm = new_pd(b, &vmm_pd, g->name, NULL, g->pos);
    struct sysgen_vmm_config *vc = vmm->config;
    g->vmm = vmm;
    vmm->guest = g;
    vmm->guest_ram = ram;
    snprintf(vc->guest_name, sizeof(vc->guest_name), "%s", g->name);
    vc->ram_vaddr = map(vmm, ram, "rw", true);
    vc->ram_gpa = bd->guest_ram_base;
    vc->ram_size = g->memory;
    place_guest_images(bd, g);
    vc->kernel_gpa = g->kernel_gpa;
    vc->dtb_gpa = g->dtb_gpa;
    vc->initrd_gpa = g->initrd_gpa;
    vc->initrd_size = g->initrd_size;
    vc->num_vcpus = g->ncpus;
    return vmm;
}

// The guest's VMM, then its devices class by class (and each class's PD
// of its own, if the class has one).
static void build_guest(struct builder *b, struct guest *g, struct memory_region *ram,
                        struct pd *shared[CLASS_COUNT][CLASS_MAX_PDS])
{
    struct pd *vmm = new_vmm(b, g, ram);
    for (int i = 0; i < CLASS_COUNT; i++) {
        const struct device_class *c = device_classes[i];
        if (!guest_has(g, c->id))
            continue;
        struct pd *own = c->guest_pd ? new_pd(b, c->guest_pd, g->name, NULL, g->pos) : NULL;
        if (own)
            own->guest = g;
        if (c->connect)
            c->connect(b, g, vmm, shared[c->id], own);
    }
}

static void check_channel_ids(struct builder *b)
{
    for (size_t i = 0; i < b->l->npds; i++)
        if (b->l->pds[i]->next_id > SYSGEN_MAX_CHANNEL_ID + 1) {
            error_at(b->l->pds[i]->pos, "PD '%s' needs %u channel ids; the runtime allows 0..%d",
                     b->l->pds[i]->name, b->l->pds[i]->next_id, SYSGEN_MAX_CHANNEL_ID);
            b->failed = true;
        }
}

bool layout_system(struct system *sys)
{
    struct builder b = {sys, &sys->layout, false};
    const struct board *bd = sys->board;
    struct pd *shared[CLASS_COUNT][CLASS_MAX_PDS] = {{0}};
    b.l->pool_next = bd->ram_base + bd->runtime_size;
    b.l->pool_end = bd->ram_base + bd->ram_size;
    // Guest RAM first, largest alignment first: 2 MiB blocks, in YAML order.
    struct memory_region **ram = xcalloc(sys->nguests, sizeof(*ram));
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        ram[i] = new_region(&b, xasprintf("guest_ram_%s", g->name), g->memory, g->memory_pos);
        g->ram_paddr = ram[i]->paddr;
    }
    for (int i = 0; i < CLASS_COUNT; i++)
        if (system_uses(sys, device_classes[i]->id))
            build_class(&b, device_classes[i], shared[i]);
    for (size_t i = 0; i < sys->nguests; i++)
        build_guest(&b, &sys->guests[i], ram[i], shared);
    for (int i = 0; i < CLASS_COUNT; i++)
        if (device_classes[i]->finish)
            device_classes[i]->finish(&b);
    free(ram);
    place_cores(sys);
    check_channel_ids(&b);
    return !b.failed && diag_error_count() == 0;
}
