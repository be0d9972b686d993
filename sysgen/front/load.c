// SPDX-License-Identifier: BSD-2-Clause
// Pass 1, load: YAML text -> node tree with a source position on every node.
// libyaml does the parsing; this file only builds the tree.  Anchors and
// aliases are refused: a system description should read top to bottom.
#include "front/tree.h"
#include "base/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct loader {
    yaml_parser_t parser;
    const char *file;
    bool failed;
};

static struct pos mark_pos(const struct loader *ld, yaml_mark_t m)
{
    return (struct pos){ld->file, (int)m.line + 1, (int)m.column + 1};
}

static bool next_event(struct loader *ld, yaml_event_t *ev)
{
    if (ld->failed) // libyaml keeps answering after an error: stop asking
        return false;
    if (yaml_parser_parse(&ld->parser, ev) && ev->type != YAML_NO_EVENT)
        return true;
    const yaml_parser_t *p = &ld->parser;
    yaml_mark_t m = p->problem_mark;
    if (p->error == YAML_READER_ERROR) // reader errors carry only an offset
        error_at(((struct pos){ld->file, 1, 1}), "not readable as UTF-8 YAML: %s",
                 p->problem ? p->problem : "unknown problem");
    else
        error_at(mark_pos(ld, m), "YAML syntax: %s%s%s", p->problem ? p->problem : "error",
                 p->context ? " " : "", p->context ? p->context : "");
    ld->failed = true;
    return false;
}

static struct node *new_node(enum node_kind kind, struct pos pos)
{
    struct node *n = xcalloc(1, sizeof(*n));
    n->kind = kind;
    n->pos = pos;
    return n;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev, int depth);

// Parse children until the matching end event.  `ev` is the start event.
static struct node *parse_collection(struct loader *ld, yaml_event_t *ev, int depth)
{
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    struct node *n = new_node(is_map ? NODE_MAP : NODE_SEQ, mark_pos(ld, ev->start_mark));
    size_t cap = 0;
    for (;;) {
        yaml_event_t child;
        if (!next_event(ld, &child))
            return n;
        if (child.type == YAML_MAPPING_END_EVENT || child.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&child);
            return n;
        }
        struct node *c = parse_node(ld, &child, depth + 1);
        yaml_event_delete(&child);
        if (!c)
            return n;
        if (!is_map) {
            if (n->count == cap) {
                cap = cap ? cap * 2 : 4;
                n->items = xrealloc(n->items, cap * sizeof(*n->items));
            }
            n->items[n->count++] = c;
            continue;
        }
        if (c->kind != NODE_SCALAR) {
            error_at(c->pos, "a mapping key must be a plain name, not a %s", node_kind_name(c));
            ld->failed = true;
            tree_free(c);
            return n;
        }
        yaml_event_t vev;
        if (!next_event(ld, &vev)) {
            tree_free(c);
            return n;
        }
        struct node *v = parse_node(ld, &vev, depth + 1);
        yaml_event_delete(&vev);
        if (!v) {
            tree_free(c);
            return n;
        }
        if (map_get(n, c->text)) {
            error_at(c->pos, "key '%s' appears twice in this mapping", c->text);
            ld->failed = true;
        }
        if (n->count == cap) {
            cap = cap ? cap * 2 : 4;
            n->entries = xrealloc(n->entries, cap * sizeof(*n->entries));
        }
        n->entries[n->count++] = (struct map_entry){c, v};
    }
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev, int depth)
{
    if (depth > 64) {
        error_at(mark_pos(ld, ev->start_mark), "nesting deeper than 64 levels");
        ld->failed = true;
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        struct node *n = new_node(NODE_SCALAR, mark_pos(ld, ev->start_mark));
        n->text = xstrdup((const char *)ev->data.scalar.value);
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        if (strlen(n->text) != ev->data.scalar.length) {
            error_at(n->pos, "text contains a NUL character");
            ld->failed = true;
        }
        return n;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return parse_collection(ld, ev, depth);
    case YAML_ALIAS_EVENT:
        error_at(mark_pos(ld, ev->start_mark),
                 "YAML aliases (*name) are not supported: write the value out");
        ld->failed = true;
        return NULL;
    default:
        error_at(mark_pos(ld, ev->start_mark), "unexpected YAML event");
        ld->failed = true;
        return NULL;
    }
}

static struct node *load_from_parser(struct loader *ld)
{
    struct node *root = NULL;
    yaml_event_t ev;
    // stream start, document start
    while (!ld->failed && next_event(ld, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_SCALAR_EVENT || t == YAML_MAPPING_START_EVENT ||
            t == YAML_SEQUENCE_START_EVENT || t == YAML_ALIAS_EVENT) {
            if (root) {
                error_at(mark_pos(ld, ev.start_mark), "only one YAML document per file");
                ld->failed = true;
                yaml_event_delete(&ev);
                break;
            }
            root = parse_node(ld, &ev, 0);
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&ld->parser);
    if (ld->failed) {
        tree_free(root);
        return NULL;
    }
    if (!root) {
        error_at(((struct pos){ld->file, 1, 1}), "the file is empty");
        return NULL;
    }
    return root;
}

struct node *load_yaml_string(const char *name, const char *text, size_t len)
{
    struct loader ld = {.file = name};
    yaml_parser_initialize(&ld.parser);
    yaml_parser_set_input_string(&ld.parser, (const unsigned char *)text, len);
    return load_from_parser(&ld);
}

struct node *load_yaml_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_at(((struct pos){path, 0, 0}), "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct loader ld = {.file = path};
    yaml_parser_initialize(&ld.parser);
    yaml_parser_set_input_file(&ld.parser, f);
    struct node *root = load_from_parser(&ld);
    fclose(f);
    return root;
}

void tree_free(struct node *n)
{
    if (!n)
        return;
    free(n->text);
    for (size_t i = 0; n->kind == NODE_MAP && i < n->count; i++) {
        tree_free(n->entries[i].key);
        tree_free(n->entries[i].value);
    }
    for (size_t i = 0; n->kind == NODE_SEQ && i < n->count; i++)
        tree_free(n->items[i]);
    free(n->entries);
    free(n->items);
    free(n);
}

struct node *map_get(const struct node *m, const char *key)
{
    if (!m || m->kind != NODE_MAP)
        return NULL;
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->entries[i].key->text, key) == 0)
            return m->entries[i].value;
    return NULL;
}

const char *node_kind_name(const struct node *n)
{
    switch (n->kind) {
    case NODE_MAP:
        return "mapping";
    case NODE_SEQ:
        return "list";
    default:
        return "scalar";
    }
}

bool scalar_is_null(const struct node *n)
{
    return n->kind == NODE_SCALAR && !n->quoted &&
           (n->text[0] == '\0' || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0);
}
