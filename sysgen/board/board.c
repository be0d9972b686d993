// SPDX-License-Identifier: BSD-2-Clause
// Reading boards/<name>/board.yaml with the front end's loader and typed
// getters (so a board file's errors read like a system file's), then the
// checks the runtime relies on.
#include "board/board.h"
#include "front/shape.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/bootinfo.h>

#define BOARD_SPEC(name, what, ...)                                                                \
    static const struct key_spec name##_keys[] = {__VA_ARGS__};                                    \
    static const struct object_spec name = {what, name##_keys,                                     \
                                            sizeof(name##_keys) / sizeof(name##_keys[0])}

BOARD_SPEC(board_spec, "board", {"name", T_STRING, true, ""}, {"ram", T_MAP, true, ""},
           {"runtime_size", T_SIZE, true, ""}, {"cores", T_UINT, true, ""}, {"gic", T_MAP, true, ""}, {"uart", T_MAP, true, ""},
           {"block", T_MAP, false, ""}, {"net", T_MAP, false, ""}, {"disk", T_MAP, true, ""},
           {"guest", T_MAP, true, ""}, {"qemu", T_MAP, false, ""}, );
BOARD_SPEC(ram_spec, "ram", {"base", T_SIZE, true, ""}, {"size", T_SIZE, true, ""}, );
BOARD_SPEC(gic_spec, "gic", {"version", T_UINT, true, ""}, {"dist", T_SIZE, true, ""},
           {"redist", T_SIZE, true, ""}, );
// Every device: which driver, its registers and INTID, how QEMU attaches it,
// the reference clock the board feeds it (Hz); the UART's baud rate; the
// NIC's PHY address on MDIO and the uncached memory its descriptor rings
// need when its DMA does not see the CPU's caches.
#define DEVICE_KEYS                                                                                \
    {"driver", T_STRING, true, ""}, {"base", T_SIZE, true, ""}, {"size", T_SIZE, true, ""},        \
        {"irq", T_UINT, true, ""}, {"qemu_device", T_STRING, false, ""}, {"clock", T_UINT, false, ""}
BOARD_SPEC(uart_spec, "uart", DEVICE_KEYS, {"baud", T_UINT, false, ""}, );
BOARD_SPEC(block_spec, "block", DEVICE_KEYS, );
BOARD_SPEC(net_spec, "net", DEVICE_KEYS, {"phy", T_UINT, false, ""}, {"rings", T_SIZE, false, ""}, );
BOARD_SPEC(bdisk_spec, "disk", {"first_partition", T_SIZE, true, ""}, {"card", T_MAP, false, ""}, );
BOARD_SPEC(card_spec, "card", {"bootloader_at", T_SIZE, true, ""},
           {"bootloader_end", T_SIZE, true, ""}, );
BOARD_SPEC(bguest_spec, "guest", {"ram_base", T_SIZE, true, ""}, {"virtio_mmio", T_MAP, true, ""},
           {"base_dts", T_STRING, true, ""}, );
BOARD_SPEC(virtio_spec, "virtio_mmio", {"base", T_SIZE, true, ""}, {"stride", T_SIZE, true, ""},
           {"count", T_UINT, true, ""}, {"first_irq", T_UINT, true, ""}, );
BOARD_SPEC(qemu_spec, "qemu", {"machine", T_STRING, true, ""}, {"cpu", T_STRING, true, ""},
           {"memory", T_SIZE, true, ""}, );

// A 32-bit number the board may give; 0 when it does not.
static uint32_t optional_u32(const struct node *m, const struct object_spec *spec,
                             const char *key)
{
    uint64_t v = 0;
    struct pos pos;
    if (!map_get(m, key) || !get_uint(m, spec, key, &v, &pos))
        return 0;
    if (v > UINT32_MAX) {
        error_at(pos, "%s %llu does not fit in 32 bits", key, (unsigned long long)v);
        return 0;
    }
    return (uint32_t)v;
}

static const struct node *read_device(const struct node *root, const char *key,
                                      const struct object_spec *spec, struct board_device *d)
{
    const struct node *m;
    uint64_t irq = 0;
    if (!get_map(root, &board_spec, key, &m))
        return NULL;
    rule_unknown_key(m, spec);
    d->present = get_string(m, spec, "driver", &d->driver, NULL) &
                 get_size(m, spec, "base", &d->base, NULL) &
                 get_size(m, spec, "size", &d->size, NULL) & get_uint(m, spec, "irq", &irq, NULL);
    get_string(m, spec, "qemu_device", &d->qemu_device, NULL);
    d->irq = (uint32_t)irq;
    d->clock_hz = optional_u32(m, spec, "clock");
    return m;
}

static void list_known_boards(const char *dir, struct strbuf *sb)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        char *f = xasprintf("%s/%s/board.yaml", dir, names[i]->d_name);
        struct stat st;
        if (names[i]->d_name[0] != '.' && stat(f, &st) == 0)
            sb_printf(sb, "%s%s", shown++ ? ", " : "", names[i]->d_name);
        free(f);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    if (!shown)
        sb_puts(sb, "none found");
}

static bool board_name_ok(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return *s != '\0';
}

// The board file's name if `name` is a known board, else NULL after
// reporting it at `where` with the boards there are.
static char *board_file(const char *data_dir, const char *name, struct pos where)
{
    char *path = xasprintf("%s/boards/%s/board.yaml", data_dir, name);
    struct stat st;
    if (board_name_ok(name) && stat(path, &st) == 0)
        return path;
    char *all = xasprintf("%s/boards", data_dir);
    struct strbuf sb;
    sb_init(&sb);
    list_known_boards(all, &sb);
    error_at(where, "unknown board '%s' (known boards: %s)", name, sb.data);
    sb_free(&sb);
    free(all);
    free(path);
    return NULL;
}

static void read_ram_and_gic(const struct node *root, struct board *b)
{
    const struct node *m;
    uint64_t u;
    if (get_map(root, &board_spec, "ram", &m)) {
        rule_unknown_key(m, &ram_spec);
        get_size(m, &ram_spec, "base", &b->ram_base, NULL);
        get_size(m, &ram_spec, "size", &b->ram_size, NULL);
    }
    get_size(root, &board_spec, "runtime_size", &b->runtime_size, NULL);
    if (get_uint(root, &board_spec, "cores", &u, NULL))
        b->cores = u > UINT32_MAX ? UINT32_MAX : (unsigned)u;
    if (get_map(root, &board_spec, "gic", &m)) {
        rule_unknown_key(m, &gic_spec);
        if (get_uint(m, &gic_spec, "version", &u, NULL))
            b->gic_version = (uint32_t)u;
        get_size(m, &gic_spec, "dist", &b->gicd_base, NULL);
        get_size(m, &gic_spec, "redist", &b->gicr_base, NULL);
    }
}

// Where partitions may start, and whether the board boots from this disk
// (a card: its first partition holds the boot files, and its bootloader
// lives between the MBR and the first partition).
static void read_disk(const struct node *root, struct board *b)
{
    const struct node *m, *card;
    if (!get_map(root, &board_spec, "disk", &m))
        return;
    rule_unknown_key(m, &bdisk_spec);
    get_size(m, &bdisk_spec, "first_partition", &b->disk_first_offset, NULL);
    if (!map_get(m, "card") || !get_map(m, &bdisk_spec, "card", &card))
        return;
    rule_unknown_key(card, &card_spec);
    b->card = get_size(card, &card_spec, "bootloader_at", &b->bootloader_at, NULL) &
              get_size(card, &card_spec, "bootloader_end", &b->bootloader_end, NULL);
}

// What every guest of the board sees: RAM base, virtio-mmio window, base tree.
static void read_guest(const struct node *root, struct board *b)
{
    const struct node *m, *v;
    uint64_t u;
    char *dts = NULL;
    if (!get_map(root, &board_spec, "guest", &m))
        return;
    rule_unknown_key(m, &bguest_spec);
    get_size(m, &bguest_spec, "ram_base", &b->guest_ram_base, NULL);
    if (get_string(m, &bguest_spec, "base_dts", &dts, NULL)) {
        b->guest_base_dts = xasprintf("%s/%s", b->dir, dts);
        free(dts);
    }
    if (!get_map(m, &bguest_spec, "virtio_mmio", &v))
        return;
    rule_unknown_key(v, &virtio_spec);
    get_size(v, &virtio_spec, "base", &b->guest_virtio_base, NULL);
    get_size(v, &virtio_spec, "stride", &b->guest_virtio_stride, NULL);
    if (get_uint(v, &virtio_spec, "count", &u, NULL))
        b->guest_virtio_count = (uint32_t)u;
    if (get_uint(v, &virtio_spec, "first_irq", &u, NULL))
        b->guest_virtio_first_irq = (uint32_t)u;
}

static void read_qemu(const struct node *root, struct board *b)
{
    const struct node *m;
    if (!map_get(root, "qemu") || !get_map(root, &board_spec, "qemu", &m))
        return;
    rule_unknown_key(m, &qemu_spec);
    get_string(m, &qemu_spec, "machine", &b->qemu_machine, NULL);
    get_string(m, &qemu_spec, "cpu", &b->qemu_cpu, NULL);
    get_size(m, &qemu_spec, "memory", &b->qemu_memory, NULL);
}

// What the runtime and the passes rely on, beyond each key's shape.
static void check_board(const struct board *b, const char *name)
{
    struct pos bp = {b->file, 1, 1};
    if (b->name && strcmp(b->name, name) != 0)
        error_at(bp, "board file says name '%s', but it is in the folder of '%s'", b->name, name);
    if (b->gic_version != 3)
        error_at(bp, "gic version %u: the runtime drives GICv3 only", b->gic_version);
    if (b->ram_base % GiB || b->ram_size % GiB)
        error_at(bp, "ram must start and end on a 1 GiB boundary: the kernel maps it in 1 GiB "
                     "blocks");
    if (b->runtime_size >= b->ram_size)
        error_at(bp, "runtime_size leaves no RAM for the system");
    if (b->card && (b->bootloader_at < 512 || b->bootloader_end <= b->bootloader_at ||
                    b->bootloader_end > b->disk_first_offset))
        error_at(bp, "card: the bootloader's place must lie between the MBR and the first "
                     "partition");
    if (b->cores < 1 || b->cores > SG_MAX_CPUS)
        error_at(bp, "cores %u: the runtime drives 1 to %d cores", b->cores, SG_MAX_CPUS);
    if (b->net.phy > 31)
        error_at(bp, "net phy %u: MDIO addresses are 0 to 31", b->net.phy);
    if (b->net.rings % (4 * KiB) || b->net.rings > 1 * MiB)
        error_at(bp, "net rings: whole 4 KiB pages, at most 1 MiB");
    if (b->guest_virtio_count < 4 || b->guest_virtio_stride < 0x200)
        error_at(bp, "guest virtio_mmio needs at least 4 slots of at least 0x200 bytes");
}

struct board *board_load(const char *data_dir, const char *name, struct pos where)
{
    char *path = board_file(data_dir, name, where);
    if (!path)
        return NULL;
    int errors_before = diag_error_count();
    struct node *root = load_yaml_file(path);
    if (!root) {
        free(path);
        return NULL;
    }
    struct board *b = xcalloc(1, sizeof(*b));
    b->dir = xasprintf("%s/boards/%s", data_dir, name);
    b->file = path;
    rule_unknown_key(root, &board_spec);
    get_string(root, &board_spec, "name", &b->name, NULL);
    read_ram_and_gic(root, b);
    const struct node *m = read_device(root, "uart", &uart_spec, &b->uart);
    if (m)
        b->uart.baud = optional_u32(m, &uart_spec, "baud");
    if (map_get(root, "block"))
        read_device(root, "block", &block_spec, &b->block);
    if (map_get(root, "net") && (m = read_device(root, "net", &net_spec, &b->net))) {
        b->net.phy = optional_u32(m, &net_spec, "phy");
        if (map_get(m, "rings"))
            get_size(m, &net_spec, "rings", &b->net.rings, NULL);
    }
    read_disk(root, b);
    read_guest(root, b);
    read_qemu(root, b);
    check_board(b, name);
    tree_free(root);
    if (diag_error_count() != errors_before) {
        board_free(b);
        return NULL;
    }
    return b;
}

uint64_t board_pool_size(const struct board *b)
{
    return b->ram_size - b->runtime_size;
}

void board_free(struct board *b)
{
    if (!b)
        return;
    struct board_device *devs[] = {&b->uart, &b->block, &b->net};
    for (size_t i = 0; i < 3; i++) {
        free(devs[i]->driver);
        free(devs[i]->qemu_device);
    }
    free(b->name);
    free(b->dir);
    free(b->file);
    free(b->guest_base_dts);
    free(b->qemu_machine);
    free(b->qemu_cpu);
    free(b);
}
