// SPDX-License-Identifier: BSD-2-Clause
// guests/<guest>.overlay.dts, .dtbo and .dtb.  The overlay holds what
// sysgen decided for that guest: its memory, /chosen (bootargs, initrd,
// stdout, name) and one virtio-mmio node per device it has, nothing more.
// It is applied with libfdt to the board's base guest tree (GIC, timer,
// PSCI, CPUs), or to the guest's own base_dts, both compiled by check, to
// give the final DTB.
#include "emit/dt.h"
#include "emit/emit.h"
#include "layout/layout.h"
#include "base/tool.h"
#include "base/units.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysgen/bootinfo.h>

#define VIRTIO_MMIO_SIZE 0x200
#define GIC_SPI          0
#define IRQ_EDGE_RISING  1

static void virtio_node(struct dt_node *parent, const struct board *b, enum device_class_id s)
{
    char name[64];
    uint64_t gpa = guest_slot_gpa(b, s);
    snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)gpa);
    struct dt_node *n = dt_node_new(parent, name);
    uint64_t reg[2] = {gpa, VIRTIO_MMIO_SIZE};
    uint32_t irq[3] = {GIC_SPI, guest_slot_irq(b, s) - 32, IRQ_EDGE_RISING};
    dt_prop_string(n, "compatible", "virtio,mmio");
    dt_prop_u64s(n, "reg", reg, 2);
    dt_prop_cells(n, "interrupts", irq, 3);
    dt_prop_empty(n, "dma-coherent");
}

// Linux finds the virtIO console as hvc0; say so unless the user did.
static char *guest_bootargs(const struct guest *g)
{
    if (guest_has(g, CLASS_CONSOLE) && !strstr(g->bootargs, "console="))
        return xasprintf("console=hvc0%s%s", g->bootargs[0] ? " " : "", g->bootargs);
    return xstrdup(g->bootargs);
}

// A guest with more than one vCPU: a cpu node for each after the base
// tree's cpu@0 (same compatible, PSCI to start it, MPIDR = its index), and
// the GIC's redistributor range covering one frame per vCPU, as the
// kernel's virtual GIC emulates them.
static void more_cpus(const struct system *sys, const struct guest *g, struct dt_node *root,
                      struct dt_node *ov)
{
    const struct board *b = sys->board;
    const char *compatible = "arm,armv8";
    int cpu0 = fdt_path_offset(g->base_dtb, "/cpus/cpu@0");
    const char *c = cpu0 >= 0 ? fdt_getprop(g->base_dtb, cpu0, "compatible", NULL) : NULL;
    if (c)
        compatible = c;
    struct dt_node *cpus = dt_node_new(ov, "cpus");
    for (uint32_t v = 1; v < g->ncpus; v++) {
        char name[32];
        snprintf(name, sizeof(name), "cpu@%u", v);
        struct dt_node *n = dt_node_new(cpus, name);
        dt_prop_string(n, "device_type", "cpu");
        dt_prop_string(n, "compatible", compatible);
        dt_prop_cells(n, "reg", &v, 1);
        dt_prop_string(n, "enable-method", "psci");
    }
    int gic = fdt_node_offset_by_compatible(g->base_dtb, -1, "arm,gic-v3");
    char path[256];
    if (gic < 0 || fdt_get_path(g->base_dtb, gic, path, sizeof(path)) != 0)
        return; // no GICv3 node in a base tree of the user's: nothing to widen
    struct dt_node *frag = dt_node_new(root, "fragment@1");
    dt_prop_string(frag, "target-path", path);
    struct dt_node *gov = dt_node_new(frag, "__overlay__");
    uint64_t reg[4] = {b->gicd_base, SG_GICD_SIZE, b->gicr_base,
                       (uint64_t)g->ncpus * SG_GICR_FRAME};
    dt_prop_u64s(gov, "reg", reg, 4);
}

static struct dt_node *guest_overlay(const struct system *sys, const struct guest *g)
{
    const struct board *b = sys->board;
    struct dt_node *root = dt_node_new(NULL, "/");
    struct dt_node *frag = dt_node_new(root, "fragment@0");
    dt_prop_string(frag, "target-path", "/");
    struct dt_node *ov = dt_node_new(frag, "__overlay__");

    char name[64];
    snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)b->guest_ram_base);
    struct dt_node *mem = dt_node_new(ov, name);
    uint64_t reg[2] = {b->guest_ram_base, g->memory};
    dt_prop_string(mem, "device_type", "memory");
    dt_prop_u64s(mem, "reg", reg, 2);

    struct dt_node *chosen = dt_node_new(ov, "chosen");
    char *args = guest_bootargs(g);
    dt_prop_string(chosen, "bootargs", args);
    free(args);
    if (g->initrd_size) {
        uint64_t start = g->initrd_gpa, end = g->initrd_gpa + g->initrd_size;
        dt_prop_u64s(chosen, "linux,initrd-start", &start, 1);
        dt_prop_u64s(chosen, "linux,initrd-end", &end, 1);
    }
    if (guest_has(g, CLASS_CONSOLE)) {
        snprintf(name, sizeof(name), "/virtio_mmio@%llx",
                 (unsigned long long)guest_slot_gpa(b, CLASS_CONSOLE));
        dt_prop_string(chosen, "stdout-path", name);
    }
    dt_prop_string(chosen, "sysgen,guest", g->name);
    char ip[16], addr[24];
    if (g->ip_given) { // the guest's init configures its NIC with these
        snprintf(addr, sizeof(addr), "%s/%u", format_ipv4(g->ip, ip), g->prefix);
        dt_prop_string(chosen, "sysgen,ip", g->ip_dhcp ? "dhcp" : addr);
    }
    if (g->gateway_given)
        dt_prop_string(chosen, "sysgen,gateway", format_ipv4(g->gateway, addr));

    for (int c = 0; c < CLASS_COUNT; c++)
        if (guest_has(g, (enum device_class_id)c))
            virtio_node(ov, b, (enum device_class_id)c);
    if (g->ncpus > 1)
        more_cpus(sys, g, root, ov);
    return root;
}

static void *apply_overlay(const void *base, size_t base_size, const void *ovl, size_t ovl_size,
                           const char *guest, size_t *size)
{
    size_t cap = base_size + ovl_size + 4096;
    void *tree = xcalloc(1, cap), *copy = xmalloc(ovl_size);
    memcpy(copy, ovl, ovl_size); // fdt_overlay_apply consumes the overlay
    int err = fdt_check_header(base);
    if (!err)
        err = fdt_open_into(base, tree, (int)cap);
    if (!err)
        err = fdt_overlay_apply(tree, copy);
    if (!err)
        err = fdt_pack(tree);
    free(copy);
    if (err) {
        fatal_error("applying the overlay of guest '%s' to its base tree: %s", guest,
                    fdt_strerror(err));
        free(tree);
        return NULL;
    }
    *size = fdt_totalsize(tree);
    return tree;
}

static bool emit_guest(const struct system *sys, const struct guest *g, struct output *out)
{
    struct dt_node *ovl = guest_overlay(sys, g);
    struct strbuf dts;
    sb_init(&dts);
    char *hdr = xasprintf("Generated by sysgen from %s: overlay for guest %s. Do not edit.",
                          sys->path, g->name);
    dt_to_dts(ovl, hdr, true, &dts);
    free(hdr);
    size_t ovl_size = 0, dtb_size = 0;
    void *blob = dt_to_fdt(ovl, &ovl_size);
    dt_free(ovl);
    char *p_dts = xasprintf("generated/guests/%s.overlay.dts", g->name);
    char *p_dtbo = xasprintf("generated/guests/%s.dtbo", g->name);
    char *p_dtb = xasprintf("generated/guests/%s.dtb", g->name);
    bool ok =
        blob && out_write(out, p_dts, dts.data, dts.len) && out_write(out, p_dtbo, blob, ovl_size);
    void *final = NULL;
    if (ok)
        final = apply_overlay(g->base_dtb, g->base_dtb_size, blob, ovl_size, g->name, &dtb_size);
    if (final && dtb_size > 2 * MiB) {
        fatal_error("the device tree of guest '%s' is larger than 2 MiB", g->name);
        ok = false;
    }
    ok = ok && final && out_write(out, p_dtb, final, dtb_size);
    free(final);
    free(blob);
    free(p_dts);
    free(p_dtbo);
    free(p_dtb);
    sb_free(&dts);
    return ok;
}

bool emit_guest_trees(const struct system *sys, struct output *out)
{
    for (size_t i = 0; i < sys->nguests; i++)
        if (!emit_guest(sys, &sys->guests[i], out))
            return false;
    return true;
}
