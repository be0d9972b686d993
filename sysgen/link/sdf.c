// SPDX-License-Identifier: BSD-2-Clause
// SDF reader.  libxml2 builds the tree (and reports malformed XML with its
// line and column); this file walks it element by element, accepting only
// the elements and attributes it knows, so that a typo is an error at its
// line instead of a silently ignored setting.
#include "link/sdf.h"
#include "base/strbuf.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID       61
#define MAX_PRIORITY 254

struct reader {
    struct sdf_system *sys;
    const char *path;
};

static struct pos pos_of(const struct reader *r, xmlNode *n)
{
    return (struct pos){r->path, (int)xmlGetLineNo(n), 1};
}

static const char *name_of(xmlNode *n)
{
    return (const char *)n->name;
}

// The attribute's value, or NULL.  The caller frees it with xmlFree.
static char *attr(xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool check_attrs(const struct reader *r, xmlNode *n, const char *const *allowed)
{
    bool ok = true;
    for (xmlAttr *a = n->properties; a; a = a->next) {
        bool known = false;
        for (const char *const *p = allowed; *p; p++)
            known |= strcmp(*p, (const char *)a->name) == 0;
        if (!known) {
            error_at(pos_of(r, n), "unknown attribute '%s' on <%s>", (const char *)a->name,
                     name_of(n));
            ok = false;
        }
    }
    return ok;
}

static char *req_str(const struct reader *r, xmlNode *n, const char *name)
{
    char *v = attr(n, name);
    if (!v) {
        error_at(pos_of(r, n), "<%s> needs a '%s' attribute", name_of(n), name);
        return NULL;
    }
    char *s = xstrdup(v);
    xmlFree(v);
    return s;
}

static char *opt_str(xmlNode *n, const char *name)
{
    char *v = attr(n, name);
    if (!v)
        return NULL;
    char *s = xstrdup(v);
    xmlFree(v);
    return s;
}

// Decimal or 0x-hex, '_' allowed as a digit separator as in Microkit.
static bool parse_u64(const char *s, uint64_t *out)
{
    char buf[80];
    size_t n = 0;
    for (; *s && n + 1 < sizeof(buf); s++)
        if (*s != '_')
            buf[n++] = *s;
    if (*s || n == 0)
        return false;
    buf[n] = 0;
    if (buf[0] == '-' || buf[0] == '+' || buf[0] == ' ')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

// Integer attribute: false (and an error) if present but malformed.
static bool num_attr(const struct reader *r, xmlNode *n, const char *name, bool required,
                     uint64_t *out, bool *present)
{
    char *v = attr(n, name);
    if (present)
        *present = v != NULL;
    if (!v) {
        if (required)
            error_at(pos_of(r, n), "<%s> needs a '%s' attribute", name_of(n), name);
        return !required;
    }
    bool ok = parse_u64(v, out);
    if (!ok)
        error_at(pos_of(r, n), "<%s> attribute %s=\"%s\" is not a number", name_of(n), name, v);
    xmlFree(v);
    return ok;
}

static bool bool_attr(const struct reader *r, xmlNode *n, const char *name, bool dflt, bool *out)
{
    char *v = attr(n, name);
    *out = dflt;
    if (!v)
        return true;
    bool ok = true;
    if (strcmp(v, "true") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0)
        *out = false;
    else {
        error_at(pos_of(r, n), "<%s> attribute %s=\"%s\" must be true or false", name_of(n), name,
                 v);
        ok = false;
    }
    xmlFree(v);
    return ok;
}

static bool id_attr(const struct reader *r, xmlNode *n, const char *name, int *out)
{
    uint64_t v = 0;
    if (!num_attr(r, n, name, true, &v, NULL))
        return false;
    if (v > MAX_ID) {
        error_at(pos_of(r, n), "<%s> %s=\"%llu\" is out of range 0..%d", name_of(n), name,
                 (unsigned long long)v, MAX_ID);
        return false;
    }
    *out = (int)v;
    return true;
}

#define GROW(arr, n) ((arr) = xrealloc((arr), (size_t)((n) + 1) * sizeof(*(arr))), &(arr)[(n)++])

static void read_mr(struct reader *r, xmlNode *n)
{
    static const char *const allowed[] = {"name", "size", "page_size", "phys_addr", NULL};
    check_attrs(r, n, allowed);
    struct sdf_mr *mr = GROW(r->sys->mrs, r->sys->nmrs);
    memset(mr, 0, sizeof(*mr));
    mr->pos = pos_of(r, n);
    mr->name = req_str(r, n, "name");
    mr->page_size = 0x1000;
    num_attr(r, n, "size", true, &mr->size, NULL);
    num_attr(r, n, "page_size", false, &mr->page_size, NULL);
    num_attr(r, n, "phys_addr", false, &mr->phys_addr, &mr->has_phys_addr);
    if (mr->page_size != 0x1000 && mr->page_size != 0x200000)
        error_at(mr->pos, "memory region '%s': page_size must be 0x1000 or 0x200000",
                 mr->name ? mr->name : "?");
    else if (mr->size == 0 || mr->size % mr->page_size)
        error_at(mr->pos, "memory region '%s': size 0x%llx is not a non-zero multiple of 0x%llx",
                 mr->name ? mr->name : "?", (unsigned long long)mr->size,
                 (unsigned long long)mr->page_size);
    else if (mr->has_phys_addr && mr->phys_addr % mr->page_size)
        error_at(mr->pos, "memory region '%s': phys_addr 0x%llx is not aligned to 0x%llx",
                 mr->name ? mr->name : "?", (unsigned long long)mr->phys_addr,
                 (unsigned long long)mr->page_size);
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name_of(c), "file") != 0) {
            error_at(pos_of(r, c), "unknown element <%s> in <memory_region>", name_of(c));
            continue;
        }
        static const char *const fallowed[] = {"path", "offset", NULL};
        check_attrs(r, c, fallowed);
        struct sdf_file *f = GROW(mr->files, mr->nfiles);
        f->pos = pos_of(r, c);
        f->path = req_str(r, c, "path");
        f->offset = 0;
        num_attr(r, c, "offset", false, &f->offset, NULL);
    }
}

static bool parse_perms(const char *s, unsigned *out)
{
    unsigned p = 0;
    for (; *s; s++) {
        unsigned bit = *s == 'r' ? SDF_PERM_R : *s == 'w' ? SDF_PERM_W : *s == 'x' ? SDF_PERM_X : 0;
        if (!bit || (p & bit))
            return false;
        p |= bit;
    }
    *out = p;
    return p != 0;
}

static void read_map(struct reader *r, struct sdf_map **maps, int *nmaps, xmlNode *n)
{
    static const char *const allowed[] = {"mr", "vaddr", "perms", "cached", "setvar_vaddr", NULL};
    check_attrs(r, n, allowed);
    struct sdf_map *m = GROW(*maps, *nmaps);
    memset(m, 0, sizeof(*m));
    m->pos = pos_of(r, n);
    m->mr = req_str(r, n, "mr");
    num_attr(r, n, "vaddr", true, &m->vaddr, NULL);
    m->perms = SDF_PERM_R | SDF_PERM_W;
    char *perms = attr(n, "perms");
    if (perms && !parse_perms(perms, &m->perms))
        error_at(m->pos, "<map> perms=\"%s\" must combine r, w and x", perms);
    if (perms)
        xmlFree(perms);
    bool_attr(r, n, "cached", true, &m->cached);
    m->setvar_vaddr = opt_str(n, "setvar_vaddr");
}

static void read_irq(struct reader *r, struct sdf_pd *pd, xmlNode *n)
{
    static const char *const allowed[] = {"irq", "id", "trigger", NULL};
    check_attrs(r, n, allowed);
    struct sdf_irq *q = GROW(pd->irqs, pd->nirqs);
    memset(q, 0, sizeof(*q));
    q->pos = pos_of(r, n);
    uint64_t irq = 0;
    if (num_attr(r, n, "irq", true, &irq, NULL) && (irq < 16 || irq > 1019))
        error_at(q->pos, "<irq> irq=\"%llu\" is not a PPI or SPI (16..1019)",
                 (unsigned long long)irq);
    q->irq = (uint32_t)irq;
    q->id = -1;
    id_attr(r, n, "id", &q->id);
    char *trig = attr(n, "trigger");
    if (trig) {
        if (strcmp(trig, "edge") == 0)
            q->edge = true;
        else if (strcmp(trig, "level") != 0)
            error_at(q->pos, "<irq> trigger=\"%s\" must be level or edge", trig);
        xmlFree(trig);
    }
}

static void read_setvar(struct reader *r, struct sdf_pd *pd, xmlNode *n)
{
    static const char *const allowed[] = {"symbol", "region_paddr", NULL};
    check_attrs(r, n, allowed);
    struct sdf_setvar *s = GROW(pd->setvars, pd->nsetvars);
    s->pos = pos_of(r, n);
    s->symbol = req_str(r, n, "symbol");
    s->region_paddr = req_str(r, n, "region_paddr");
}

static void read_pd(struct reader *r, xmlNode *n, int parent);

static struct sdf_vm *read_vm(struct reader *r, xmlNode *n)
{
    static const char *const allowed[] = {"name", "priority", "budget", "period", NULL};
    check_attrs(r, n, allowed);
    struct sdf_vm *vm = xcalloc(1, sizeof(*vm));
    vm->pos = pos_of(r, n);
    vm->name = req_str(r, n, "name");
    uint64_t prio = 0;
    bool has_prio = false;
    vm->priority = -1;
    if (num_attr(r, n, "priority", false, &prio, &has_prio) && has_prio) {
        if (prio > MAX_PRIORITY)
            error_at(vm->pos, "virtual machine '%s': priority %llu is out of range 0..%d",
                     vm->name ? vm->name : "?", (unsigned long long)prio, MAX_PRIORITY);
        else
            vm->priority = (int)prio;
    }
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name_of(c), "vcpu") == 0) {
            static const char *const vallowed[] = {"id", "cpu", NULL};
            check_attrs(r, c, vallowed);
            int id = -1;
            id_attr(r, c, "id", &id);
            uint64_t cpu = 0;
            bool has_cpu = false;
            num_attr(r, c, "cpu", false, &cpu, &has_cpu);
            vm->vcpu_cpu = xrealloc(vm->vcpu_cpu, (size_t)(vm->nvcpus + 1) * sizeof(*vm->vcpu_cpu));
            vm->vcpu_cpu[vm->nvcpus] = !has_cpu ? -1 : cpu > 255 ? 255 : (int)cpu;
            vm->vcpus = xrealloc(vm->vcpus, (size_t)(vm->nvcpus + 1) * sizeof(*vm->vcpus));
            vm->vcpu_pos = xrealloc(vm->vcpu_pos, (size_t)(vm->nvcpus + 1) * sizeof(*vm->vcpu_pos));
            vm->vcpu_pos[vm->nvcpus] = pos_of(r, c);
            vm->vcpus[vm->nvcpus++] = id;
        } else if (strcmp(name_of(c), "map") == 0) {
            read_map(r, &vm->maps, &vm->nmaps, c);
        } else {
            error_at(pos_of(r, c), "unknown element <%s> in <virtual_machine>", name_of(c));
        }
    }
    if (vm->nvcpus == 0)
        error_at(vm->pos, "virtual machine '%s' has no <vcpu>", vm->name ? vm->name : "?");
    return vm;
}

static void free_maps(struct sdf_map *maps, int n)
{
    for (int j = 0; j < n; j++) {
        free(maps[j].mr);
        free(maps[j].setvar_vaddr);
    }
    free(maps);
}

static void read_pd_children(struct reader *r, int self, xmlNode *n)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        struct sdf_pd *pd = &r->sys->pds[self]; // re-read: child PDs grow the array
        const char *nm = name_of(c);
        if (strcmp(nm, "program_image") == 0) {
            static const char *const allowed[] = {"path", NULL};
            check_attrs(r, c, allowed);
            if (pd->program_image)
                error_at(pos_of(r, c), "protection domain '%s' has a second <program_image>",
                         pd->name ? pd->name : "?");
            else {
                pd->program_image = req_str(r, c, "path");
                pd->image_pos = pos_of(r, c);
            }
        } else if (strcmp(nm, "map") == 0) {
            read_map(r, &pd->maps, &pd->nmaps, c);
        } else if (strcmp(nm, "irq") == 0) {
            read_irq(r, pd, c);
        } else if (strcmp(nm, "setvar") == 0) {
            read_setvar(r, pd, c);
        } else if (strcmp(nm, "protection_domain") == 0) {
            read_pd(r, c, self);
        } else if (strcmp(nm, "virtual_machine") == 0) {
            if (pd->vm)
                error_at(pos_of(r, c), "protection domain '%s' has a second <virtual_machine>",
                         pd->name ? pd->name : "?");
            else
                pd->vm = read_vm(r, c);
        } else {
            error_at(pos_of(r, c), "unknown element <%s> in <protection_domain>", nm);
        }
    }
}

static void read_pd(struct reader *r, xmlNode *n, int parent)
{
    static const char *const allowed[] = {"name", "priority", "passive", "stack_size", "budget",
                                          "period", "pp", "id", "cpu", NULL};
    check_attrs(r, n, allowed);
    int self = r->sys->npds;
    struct sdf_pd *pd = GROW(r->sys->pds, r->sys->npds);
    memset(pd, 0, sizeof(*pd));
    pd->pos = pos_of(r, n);
    pd->name = req_str(r, n, "name");
    pd->parent = parent;
    pd->child_id = -1;
    uint64_t prio = 100, stack = 0x2000;
    if (num_attr(r, n, "priority", false, &prio, NULL) && prio > MAX_PRIORITY)
        error_at(pd->pos, "protection domain '%s': priority %llu is out of range 0..%d",
                 pd->name ? pd->name : "?", (unsigned long long)prio, MAX_PRIORITY);
    pd->priority = (int)(prio > MAX_PRIORITY ? MAX_PRIORITY : prio);
    if (num_attr(r, n, "stack_size", false, &stack, NULL) &&
        (stack < 0x1000 || stack > 0x1000000 || stack % 0x1000))
        error_at(pd->pos,
                 "protection domain '%s': stack_size 0x%llx must be a multiple of 0x1000 in "
                 "0x1000..0x1000000",
                 pd->name ? pd->name : "?", (unsigned long long)stack);
    pd->stack_size = stack;
    bool_attr(r, n, "passive", false, &pd->passive);
    uint64_t cpu = 0;
    num_attr(r, n, "cpu", false, &cpu, NULL);
    pd->cpu = cpu > 255 ? 255 : (int)cpu; // the board's count is checked by the rules
    bool has_id = false;
    char *id = attr(n, "id");
    if (id) {
        has_id = true;
        xmlFree(id);
        id_attr(r, n, "id", &r->sys->pds[self].child_id);
    }
    if (parent >= 0 && !has_id)
        error_at(pos_of(r, n), "child protection domain needs an 'id' attribute");
    if (parent < 0 && has_id)
        error_at(pos_of(r, n), "only a child protection domain has an 'id' attribute");
    read_pd_children(r, self, n);
    pd = &r->sys->pds[self];
    if (!pd->program_image)
        error_at(pd->pos, "protection domain '%s' has no <program_image>",
                 pd->name ? pd->name : "?");
}

static void read_end(struct reader *r, struct sdf_end *e, xmlNode *n)
{
    static const char *const allowed[] = {"pd", "id", "pp", "notify", NULL};
    check_attrs(r, n, allowed);
    e->pos = pos_of(r, n);
    e->pd = req_str(r, n, "pd");
    e->id = -1;
    id_attr(r, n, "id", &e->id);
    bool_attr(r, n, "pp", false, &e->pp);
    bool_attr(r, n, "notify", true, &e->notify);
}

static void read_channel(struct reader *r, xmlNode *n)
{
    static const char *const allowed[] = {NULL};
    check_attrs(r, n, allowed);
    struct sdf_channel *ch = GROW(r->sys->channels, r->sys->nchannels);
    memset(ch, 0, sizeof(*ch));
    ch->pos = pos_of(r, n);
    ch->end[0].id = ch->end[1].id = -1;
    int nends = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name_of(c), "end") != 0)
            error_at(pos_of(r, c), "unknown element <%s> in <channel>", name_of(c));
        else if (nends == 2)
            error_at(pos_of(r, c), "<channel> has more than two <end>s");
        else
            read_end(r, &ch->end[nends++], c);
    }
    if (nends < 2)
        error_at(ch->pos, "<channel> needs exactly two <end> elements, it has %d", nends);
}

static void read_system(struct reader *r, xmlNode *root)
{
    r->sys->pos = pos_of(r, root);
    if (strcmp(name_of(root), "system") != 0) {
        error_at(pos_of(r, root), "the root element must be <system>, not <%s>", name_of(root));
        return;
    }
    static const char *const allowed[] = {"board", NULL};
    check_attrs(r, root, allowed);
    r->sys->board = opt_str(root, "board");
    for (xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *nm = name_of(c);
        if (strcmp(nm, "memory_region") == 0)
            read_mr(r, c);
        else if (strcmp(nm, "protection_domain") == 0)
            read_pd(r, c, -1);
        else if (strcmp(nm, "channel") == 0)
            read_channel(r, c);
        else
            error_at(pos_of(r, c), "unknown element <%s> in <system>", nm);
    }
}

static void xml_error(void *data, xmlErrorPtr e)
{
    const char *path = data;
    if (e->level < XML_ERR_ERROR)
        return;
    char *msg = xstrdup(e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
    error_at(((struct pos){path, e->line > 0 ? e->line : 1, e->int2 > 0 ? e->int2 : 1}),
             "malformed XML: %s", msg);
    free(msg);
}

unsigned sdf_cores_used(const struct sdf_system *s)
{
    unsigned n = 1;
    for (int i = 0; i < s->npds; i++) {
        const struct sdf_pd *pd = &s->pds[i];
        if ((unsigned)pd->cpu + 1 > n)
            n = (unsigned)pd->cpu + 1;
        for (int v = 0; pd->vm && v < pd->vm->nvcpus; v++)
            if (pd->vm->vcpu_cpu[v] >= 0 && (unsigned)pd->vm->vcpu_cpu[v] + 1 > n)
                n = (unsigned)pd->vm->vcpu_cpu[v] + 1;
    }
    return n;
}

bool sdf_parse_file(const char *path, struct sdf_system *sys, bool *io_error)
{
    memset(sys, 0, sizeof(*sys));
    sys->path = xstrdup(path);
    *io_error = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fatal_error("cannot open %s: %s", path, strerror(errno));
        *io_error = true;
        return false;
    }
    fclose(f);
    int before = diag_error_count();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        fatal_error("out of memory creating the XML parser");
        *io_error = true;
        return false;
    }
    xmlSetStructuredErrorFunc(sys->path, xml_error);
    // NONET: an SDF never fetches anything; no entity expansion either.
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc) {
        struct reader r = {sys, sys->path};
        read_system(&r, xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
    } else if (diag_error_count() == before) {
        error_at(((struct pos){sys->path, 1, 1}), "malformed XML");
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeParserCtxt(ctxt);
    return diag_error_count() == before;
}

void sdf_free(struct sdf_system *sys)
{
    for (int i = 0; i < sys->nmrs; i++) {
        free(sys->mrs[i].name);
        for (int j = 0; j < sys->mrs[i].nfiles; j++)
            free(sys->mrs[i].files[j].path);
        free(sys->mrs[i].files);
    }
    for (int i = 0; i < sys->npds; i++) {
        struct sdf_pd *pd = &sys->pds[i];
        free(pd->name);
        free(pd->program_image);
        free_maps(pd->maps, pd->nmaps);
        if (pd->vm) {
            free_maps(pd->vm->maps, pd->vm->nmaps);
            free(pd->vm->vcpus);
            free(pd->vm->vcpu_cpu);
            free(pd->vm->vcpu_pos);
            free(pd->vm->name);
            free(pd->vm);
        }
        for (int j = 0; j < pd->nsetvars; j++) {
            free(pd->setvars[j].symbol);
            free(pd->setvars[j].region_paddr);
        }
        free(pd->irqs);
        free(pd->setvars);
    }
    for (int i = 0; i < sys->nchannels; i++) {
        free(sys->channels[i].end[0].pd);
        free(sys->channels[i].end[1].pd);
    }
    free(sys->mrs);
    free(sys->pds);
    free(sys->channels);
    free(sys->board);
    free(sys->path);
    memset(sys, 0, sizeof(*sys));
}

int sdf_find_pd(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->npds; i++)
        if (s->pds[i].name && strcmp(s->pds[i].name, name) == 0)
            return i;
    return -1;
}

int sdf_find_mr(const struct sdf_system *s, const char *name)
{
    for (int i = 0; name && i < s->nmrs; i++)
        if (s->mrs[i].name && strcmp(s->mrs[i].name, name) == 0)
            return i;
    return -1;
}
