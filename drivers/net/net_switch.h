// SPDX-License-Identifier: BSD-2-Clause
// The switching decision of the net virtualisers: where one frame goes,
// from its addresses alone.  Pure (no rings, no memory regions), so the
// host tests (tests/net/test_net_switch.c) check every rule as the PDs
// use it.  docs/net.md has the rules as a table:
//
//   from       destination                   goes to
//   uplink     broadcast / multicast         every client
//   uplink     a client's MAC                that client
//   uplink     any other unicast             nobody
//   client s   (source MAC not s's)          nobody: refused, counted
//   client s   broadcast / multicast         every other client, and the uplink
//   client s   another client's MAC          that client only (never the uplink)
//   client s   s's own MAC                   nobody
//   client s   any other unicast             the uplink
//
// "Every client" means every live one; a system without an uplink sends
// nothing there.  A client whose receive queue is full misses the frame
// (counted as dropped); the others still get it.
#ifndef DRIVERS_NET_SWITCH_H
#define DRIVERS_NET_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#define NET_FROM_UPLINK (-1)

struct net_route {
    uint64_t clients; // bit c: client c gets the frame
    uint64_t dropped; // bit c: client c should have, but its queue is full
    bool uplink;      // the NIC sends it
    bool spoofed;     // refused: the source is not the sending client's MAC
};

// The clients' MACs, as the virtualisers' configs give them.
struct net_switch_table {
    const uint8_t (*mac)[6]; // mac[c]: client c's
    uint32_t nclients;       // at most 64
    uint64_t live;           // bit c: client c is served
    uint64_t full;           // bit c: client c's receive queue has no room now
    bool has_uplink;
};

static inline bool net_mac_equal(const volatile uint8_t *a, const uint8_t *b)
{
    for (int k = 0; k < 6; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

// `frame` holds at least the 14-byte Ethernet header: destination at 0,
// source at 6.  `from` is the sending client's index, or NET_FROM_UPLINK.
static inline struct net_route net_switch_route(const struct net_switch_table *t,
                                                const volatile uint8_t *frame, int from)
{
    struct net_route r = {0, 0, false, false};
    uint64_t others = t->live;
    if (from != NET_FROM_UPLINK) {
        if ((uint32_t)from >= t->nclients || !net_mac_equal(frame + 6, t->mac[from])) {
            r.spoofed = true;
            return r;
        }
        others &= ~(1ull << from);
    }
    if (frame[0] & 1) { // group address: broadcast or multicast
        r.clients = others;
        r.uplink = from != NET_FROM_UPLINK && t->has_uplink;
    } else {
        r.uplink = from != NET_FROM_UPLINK && t->has_uplink;
        for (uint32_t c = 0; c < t->nclients; c++)
            if (net_mac_equal(frame, t->mac[c])) {
                // A guest's address, its own included: never the uplink.
                r.clients = others & (1ull << c);
                r.uplink = false;
                break;
            }
    }
    r.dropped = r.clients & t->full;
    r.clients &= ~t->full;
    return r;
}

#endif
