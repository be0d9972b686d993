// SPDX-License-Identifier: BSD-2-Clause
// A description of the config ABI structs (include/sysgen/config.h) as
// data, so one printer can turn any PD's config bytes into a readable C
// initializer.  Offsets come from offsetof: the compiler keeps it honest.
#ifndef SYSGEN_CONFIG_DESC_H
#define SYSGEN_CONFIG_DESC_H

#include <stddef.h>
#include <stdint.h>

enum field_type { F_U8, F_U16, F_U32, F_HEX32, F_U64, F_STR, F_MAC, F_STRUCT, F_ARRAY, F_KIND };

struct type_desc;

struct field_desc {
    const char *name;
    size_t offset;
    enum field_type type;
    size_t size;                 // F_STR: buffer length; F_ARRAY: element count
    const struct type_desc *sub; // F_STRUCT, F_ARRAY
};

struct type_desc {
    const char *c_name; // "struct sysgen_conn"
    size_t size;
    const struct field_desc *fields;
    size_t nfields;
};

// The top-level config type of a config kind, or NULL.
const struct type_desc *config_type(uint16_t kind);
const char *config_kind_name(uint16_t kind);

#endif
