// SPDX-License-Identifier: BSD-2-Clause
#include "emit/dt.h"
#include "base/diag.h"
#include "base/tool.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

struct dt_node *dt_node_new(struct dt_node *parent, const char *name)
{
    struct dt_node *n = xcalloc(1, sizeof(*n));
    n->name = xstrdup(name);
    if (parent) {
        parent->children =
            xrealloc(parent->children, (parent->nchildren + 1) * sizeof(*parent->children));
        parent->children[parent->nchildren++] = n;
    }
    return n;
}

static struct dt_prop *new_prop(struct dt_node *n, const char *name, enum dt_prop_kind kind)
{
    n->props = xrealloc(n->props, (n->nprops + 1) * sizeof(*n->props));
    struct dt_prop *p = &n->props[n->nprops++];
    memset(p, 0, sizeof(*p));
    p->name = xstrdup(name);
    p->kind = kind;
    return p;
}

void dt_prop_empty(struct dt_node *n, const char *name)
{
    new_prop(n, name, DT_EMPTY);
}

void dt_prop_string(struct dt_node *n, const char *name, const char *value)
{
    new_prop(n, name, DT_STRING)->str = xstrdup(value);
}

void dt_prop_cells(struct dt_node *n, const char *name, const uint32_t *cells, size_t count)
{
    struct dt_prop *p = new_prop(n, name, DT_CELLS);
    p->cells = xcalloc(count, sizeof(*cells));
    memcpy(p->cells, cells, count * sizeof(*cells));
    p->ncells = count;
}

void dt_prop_u64s(struct dt_node *n, const char *name, const uint64_t *v, size_t count)
{
    uint32_t *cells = xcalloc(count * 2, sizeof(*cells));
    for (size_t i = 0; i < count; i++) {
        cells[2 * i] = (uint32_t)(v[i] >> 32);
        cells[2 * i + 1] = (uint32_t)v[i];
    }
    dt_prop_cells(n, name, cells, count * 2);
    free(cells);
}

void dt_free(struct dt_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nprops; i++) {
        free(n->props[i].name);
        free(n->props[i].str);
        free(n->props[i].cells);
    }
    for (size_t i = 0; i < n->nchildren; i++)
        dt_free(n->children[i]);
    free(n->props);
    free(n->children);
    free(n->name);
    free(n);
}

static void tabs(struct strbuf *sb, int depth)
{
    for (int i = 0; i < depth; i++)
        sb_puts(sb, "\t");
}

static void node_to_dts(const struct dt_node *n, int depth, struct strbuf *sb)
{
    tabs(sb, depth);
    sb_printf(sb, "%s {\n", n->name);
    for (size_t i = 0; i < n->nprops; i++) {
        const struct dt_prop *p = &n->props[i];
        tabs(sb, depth + 1);
        sb_puts(sb, p->name);
        if (p->kind == DT_STRING) {
            sb_puts(sb, " = \"");
            for (const char *c = p->str; *c; c++)
                sb_printf(sb, (*c == '"' || *c == '\\') ? "\\%c" : "%c", *c);
            sb_puts(sb, "\"");
        } else if (p->kind == DT_CELLS) {
            sb_puts(sb, " = <");
            for (size_t j = 0; j < p->ncells; j++)
                sb_printf(sb, "%s0x%x", j ? " " : "", p->cells[j]);
            sb_puts(sb, ">");
        }
        sb_puts(sb, ";\n");
    }
    for (size_t i = 0; i < n->nchildren; i++) {
        if (i || n->nprops)
            sb_puts(sb, "\n");
        node_to_dts(n->children[i], depth + 1, sb);
    }
    tabs(sb, depth);
    sb_puts(sb, "};\n");
}

void dt_to_dts(const struct dt_node *root, const char *header, bool plugin, struct strbuf *out)
{
    sb_puts(out, "/dts-v1/;\n");
    if (plugin)
        sb_puts(out, "/plugin/;\n");
    sb_printf(out, "\n/* %s */\n\n", header);
    node_to_dts(root, 0, out);
}

static int node_to_fdt(const struct dt_node *n, void *fdt)
{
    int err = fdt_begin_node(fdt, strcmp(n->name, "/") == 0 ? "" : n->name);
    for (size_t i = 0; !err && i < n->nprops; i++) {
        const struct dt_prop *p = &n->props[i];
        if (p->kind == DT_EMPTY)
            err = fdt_property(fdt, p->name, NULL, 0);
        else if (p->kind == DT_STRING)
            err = fdt_property_string(fdt, p->name, p->str);
        else {
            fdt32_t *be = xcalloc(p->ncells, sizeof(*be));
            for (size_t j = 0; j < p->ncells; j++)
                be[j] = cpu_to_fdt32(p->cells[j]);
            err = fdt_property(fdt, p->name, be, (int)(p->ncells * sizeof(*be)));
            free(be);
        }
    }
    for (size_t i = 0; !err && i < n->nchildren; i++)
        err = node_to_fdt(n->children[i], fdt);
    return err ? err : fdt_end_node(fdt);
}

void *dt_to_fdt(const struct dt_node *root, size_t *size)
{
    for (int cap = 16384; cap <= (1 << 24); cap *= 2) {
        void *fdt = xcalloc(1, (size_t)cap);
        int err = fdt_create(fdt, cap);
        if (!err)
            err = fdt_finish_reservemap(fdt);
        if (!err)
            err = node_to_fdt(root, fdt);
        if (!err)
            err = fdt_finish(fdt);
        if (!err) {
            *size = fdt_totalsize(fdt);
            return fdt;
        }
        free(fdt);
        if (err != -FDT_ERR_NOSPACE) {
            fatal_error("building a device tree blob: %s", fdt_strerror(err));
            return NULL;
        }
    }
    fatal_error("device tree blob larger than 16 MiB");
    return NULL;
}

void *dts_compile(const char *path, size_t *size, struct strbuf *errors)
{
    char tmp[] = "/tmp/sysgen-dtb-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sb_printf(errors, "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    close(fd);
    const char *argv[] = {"dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp, path, NULL};
    struct strbuf blob;
    sb_init(&blob);
    bool ok = run_tool_output(argv, errors);
    FILE *f = ok ? fopen(tmp, "rb") : NULL;
    if (f) {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
            sb_add(&blob, buf, n);
        fclose(f);
    }
    unlink(tmp);
    if (!f) {
        if (ok)
            sb_printf(errors, "cannot read what dtc wrote");
        sb_free(&blob);
        return NULL;
    }
    *size = blob.len;
    return sb_steal(&blob);
}
