// SPDX-License-Identifier: BSD-2-Clause
#include "front/shape.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <ctype.h>
#include <string.h>

void rule_unknown_key(const struct node *map, const struct object_spec *spec)
{
    for (size_t i = 0; map && map->kind == NODE_MAP && i < map->count; i++) {
        const struct node *k = map->entries[i].key;
        if (schema_find(spec, k->text))
            continue;
        const char *hint = schema_suggest(spec, k->text);
        const char *belongs = schema_misplaced(spec, k->text);
        if (belongs)
            error_at(k->pos, "'%s' is not a key of the %s: %s", k->text, spec->what, belongs);
        else if (spec->nkeys == 0)
            error_at(k->pos, "unknown key '%s': %s takes no keys (write '%s: {}')", k->text,
                     spec->what, spec->what);
        else if (hint)
            error_at(k->pos, "unknown key '%s' in %s; did you mean '%s'?", k->text, spec->what,
                     hint);
        else {
            struct strbuf sb;
            sb_init(&sb);
            for (size_t j = 0; j < spec->nkeys; j++)
                sb_printf(&sb, "%s%s", j ? ", " : "", spec->keys[j].key);
            error_at(k->pos, "unknown key '%s' in %s (known keys: %s)", k->text, spec->what,
                     sb.data);
            sb_free(&sb);
        }
    }
}

static bool has_type(const struct node *n, enum value_type t)
{
    switch (t) {
    case T_MAP:
        return n->kind == NODE_MAP;
    case T_LIST:
        return n->kind == NODE_SEQ;
    default:
        return n->kind == NODE_SCALAR && !scalar_is_null(n);
    }
}

bool rule_wrong_type(const struct node *n, const char *key, enum value_type t)
{
    if (has_type(n, t))
        return true;
    const char *found = scalar_is_null(n)        ? "nothing"
                        : n->kind == NODE_SCALAR ? "a scalar"
                        : n->kind == NODE_MAP    ? "a mapping"
                                                 : "a list";
    if (t == T_MAP && scalar_is_null(n))
        error_at(n->pos, "'%s' must be %s, not %s (write '%s: {}' for the defaults)", key,
                 value_type_name(t), found, key);
    else
        error_at(n->pos, "'%s' must be %s, not %s", key, value_type_name(t), found);
    return false;
}

bool rule_missing_field(const struct node *map, const struct object_spec *spec, const char *key)
{
    if (map_get(map, key))
        return true;
    error_at(map->pos, "%s is missing the required key '%s'", spec->what, key);
    return false;
}

bool rule_bad_size(const struct node *n, const char *key, uint64_t *out)
{
    if (parse_size(n->text, out))
        return true;
    const char *t = n->text;
    size_t len = strlen(t);
    bool si = len >= 2 && (strcmp(t + len - 2, "MB") == 0 || strcmp(t + len - 2, "GB") == 0 ||
                           strcmp(t + len - 2, "KB") == 0);
    error_at(n->pos,
             "bad size '%s' for '%s': write bytes, 0x hex, or a number with KiB, MiB or GiB%s", t,
             key, si ? " (binary units: MiB, not MB)" : "");
    return false;
}

bool rule_bad_name(const struct node *n, const char *key, size_t max)
{
    const char *s = n->text;
    bool ok = islower((unsigned char)s[0]) && strlen(s) <= max;
    for (const char *p = s; ok && *p; p++)
        ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_';
    if (!ok)
        error_at(n->pos,
                 "bad %s '%s': use a lower-case letter, then letters, digits or '_', at most %zu "
                 "characters",
                 key, s, max);
    return ok;
}

// Fetch `key` and check presence (when required) and type.
static const struct node *typed_value(const struct node *map, const struct object_spec *spec,
                                      const char *key, enum value_type t)
{
    const struct key_spec *ks = schema_find(spec, key);
    const struct node *n = map_get(map, key);
    if (!n) {
        if (ks && ks->required)
            rule_missing_field(map, spec, key);
        return NULL;
    }
    return rule_wrong_type(n, key, t) ? n : NULL;
}

bool get_string(const struct node *map, const struct object_spec *spec, const char *key, char **out,
                struct pos *pos)
{
    const struct key_spec *ks = schema_find(spec, key);
    const struct node *n = typed_value(map, spec, key, T_STRING);
    if (!n)
        return false;
    if (ks && ks->type == T_NAME && !rule_bad_name(n, key, 20))
        return false;
    *out = xstrdup(n->text);
    if (pos)
        *pos = n->pos;
    return true;
}

bool get_size(const struct node *map, const struct object_spec *spec, const char *key,
              uint64_t *out, struct pos *pos)
{
    const struct node *n = typed_value(map, spec, key, T_SIZE);
    if (!n || !rule_bad_size(n, key, out))
        return false;
    if (pos)
        *pos = n->pos;
    return true;
}

bool get_uint(const struct node *map, const struct object_spec *spec, const char *key,
              uint64_t *out, struct pos *pos)
{
    const struct node *n = typed_value(map, spec, key, T_UINT);
    if (!n)
        return false;
    if (!parse_uint(n->text, out)) {
        error_at(n->pos, "'%s' must be a whole number (decimal or 0x hex), not '%s'", key, n->text);
        return false;
    }
    if (pos)
        *pos = n->pos;
    return true;
}

bool get_map(const struct node *map, const struct object_spec *spec, const char *key,
             const struct node **out)
{
    const struct node *n = typed_value(map, spec, key, T_MAP);
    if (n)
        *out = n;
    return n != NULL;
}

bool get_list(const struct node *map, const struct object_spec *spec, const char *key,
              const struct node **out)
{
    const struct node *n = typed_value(map, spec, key, T_LIST);
    if (n)
        *out = n;
    return n != NULL;
}
