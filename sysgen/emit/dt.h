// SPDX-License-Identifier: BSD-2-Clause
// A small device tree, built in memory and written two ways: as DTS text
// and as a flattened blob (libfdt), so the .dts a reviewer reads and the
// .dtbo the guest gets come from the same nodes.
#ifndef SYSGEN_DT_H
#define SYSGEN_DT_H

#include "base/strbuf.h"

#include <stdbool.h>
#include <stdint.h>

enum dt_prop_kind { DT_EMPTY, DT_STRING, DT_CELLS };

struct dt_prop {
    char *name;
    enum dt_prop_kind kind;
    char *str;
    uint32_t *cells;
    size_t ncells;
};

struct dt_node {
    char *name;
    struct dt_prop *props;
    size_t nprops;
    struct dt_node **children;
    size_t nchildren;
};

struct dt_node *dt_node_new(struct dt_node *parent, const char *name);
void dt_prop_empty(struct dt_node *n, const char *name);
void dt_prop_string(struct dt_node *n, const char *name, const char *value);
void dt_prop_cells(struct dt_node *n, const char *name, const uint32_t *cells, size_t count);
// <hi lo> pairs: a 64-bit value in two cells.
void dt_prop_u64s(struct dt_node *n, const char *name, const uint64_t *v, size_t count);
void dt_free(struct dt_node *n);

// `header` is a comment put after /dts-v1/; `plugin` adds /plugin/;.
void dt_to_dts(const struct dt_node *root, const char *header, bool plugin, struct strbuf *out);
// A flattened tree; NULL after reporting a libfdt error.  Caller frees.
void *dt_to_fdt(const struct dt_node *root, size_t *size);

// Compile a DTS file with dtc into a blob (caller frees).  NULL when dtc
// fails or cannot run; what it said is appended to `errors`.
void *dts_compile(const char *path, size_t *size, struct strbuf *errors);

#endif
