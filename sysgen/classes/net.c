// SPDX-License-Identifier: BSD-2-Clause
// The net class: the board's NIC driver, a receive virtualiser that
// routes frames by destination MAC, a transmit virtualiser that merges the
// guests' frames, and per guest a copier (so no guest sees the driver's
// buffers or another guest's) and connections to its VMM.  MACs not
// given are derived from the system's and guest's names.
#include "base/array.h"
#include "base/strbuf.h"
#include "classes/class.h"
#include "front/schema.h"
#include "front/shape.h"
#include <sysgen/net_queue.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NET_DATA_SIZE   (2 * MiB)
#define NET_SWITCH_SIZE (SG_NET_RING_SIZE * SG_NET_BUF_SIZE) // one ring's worth of frames

enum { DRIVER, VIRT_RX, VIRT_TX };

static const struct class_pd net_pds[] = {
    [DRIVER] = {"net_driver", "net_driver_%s.elf", 230, SYSGEN_KIND_NET_DRIVER,
                sizeof(struct sysgen_net_driver_config)},
    [VIRT_RX] = {"net_virt_rx", "net_virt_rx.elf", 229, SYSGEN_KIND_NET_VIRT_RX,
                 sizeof(struct sysgen_net_virt_config)},
    [VIRT_TX] = {"net_virt_tx", "net_virt_tx.elf", 229, SYSGEN_KIND_NET_VIRT_TX,
                 sizeof(struct sysgen_net_virt_config)},
};

static const struct class_pd copier_pd = {"net_copy_%s", "net_copy.elf", 228, SYSGEN_KIND_NET_COPY,
                                          sizeof(struct sysgen_net_copy_config)};

static const struct board_device *nic_of(const struct board *b)
{
    return &b->net;
}

// ---- reading and checking ---------------------------------------------------

static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
            return false;
        char hex[3] = {s[0], s[1], 0};
        mac[i] = (uint8_t)strtoul(hex, NULL, 16);
        s += 2;
        if (i < 5 && *s++ != ':')
            return false;
    }
    return *s == '\0';
}

// ip: A.B.C.D/P with P 1..32, not the subnet's own or broadcast address; or dhcp.
static void read_ip(const struct node *net, struct guest *g)
{
    char *ip = NULL;
    if (!get_string(net, &schema_net, "ip", &ip, &g->ip_pos))
        return;
    char *slash = strchr(ip, '/'), *end = NULL;
    unsigned long prefix =
        slash && isdigit((unsigned char)slash[1]) ? strtoul(slash + 1, &end, 10) : 0;
    uint32_t host = prefix >= 32 ? 0 : 0xffffffffu >> prefix; // the host part's bits
    bool dhcp = strcmp(ip, "dhcp") == 0, well_formed = false;
    if (!dhcp && end && !*end) {
        *slash = '\0';
        well_formed = parse_ipv4(ip, &g->ip);
        *slash = '/';
    }
    if (dhcp)
        g->ip_given = g->ip_dhcp = true;
    else if (!well_formed)
        error_at(g->ip_pos,
                 "malformed address '%s': write an IPv4 address with its prefix "
                 "length, like 10.0.2.15/24, or dhcp",
                 ip);
    else if (prefix < 1 || prefix > 32)
        error_at(g->ip_pos, "prefix length /%lu: an IPv4 prefix is 1 to 32 bits", prefix);
    else if (prefix <= 30 && ((g->ip & host) == 0 || (g->ip & host) == host))
        error_at(g->ip_pos, "%s is the %s address of its subnet, not a host's", ip,
                 (g->ip & host) == 0 ? "network" : "broadcast");
    else {
        g->ip_given = true;
        g->prefix = (uint8_t)prefix;
    }
    free(ip);
}

static void read_gateway(const struct node *net, struct guest *g)
{
    char *gw = NULL;
    if (!get_string(net, &schema_net, "gateway", &gw, &g->gateway_pos))
        return;
    if (parse_ipv4(gw, &g->gateway))
        g->gateway_given = true;
    else
        error_at(g->gateway_pos, "malformed gateway '%s': write an IPv4 address like 10.0.2.2", gw);
    free(gw);
}

static void read_net(const struct node *net, struct guest *g)
{
    read_ip(net, g);
    read_gateway(net, g);
    char *mac = NULL;
    if (map_get(net, "mac") && get_string(net, &schema_net, "mac", &mac, &g->mac_pos)) {
        g->mac_given = parse_mac(mac, g->mac);
        if (!g->mac_given)
            error_at(g->mac_pos, "malformed MAC '%s': write six hex pairs like 52:54:00:12:34:56",
                     mac);
    }
    free(mac);
}

// bad-mac: a given MAC is unicast and not all zero.
static void rule_bad_mac(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (!g->mac_given)
            continue;
        static const uint8_t zero[6];
        if (memcmp(g->mac, zero, 6) == 0)
            error_at(g->mac_pos, "MAC 00:00:00:00:00:00 is not a usable address");
        else if (g->mac[0] & 1)
            error_at(g->mac_pos,
                     "MAC %02x:%02x:%02x:%02x:%02x:%02x is multicast (lowest bit of the first "
                     "byte set); a NIC needs a unicast address",
                     g->mac[0], g->mac[1], g->mac[2], g->mac[3], g->mac[4], g->mac[5]);
    }
}

// duplicate-mac: given MACs are unique.
static void rule_duplicate_mac(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->guests[i].mac_given && sys->guests[j].mac_given &&
                memcmp(sys->guests[i].mac, sys->guests[j].mac, 6) == 0) {
                error_at(sys->guests[i].mac_pos, "duplicate MAC: guest '%s' has it too (line %d)",
                         sys->guests[j].name ? sys->guests[j].name : "?",
                         sys->guests[j].mac_pos.line);
                break;
            }
}

// gateway: only with a fixed address (dhcp brings its own), inside its
// subnet, and not the guest's own address.
static void rule_gateway(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (!g->gateway_given)
            continue;
        char gw[16], net[16];
        uint32_t mask = g->prefix ? 0xffffffffu << (32 - g->prefix) : 0;
        if (g->ip_dhcp)
            error_at(g->gateway_pos, "ip: dhcp brings its own gateway; give one only with a "
                                     "fixed address");
        else if (!g->ip_given)
            error_at(g->gateway_pos, "a gateway needs an address: give net: { ip: A.B.C.D/P } too");
        else if ((g->gateway & mask) != (g->ip & mask))
            error_at(g->gateway_pos, "gateway %s is outside the guest's subnet %s/%u",
                     format_ipv4(g->gateway, gw), format_ipv4(g->ip & mask, net), g->prefix);
        else if (g->gateway == g->ip)
            error_at(g->gateway_pos, "the gateway is the guest's own address");
    }
}

// duplicate-ip: fixed addresses are unique.
static void rule_duplicate_ip(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++) {
            const struct guest *a = &sys->guests[i], *b = &sys->guests[j];
            if (a->ip_given && !a->ip_dhcp && b->ip_given && !b->ip_dhcp && a->ip == b->ip) {
                error_at(a->ip_pos, "duplicate address: guest '%s' has it too (line %d)",
                         b->name ? b->name : "?", b->ip_pos.line);
                break;
            }
        }
}

static const struct check_rule net_rules[] = {
    {"bad-mac", rule_bad_mac},
    {"duplicate-mac", rule_duplicate_mac},
    {"gateway", rule_gateway},
    {"duplicate-ip", rule_duplicate_ip},
};

// ---- derived MACs -------------------------------------------------------------

// FNV-1a: a stable hash for derived MACs (same names, same MAC, forever).
static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

// Whether a given MAC, or one derived for an earlier guest, is `mac`.
static bool mac_taken(const struct system *sys, const struct guest *self, const uint8_t mac[6])
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (g != self && guest_has(g, CLASS_NET) && (g->mac_given || g < self) &&
            memcmp(g->mac, mac, 6) == 0)
            return true;
    }
    return false;
}

static void derive_mac(const struct system *sys, struct guest *g)
{
    uint64_t h = fnv1a(g->name, fnv1a("/", fnv1a(sys->name, 0xcbf29ce484222325ull)));
    do {
        for (int i = 0; i < 6; i++)
            g->mac[i] = (uint8_t)(h >> (8 * i));
        g->mac[0] = (uint8_t)((g->mac[0] & 0xfc) | 0x02); // locally administered, unicast
        h = fnv1a("+", h);                                // on a clash, walk on
    } while (mac_taken(sys, g, g->mac));
}

// ---- layout ----------------------------------------------------------------------

static bool no_uplink(const struct system *sys)
{
    return sys->no_uplink;
}

static void build(struct builder *b, struct pd *const *pds)
{
    struct pos pos = b->sys->board_pos;
    struct sysgen_net_virt_config *rc = pds[VIRT_RX]->config, *tc = pds[VIRT_TX]->config;
    // Frames from one guest to others: net_virt_tx's region, read by
    // net_virt_rx (to route) and by the copiers (to deliver).
    connect(b, pds[VIRT_TX], pds[VIRT_RX], "net_switch", NET_SWITCH_SIZE, ONE_WAY, pos, &tc->local,
            &rc->local);
    if (!pds[DRIVER])
        return; // no uplink: the virtualisers' driver connections stay zero
    struct sysgen_net_driver_config *dc = pds[DRIVER]->config;
    device_config(b, pds[DRIVER], "nic_regs", &b->sys->board->net, &dc->nic);
    dc->phy_addr = b->sys->board->net.phy;
    if (b->sys->board->net.rings) {
        // A NIC that does not see the CPU's caches shares its descriptors
        // with the driver through memory neither side caches.
        struct memory_region *r =
            new_region(b, xstrdup("net_driver_rings"), b->sys->board->net.rings, pos);
        dc->rings.vaddr = map(pds[DRIVER], r, "rw", false);
        dc->rings.paddr = r->paddr;
        dc->rings.size = r->size;
    }
    connect(b, pds[DRIVER], pds[VIRT_RX], "net_rx_driver", NET_DATA_SIZE, ONE_WAY, pos, &dc->rx,
            &rc->driver);
    connect(b, pds[VIRT_TX], pds[DRIVER], "net_tx_driver", NET_DATA_SIZE, ONE_WAY, pos, &tc->driver,
            &dc->tx);
}

// virt_rx hands the copier descriptors into the driver's rx buffers: the
// copier reads those buffers and writes nothing the driver owns.
static void connect_copier(struct builder *b, struct guest *g, struct pd *rx, struct pd *copy,
                           struct sysgen_conn *rv, struct sysgen_conn *cv)
{
    const struct sysgen_net_virt_config *rc = rx->config;
    struct pos pos = g->dev[CLASS_NET].pos;
    char *name = xasprintf("net_rx_%s_virt", g->name);
    struct memory_region *q = new_region(b, xasprintf("%s_queue", name), QUEUE_REGION_SIZE, pos);
    struct memory_region *rxdata = find_region(b->l, "net_rx_driver_data");
    rv->queue_vaddr = map(rx, q, "rw", true);
    cv->queue_vaddr = map(copy, q, "rw", true);
    rv->queue_size = cv->queue_size = q->size;
    if (rxdata) { // without an uplink the copier reads the switch's frames only
        rv->data_vaddr = rc->driver.data_vaddr;
        cv->data_vaddr = map(copy, rxdata, "r", true);
        rv->data_size = cv->data_size = rxdata->size;
        rv->data_paddr = cv->data_paddr = rxdata->paddr;
    }
    struct sysgen_net_copy_config *cc = copy->config;
    struct memory_region *local = find_region(b->l, "net_switch_data");
    cc->local.vaddr = map(copy, local, "r", true);
    cc->local.paddr = local->paddr;
    cc->local.size = local->size;
    new_channel(b, rx, copy, &rv->ch, &cv->ch, name, pos);
    free(name);
}

// The guest gets its MAC, is the next client of both virtualisers, and
// receives through its own copier.
static void connect_guest(struct builder *b, struct guest *g, struct pd *vmm, struct pd *const *pds,
                          struct pd *copy)
{
    struct sysgen_vmm_config *vc = vmm->config;
    struct sysgen_net_virt_config *rc = pds[VIRT_RX]->config, *tc = pds[VIRT_TX]->config;
    struct sysgen_net_copy_config *cc = copy->config;
    struct sysgen_net_client *rcl = &rc->clients[rc->num_clients++];
    struct sysgen_net_client *tcl = &tc->clients[tc->num_clients++];
    struct pos pos = g->dev[CLASS_NET].pos;
    char *rx = xasprintf("net_rx_%s", g->name), *tx = xasprintf("net_tx_%s", g->name);
    set_slot(b->sys->board, CLASS_NET, &vc->net);
    if (!g->mac_given)
        derive_mac(b->sys, g);
    memcpy(vc->mac, g->mac, 6);
    memcpy(rcl->mac, g->mac, 6);
    memcpy(tcl->mac, g->mac, 6);
    if (pds[DRIVER]) {
        struct sysgen_net_driver_config *dc = pds[DRIVER]->config;
        memcpy(dc->macs[dc->num_macs++].addr, g->mac, 6); // the NIC's filter lets it in
    }
    connect_copier(b, g, pds[VIRT_RX], copy, &rcl->conn, &cc->virt);
    connect(b, copy, vmm, rx, NET_DATA_SIZE, ONE_WAY, pos, &cc->client, &vc->net_rx);
    connect(b, vmm, pds[VIRT_TX], tx, NET_DATA_SIZE, ONE_WAY, pos, &vc->net_tx, &tcl->conn);
    free(rx);
    free(tx);
}

const struct device_class class_net = {
    .id = CLASS_NET,
    .key = "net",
    .schema = &schema_net,
    .board_device = nic_of,
    .board_device_name = "NIC",
    .driverless = no_uplink,
    .max_clients = SYSGEN_MAX_CLIENTS,
    .pds = net_pds,
    .npds = ARRAY_LEN(net_pds),
    .guest_pd = &copier_pd,
    .vmm_channels = 2,
    .read = read_net,
    .rules = net_rules,
    .nrules = ARRAY_LEN(net_rules),
    .build = build,
    .connect = connect_guest,
};
