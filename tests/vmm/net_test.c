// SPDX-License-Identifier: BSD-2-Clause
// A guest program for the net tests (tests/vmm/vmm_test.py), built static
// for aarch64 and added to a copy of the default initramfs by
// tests/suites/45-vmm.sh:
//
//   net_test sniff IFACE SECONDS       count frames of EtherType 0x88b5 by
//                                      source MAC for SECONDS, then print them
//   net_test spoof IFACE DSTMAC        send two frames of that type to DSTMAC:
//                                      one from IFACE's own MAC, one from
//                                      02:00:00:00:00:66 (not the guest's)
//   net_test listen PORT               accept one TCP connection, read it to
//                                      the end, print its length and checksum
//   net_test send IP PORT BYTES        send BYTES of a fixed pseudo-random
//                                      stream over TCP, print the same
//
// The checksum is FNV-1a (64 bits) over every byte; both ends print it.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE_TEST 0x88b5 // IEEE local experimental
static const uint8_t spoofed_mac[6] = {0x02, 0, 0, 0, 0, 0x66};

static int fail(const char *what)
{
    fprintf(stderr, "net_test: %s: %s\n", what, strerror(errno));
    return 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    return 0;
}

static int packet_socket(const char *ifname, struct sockaddr_ll *sll, uint8_t own[6])
{
    int s = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_TEST));
    if (s < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    if (ioctl(s, SIOCGIFINDEX, &ifr) < 0)
        return -1;
    memset(sll, 0, sizeof *sll);
    sll->sll_family = AF_PACKET;
    sll->sll_protocol = htons(ETHERTYPE_TEST);
    sll->sll_ifindex = ifr.ifr_ifindex;
    if (bind(s, (struct sockaddr *)sll, sizeof *sll) < 0 || ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
        return -1;
    memcpy(own, ifr.ifr_hwaddr.sa_data, 6);
    return s;
}

static int sniff(const char *ifname, int seconds)
{
    struct sockaddr_ll sll;
    uint8_t own[6];
    int s = packet_socket(ifname, &sll, own);
    if (s < 0)
        return fail("packet socket");
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    printf("net_test: sniffing %s\n", ifname);
    fflush(stdout);
    unsigned from_spoofed = 0, from_others = 0;
    for (double end = now() + seconds; now() < end;) {
        uint8_t f[2048];
        ssize_t n = recv(s, f, sizeof f, 0);
        if (n < 14)
            continue;
        if (memcmp(f + 6, spoofed_mac, 6) == 0)
            from_spoofed++;
        else
            from_others++;
    }
    printf("net_test: %u test frames from other guests, %u from the spoofed address\n",
           from_others, from_spoofed);
    return 0;
}

static int spoof(const char *ifname, const char *dst)
{
    struct sockaddr_ll sll;
    uint8_t own[6], f[60];
    int s = packet_socket(ifname, &sll, own);
    if (s < 0)
        return fail("packet socket");
    memset(f, 0, sizeof f);
    if (parse_mac(dst, f) < 0) {
        fprintf(stderr, "net_test: bad MAC %s\n", dst);
        return 1;
    }
    f[12] = ETHERTYPE_TEST >> 8;
    f[13] = ETHERTYPE_TEST & 0xff;
    const uint8_t *srcs[2] = {own, spoofed_mac};
    for (int i = 0; i < 2; i++) {
        memcpy(f + 6, srcs[i], 6);
        memcpy(sll.sll_addr, f, 6);
        sll.sll_halen = 6;
        if (sendto(s, f, sizeof f, 0, (struct sockaddr *)&sll, sizeof sll) != (ssize_t)sizeof f)
            return fail("sendto");
    }
    printf("net_test: sent one frame from the own address and one from the spoofed\n");
    return 0;
}

static int tcp_listen(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0)
        return fail("listen");
    printf("net_test: listening on port %d\n", port);
    fflush(stdout);
    int c = accept(s, NULL, NULL);
    if (c < 0)
        return fail("accept");
    uint64_t h = 0xcbf29ce484222325ull, total = 0;
    static uint8_t buf[65536];
    for (ssize_t n; (n = read(c, buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("read");
        }
        h = fnv(h, buf, (size_t)n);
        total += (uint64_t)n;
    }
    printf("net_test: received %llu bytes, checksum %016llx\n", (unsigned long long)total,
           (unsigned long long)h);
    return 0;
}

static int tcp_send(const char *ip, int port, long long bytes)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (s < 0 || inet_pton(AF_INET, ip, &a.sin_addr) != 1)
        return fail("address");
    if (connect(s, (struct sockaddr *)&a, sizeof a) < 0)
        return fail("connect");
    uint64_t h = 0xcbf29ce484222325ull, x = 0x9e3779b97f4a7c15ull;
    static uint8_t buf[65536];
    double t0 = now();
    for (long long left = bytes; left > 0;) {
        size_t n = left < (long long)sizeof buf ? (size_t)left : sizeof buf;
        for (size_t i = 0; i < n; i++) { // xorshift64: the same stream every time
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = (uint8_t)x;
        }
        h = fnv(h, buf, n);
        for (size_t off = 0; off < n;) {
            ssize_t w = write(s, buf + off, n - off);
            if (w < 0 && errno != EINTR)
                return fail("write");
            off += w > 0 ? (size_t)w : 0;
        }
        left -= (long long)n;
    }
    close(s);
    double secs = now() - t0;
    printf("net_test: sent %lld bytes, checksum %016llx, %.2f s, %.1f MB/s\n", bytes,
           (unsigned long long)h, secs, secs > 0 ? (double)bytes / secs / 1e6 : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && strcmp(argv[1], "sniff") == 0)
        return sniff(argv[2], atoi(argv[3]));
    if (argc == 4 && strcmp(argv[1], "spoof") == 0)
        return spoof(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "listen") == 0)
        return tcp_listen(atoi(argv[2]));
    if (argc == 5 && strcmp(argv[1], "send") == 0)
        return tcp_send(argv[2], atoi(argv[3]), atoll(argv[4]));
    fprintf(stderr, "usage: net_test sniff IFACE SECONDS | spoof IFACE DSTMAC | listen PORT | "
                    "send IP PORT BYTES\n");
    return 2;
}
