// SPDX-License-Identifier: BSD-2-Clause
#include "front/schema.h"

#include <string.h>

#define SPEC(name, what, ...)                                                                      \
    static const struct key_spec name##_keys[] = {__VA_ARGS__};                                    \
    const struct object_spec name = {what, name##_keys,                                            \
                                     sizeof(name##_keys) / sizeof(name##_keys[0])}

SPEC(schema_system, "system",
     {"board", T_NAME, true, "board data file to build for (boards/<board>/board.yaml)"},
     {"disk", T_MAP, false, "the board's one block device, MBR-partitioned"},
     {"guests", T_LIST, true, "the Linux virtual machines"},
     {"network", T_MAP, false, "how the guests' NICs are connected"}, );

SPEC(schema_disk, "disk", {"size", T_SIZE, true, "size of the whole disk image"},
     {"partitions", T_LIST, true, "up to four MBR partitions, in order (three on a boot card)"},
     {"boot_size", T_SIZE, false, "boot partition of a boot card; default 128 MiB"}, );

SPEC(schema_partition, "partition", {"name", T_NAME, true, "what guests' block: refers to"},
     {"size", T_SIZE, true, "multiple of 4096 bytes"},
     {"start", T_SIZE, false, "byte offset on the disk; default: packed, 1 MiB aligned"},
     {"format", T_STRING, false, "file system: fat (the default)"},
     {"label", T_STRING, false, "FAT volume label; default: the name in upper case"},
     {"files", T_LIST, false, "host files copied into the root directory"}, );

SPEC(schema_guest, "guest", {"name", T_NAME, true, "the guest's name, also its VMM's"},
     {"kernel", T_STRING, false, "arm64 Linux Image, or 'default'"},
     {"initrd", T_STRING, false, "initramfs, or 'default'"},
     {"memory", T_SIZE, true, "guest RAM, a multiple of 2 MiB"},
     {"cpus", T_UINT, false, "vCPUs the guest sees, 1 to 8; default 1 (or one per core listed)"},
     {"core", T_UINT, false, "the core a one-vCPU guest runs on; default: placed by sysgen"},
     {"cores", T_LIST, false, "the core of each vCPU, in order; default: placed by sysgen"},
     {"bootargs", T_STRING, false, "kernel command line"},
     {"base_dts", T_STRING, false, "your own base device tree source for this guest"},
     {"console", T_MAP, false, "virtIO console on the board UART"},
     {"block", T_MAP, false, "virtIO block device backed by one partition"},
     {"net", T_MAP, false, "virtIO network device"},
     {"vsock", T_MAP, false, "virtIO socket device to the other guests"}, );

const struct object_spec schema_console = {"console", NULL, 0}; // takes no keys yet
SPEC(schema_block, "block", {"partition", T_NAME, true, "name of the partition this guest sees"}, );
SPEC(schema_net, "net", {"mac", T_STRING, false, "unicast MAC; default: derived from names"},
     {"ip", T_STRING, false, "IPv4 address/prefix (10.0.2.15/24) or dhcp; default: none"},
     {"gateway", T_STRING, false, "IPv4 default route, inside the ip's subnet; default: none"}, );
SPEC(schema_network, "network",
     {"uplink", T_STRING, false, "true (the default): guests also reach the board's NIC; "
                                 "false: only each other"}, );
SPEC(schema_vsock, "vsock",
     {"cid", T_UINT, false, "context id, 3 or more; default: the lowest free one"}, );

const struct object_spec *const schema_all[] = {
    &schema_system,  &schema_disk,  &schema_partition, &schema_guest,
    &schema_console, &schema_block, &schema_net,       &schema_vsock,     &schema_network,
};
const size_t schema_all_count = sizeof(schema_all) / sizeof(schema_all[0]);

// Keys people put one level too high: each belongs to a device.
static const struct {
    const struct object_spec *in;
    const char *key, *belongs;
} misplaced[] = {
    {&schema_guest, "ip", "an address belongs to the guest's NIC: net: { ip: ... }"},
    {&schema_guest, "gateway", "a gateway belongs to the guest's NIC: net: { gateway: ... }"},
    {&schema_guest, "mac", "a MAC belongs to the guest's NIC: net: { mac: ... }"},
    {&schema_guest, "cid", "a CID belongs to the guest's vsock device: vsock: { cid: ... }"},
    {&schema_guest, "partition", "a partition is the guest's disk: block: { partition: ... }"},
};

const char *schema_misplaced(const struct object_spec *spec, const char *key)
{
    for (size_t i = 0; i < sizeof(misplaced) / sizeof(misplaced[0]); i++)
        if (misplaced[i].in == spec && strcmp(misplaced[i].key, key) == 0)
            return misplaced[i].belongs;
    return NULL;
}

const struct key_spec *schema_find(const struct object_spec *spec, const char *key)
{
    for (size_t i = 0; i < spec->nkeys; i++)
        if (strcmp(spec->keys[i].key, key) == 0)
            return &spec->keys[i];
    return NULL;
}

// Levenshtein distance, capped: names are short, so a small table will do.
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31)
        return 99;
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

const char *schema_suggest(const struct object_spec *spec, const char *key)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < spec->nkeys; i++) {
        size_t d = edit_distance(key, spec->keys[i].key);
        if (d < best_d) {
            best_d = d;
            best = spec->keys[i].key;
        }
    }
    return best;
}

const char *value_type_name(enum value_type t)
{
    switch (t) {
    case T_STRING:
        return "a string";
    case T_NAME:
        return "a name";
    case T_SIZE:
        return "a size";
    case T_UINT:
        return "a number";
    case T_MAP:
        return "a mapping";
    default:
        return "a list";
    }
}
