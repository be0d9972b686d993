// SPDX-License-Identifier: BSD-2-Clause
#include "run/qemu.h"
#include "base/strbuf.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct args {
    char **v;
    size_t n;
};

static void add(struct args *a, const char *s)
{
    a->v = xrealloc(a->v, (a->n + 2) * sizeof(*a->v));
    a->v[a->n++] = xstrdup(s);
    a->v[a->n] = NULL;
}

char **qemu_argv(const struct qemu_run *r)
{
    const struct board *b = r->board;
    if (!b->qemu_machine) {
        fatal_error("board '%s' has no QEMU model (no qemu: in its board.yaml): it runs on "
                    "hardware only",
                    b->name);
        return NULL;
    }
    struct args a = {0};
    char buf[64];
    add(&a, "qemu-system-aarch64");
    add(&a, "-M");
    add(&a, b->qemu_machine);
    add(&a, "-cpu");
    add(&a, b->qemu_cpu);
    add(&a, "-m");
    snprintf(buf, sizeof(buf), "%lluM", (unsigned long long)(b->qemu_memory / MiB));
    add(&a, buf);
    if (r->cores > 1) { // the kernel starts as many as the system places PDs on
        add(&a, "-smp");
        snprintf(buf, sizeof(buf), "%u", r->cores);
        add(&a, buf);
    }
    // The console is this terminal; Ctrl-A x leaves QEMU.  No default NIC
    // (its PCI option ROM is not installed), virtio-mmio in 1.x mode, and
    // semihosting for the runtime's exit status (see docs/runtime.md).
    add(&a, "-nographic");
    add(&a, "-nic");
    add(&a, "none");
    add(&a, "-semihosting");
    add(&a, "-global");
    add(&a, "virtio-mmio.force-legacy=false");
    // QEMU fills virtio-mmio slots from the top in this order: the board
    // data places the disk in the first one taken and the NIC in the next.
    if (r->disk && b->block.qemu_device) {
        char *drive = xasprintf("if=none,id=disk,format=raw,file=%s", r->disk);
        char *dev = xasprintf("%s,drive=disk", b->block.qemu_device);
        add(&a, "-drive");
        add(&a, drive);
        add(&a, "-device");
        add(&a, dev);
        free(drive);
        free(dev);
    }
    // Without a disk, a placeholder takes the disk's slot so the NIC still
    // lands where the board data (and so the net driver) expects it.
    if (r->nic && b->net.qemu_device && !(r->disk && b->block.qemu_device) &&
        b->block.qemu_device) {
        add(&a, "-device");
        add(&a, "virtio-rng-device");
    }
    if (r->nic && b->net.qemu_device) {
        char *dev = xasprintf("%s,netdev=net", b->net.qemu_device);
        add(&a, "-netdev");
        add(&a, "user,id=net");
        add(&a, "-device");
        add(&a, dev);
        free(dev);
    }
    add(&a, "-kernel");
    add(&a, r->image);
    return a.v;
}

void qemu_argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

char *qemu_command_line(char *const argv[])
{
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; argv[i]; i++) {
        const char *s = argv[i];
        bool plain = *s != '\0';
        for (const char *p = s; *p; p++)
            plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "_-=.,/:@+%",
                            *p) != NULL;
        sb_puts(&sb, i ? " " : "");
        if (plain) {
            sb_puts(&sb, s);
            continue;
        }
        sb_puts(&sb, "'");
        for (const char *p = s; *p; p++)
            sb_puts(&sb, *p == '\'' ? "'\\''" : (char[2]){*p, 0});
        sb_puts(&sb, "'");
    }
    return sb_steal(&sb);
}

int print_qemu_command(const struct qemu_run *r)
{
    char **argv = qemu_argv(r);
    if (!argv)
        return 2;
    char *line = qemu_command_line(argv);
    printf("%s\n", line);
    fflush(stdout);
    free(line);
    qemu_argv_free(argv);
    return 0;
}

int run_qemu(const struct qemu_run *r)
{
    if (print_qemu_command(r) != 0)
        return 2;
    char **argv = qemu_argv(r);
    // fork + exec rather than posix_spawn: the child asks to die with us, so
    // killing sysgen never leaves a QEMU running on its own.
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        execvp(argv[0], argv);
        fprintf(stderr, "sysgen: error: cannot run %s: %s (see 'make deps')\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    if (pid < 0) {
        fatal_error("cannot fork: %s", strerror(errno));
        qemu_argv_free(argv);
        return 2;
    }
    // Ctrl-C belongs to whatever runs on the console: QEMU decides.
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    qemu_argv_free(argv);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
