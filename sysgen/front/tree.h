// SPDX-License-Identifier: BSD-2-Clause
// The YAML document as a tree of nodes, each knowing where it was written.
// The load pass builds it; check reads it against the schema tables.
#ifndef SYSGEN_TREE_H
#define SYSGEN_TREE_H

#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum node_kind { NODE_SCALAR, NODE_MAP, NODE_SEQ };

struct node;

struct map_entry {
    struct node *key; // always a scalar
    struct node *value;
};

struct node {
    enum node_kind kind;
    struct pos pos;
    // NODE_SCALAR
    char *text;
    bool quoted; // written with quotes: never a number, null or bool
    // NODE_MAP
    struct map_entry *entries;
    // NODE_SEQ
    struct node **items;
    size_t count; // entries or items
};

// Parse `path` (YAML) into a tree; NULL after reporting the syntax error.
struct node *load_yaml_file(const char *path);
// Same from memory; `name` is what positions say (tests).
struct node *load_yaml_string(const char *name, const char *text, size_t len);
void tree_free(struct node *n);

// The value of `key` in map `m`, or NULL.
struct node *map_get(const struct node *m, const char *key);
const char *node_kind_name(const struct node *n);
bool scalar_is_null(const struct node *n);

#endif
