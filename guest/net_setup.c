// SPDX-License-Identifier: BSD-2-Clause
/*
 * The default guest's network set-up: the host name, and eth0 as the
 * system's YAML says (net: { ip: A.B.C.D/P, gateway: G } or ip: dhcp),
 * which sysgen passes in the guest's device tree as /chosen/sysgen,ip and
 * /chosen/sysgen,gateway.  A fixed address is set with the classic
 * interface and route ioctls; dhcp runs busybox's udhcpc with this same
 * program as its script (init.c hands udhcpc's calls to
 * net_setup_dhcp_event()).  Every failure is reported and survived.
 */
#define _GNU_SOURCE
#include "net_setup.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define DT_IP      "/proc/device-tree/chosen/sysgen,ip"
#define DT_GATEWAY "/proc/device-tree/chosen/sysgen,gateway"
#define NIC        "eth0"
#define BUSYBOX    "/bin/busybox"

static int set_flags_up(int s, const char *ifname)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        return -1;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(s, SIOCSIFFLAGS, &ifr);
}

static int set_addr(int s, unsigned long req, const char *ifname, struct in_addr a)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr = a};
    memcpy(&ifr.ifr_addr, &sin, sizeof sin);
    return ioctl(s, req, &ifr);
}

static int add_default_route(int s, struct in_addr gw)
{
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    struct sockaddr_in any = {.sin_family = AF_INET}, via = {.sin_family = AF_INET, .sin_addr = gw};
    memcpy(&rt.rt_dst, &any, sizeof any);
    memcpy(&rt.rt_genmask, &any, sizeof any);
    memcpy(&rt.rt_gateway, &via, sizeof via);
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    return ioctl(s, SIOCADDRT, &rt) < 0 && errno != EEXIST ? -1 : 0;
}

/* Address ADDR with netmask MASK (and default route GW if not NULL) on
 * IFNAME; 0 or -1 (reported). */
static int configure(const char *ifname, const char *addr, const char *mask, const char *gw)
{
    struct in_addr a, m, g;
    if (inet_pton(AF_INET, addr, &a) != 1 || inet_pton(AF_INET, mask, &m) != 1 ||
        (gw && inet_pton(AF_INET, gw, &g) != 1)) {
        logmsg("malformed address %s (mask %s)", addr, mask);
        return -1;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    int rc = 0;
    if (set_addr(s, SIOCSIFADDR, ifname, a) < 0 || set_addr(s, SIOCSIFNETMASK, ifname, m) < 0 ||
        set_flags_up(s, ifname) < 0) {
        logmsg("cannot configure %s: %s", ifname, strerror(errno));
        rc = -1;
    } else if (gw && add_default_route(s, g) < 0) {
        logmsg("cannot add the default route via %s: %s", gw, strerror(errno));
        rc = -1;
    }
    close(s);
    return rc;
}

static void mask_of(unsigned prefix, char *out, size_t size)
{
    uint32_t m = prefix ? 0xffffffffu << (32 - prefix) : 0;
    snprintf(out, size, "%u.%u.%u.%u", m >> 24, m >> 16 & 255, m >> 8 & 255, m & 255);
}

static void run_dhcp(const char *self)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || set_flags_up(s, NIC) < 0) {
        logmsg("cannot bring %s up: %s", NIC, strerror(errno));
        if (s >= 0)
            close(s);
        return;
    }
    close(s);
    pid_t pid = fork();
    if (pid == 0) {
        /* -q: quit once bound; -n: give up after -t tries rather than fork */
        execl(BUSYBOX, "udhcpc", "-i", NIC, "-q", "-n", "-t", "5", "-T", "2", "-s", self,
              (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        logmsg("%s got no DHCP lease", NIC);
}

void net_setup(const char *name, const char *self)
{
    if (sethostname(name, strlen(name)) < 0)
        logmsg("cannot set the host name to %s: %s", name, strerror(errno));
    char ip[64], gw[32];
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        set_flags_up(s, "lo");
        close(s);
    }
    if (read_file(DT_IP, ip, sizeof ip) <= 0)
        return; /* the YAML gave no address: eth0 is the user's */
    if (!wait_for_node("/sys/class/net/" NIC, 5000)) {
        logmsg("no %s to give %s", NIC, ip);
        return;
    }
    if (strcmp(ip, "dhcp") == 0) {
        run_dhcp(self);
        return;
    }
    char *slash = strchr(ip, '/');
    char mask[20];
    if (!slash) {
        logmsg("malformed %s '%s'", DT_IP, ip);
        return;
    }
    *slash = '\0';
    mask_of((unsigned)atoi(slash + 1), mask, sizeof mask);
    int have_gw = read_file(DT_GATEWAY, gw, sizeof gw) > 0;
    if (configure(NIC, ip, mask, have_gw ? gw : NULL) == 0) {
        *slash = '/';
        logmsg(NIC " %s", ip);
        if (have_gw)
            logmsg("default route via %s", gw);
    }
}

int net_setup_dhcp_event(const char *event)
{
    /* udhcpc's script interface: the lease in the environment. */
    if (strcmp(event, "bound") != 0 && strcmp(event, "renew") != 0)
        return 0;
    const char *ip = getenv("ip"), *mask = getenv("subnet"), *router = getenv("router");
    const char *ifname = getenv("interface");
    if (!ip || !mask || !ifname)
        return 1;
    char gw[32] = "";
    if (router) { /* a list: the first one */
        snprintf(gw, sizeof gw, "%s", router);
        gw[strcspn(gw, " ")] = '\0';
    }
    if (configure(ifname, ip, mask, gw[0] ? gw : NULL) < 0)
        return 1;
    logmsg("%s %s (dhcp)", ifname, ip);
    if (gw[0])
        logmsg("default route via %s", gw);
    return 0;
}
