// SPDX-License-Identifier: BSD-2-Clause
// Guest side of the VMM's vsock test (static arm64, added to the default
// initramfs by tests/suites/45-vmm.sh):
//   vsock_test listen PORT        accept one connection, read to EOF
//   vsock_test send CID PORT N    connect, send N bytes, close
// Both print the byte count and a checksum of what went over the socket.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h> // after sys/socket.h: it needs struct sockaddr

static unsigned long sum_add(unsigned long s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s = (s * 31 + p[i]) % 1000000007ul;
    return s;
}

int main(int argc, char **argv)
{
    static unsigned char buf[65536];
    struct sockaddr_vm a;
    memset(&a, 0, sizeof(a));
    a.svm_family = AF_VSOCK;
    int s = socket(AF_VSOCK, SOCK_STREAM, 0);
    if (s < 0) {
        perror("vsock_test: socket");
        return 1;
    }
    unsigned long sum = 0, total = 0;
    if (argc == 3 && !strcmp(argv[1], "listen")) {
        a.svm_cid = VMADDR_CID_ANY;
        a.svm_port = (unsigned)atoi(argv[2]);
        if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1)) {
            perror("vsock_test: bind/listen");
            return 1;
        }
        printf("vsock_test: listening on port %u\n", a.svm_port);
        fflush(stdout);
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            perror("vsock_test: accept");
            return 1;
        }
        ssize_t n;
        while ((n = read(c, buf, sizeof(buf))) > 0) {
            sum = sum_add(sum, buf, (size_t)n);
            total += (unsigned long)n;
        }
        printf("vsock_test: received %lu bytes, sum %lu\n", total, sum);
        return n < 0;
    }
    if (argc == 5 && !strcmp(argv[1], "send")) {
        a.svm_cid = (unsigned)atoi(argv[2]);
        a.svm_port = (unsigned)atoi(argv[3]);
        unsigned long want = strtoul(argv[4], NULL, 0);
        if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
            perror("vsock_test: connect");
            return 1;
        }
        unsigned long seed = 12345;
        while (total < want) {
            size_t n = want - total < sizeof(buf) ? want - total : sizeof(buf);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245ul + 12345ul;
                buf[i] = (unsigned char)(seed >> 16);
            }
            for (size_t off = 0; off < n;) {
                ssize_t w = write(s, buf + off, n - off);
                if (w <= 0) {
                    perror("vsock_test: write");
                    return 1;
                }
                off += (size_t)w;
            }
            sum = sum_add(sum, buf, n);
            total += n;
        }
        close(s);
        printf("vsock_test: sent %lu bytes, sum %lu\n", total, sum);
        return 0;
    }
    fprintf(stderr, "usage: vsock_test listen PORT | send CID PORT N\n");
    return 2;
}
