// SPDX-License-Identifier: BSD-2-Clause
// What the net test's glue (net_link.c), its client PD (net_client.c) and
// tests/suites/33-net.sh agree on.
#ifndef TESTS_NET_TEST_H
#define TESTS_NET_TEST_H

#define NET_TEST_CLIENTS 2
#define NET_TEST_DATA    0x100000u // bytes of each client's rx and tx data regions
#define NET_TEST_CH_RX   1         // a client's channel to its copier
#define NET_TEST_CH_TX   2         // a client's channel to net_virt_tx
#define NET_TEST_CH_DONE 3         // client1 -> client0: finished

// Client i has MAC 52:54:01:00:00:1i and IP 10.0.2.(15 + i) on QEMU's
// user-mode network, whose gateway 10.0.2.2 answers ARP and DHCP.
#define NET_TEST_MAC(i)                                                                            \
    {                                                                                              \
        0x52, 0x54, 0x01, 0x00, 0x00, (uint8_t)(0x10 + (i))                                        \
    }
#define NET_TEST_BURST 16u // ARP requests in flight at once

#endif
