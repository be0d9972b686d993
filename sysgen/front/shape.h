// SPDX-License-Identifier: BSD-2-Clause
// Structural rules: does a tree node have the shape the schema says?  Each
// rule is one named function that reports one kind of error; the typed
// getters below apply them while reading a value.
#ifndef SYSGEN_CHECK_SHAPE_H
#define SYSGEN_CHECK_SHAPE_H

#include "front/schema.h"
#include "front/tree.h"

#include <stdbool.h>
#include <stdint.h>

// unknown-key: every key of `map` must be in `spec` (suggests the closest).
void rule_unknown_key(const struct node *map, const struct object_spec *spec);
// wrong-type: `n` must have the type `t`.  Returns true if it does.
bool rule_wrong_type(const struct node *n, const char *key, enum value_type t);
// missing-field: `key` must be present in `map`.  Returns true if it is.
bool rule_missing_field(const struct node *map, const struct object_spec *spec, const char *key);
// bad-size: `n` must parse as a size.  Returns true and sets *out if it does.
bool rule_bad_size(const struct node *n, const char *key, uint64_t *out);
// bad-name: an identifier of at most `max` characters.
bool rule_bad_name(const struct node *n, const char *key, size_t max);

// Typed getters: read `key` of `map`; report missing/wrong type/bad syntax
// by the rules above.  They return false when the value is absent or bad,
// leaving *out unchanged.  `pos` (optional) receives the value's position.
bool get_string(const struct node *map, const struct object_spec *spec, const char *key, char **out,
                struct pos *pos);
bool get_size(const struct node *map, const struct object_spec *spec, const char *key,
              uint64_t *out, struct pos *pos);
bool get_uint(const struct node *map, const struct object_spec *spec, const char *key,
              uint64_t *out, struct pos *pos);
// A present mapping (device blocks): true with *out set.
bool get_map(const struct node *map, const struct object_spec *spec, const char *key,
             const struct node **out);
bool get_list(const struct node *map, const struct object_spec *spec, const char *key,
              const struct node **out);

#endif
