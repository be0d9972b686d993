// SPDX-License-Identifier: BSD-2-Clause
// The shape of the YAML language as data: which keys each kind of mapping
// takes, and of what type.  check walks these tables; a test compares them
// with schemas/system.schema.json so the editor schema cannot drift.
#ifndef SYSGEN_SCHEMA_H
#define SYSGEN_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum value_type {
    T_STRING, // a scalar used as text
    T_NAME,   // an identifier: [a-z][a-z0-9_]*
    T_SIZE,   // "256 MiB", 0x1000, 4096
    T_UINT,   // a decimal or 0x number
    T_MAP,    // a mapping (device blocks, disk)
    T_LIST,   // a sequence
};

struct key_spec {
    const char *key;
    enum value_type type;
    bool required;
    const char *about; // one line for --help and docs
};

struct object_spec {
    const char *what; // "guest", "partition": used in messages
    const struct key_spec *keys;
    size_t nkeys;
};

extern const struct object_spec schema_system, schema_disk, schema_partition, schema_guest,
    schema_console, schema_block, schema_net, schema_vsock, schema_network;

// All object specs, for the schema consistency test and `--help-yaml`.
extern const struct object_spec *const schema_all[];
extern const size_t schema_all_count;

const struct key_spec *schema_find(const struct object_spec *spec, const char *key);
// The known key closest to `key` (edit distance at most 2), or NULL.
const char *schema_suggest(const struct object_spec *spec, const char *key);
const char *value_type_name(enum value_type t);
// Where a key that is not `spec`'s belongs, when it is a device's key
// written at the guest's level; NULL otherwise.
const char *schema_misplaced(const struct object_spec *spec, const char *key);

#endif
