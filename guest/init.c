// SPDX-License-Identifier: BSD-2-Clause
/*
 * init: PID 1 of the sysgen default Linux guest.
 *
 * Mounts the pseudo file systems, loads the kernel modules listed (in
 * dependency order, resolved when the initramfs was built) in
 * /etc/sysgen/modules, finds the guest's name, mounts the first virtio disk
 * if it holds a FAT file system, sets the host name and the network as the
 * device tree says (net_setup.c), prints "sysgen-guest NAME: ready" once and
 * then keeps a busybox shell running on the console.  busybox's halt,
 * poweroff and reboot signal PID 1 (SIGUSR1, SIGUSR2, SIGTERM); init then
 * stops everything and asks the kernel to do it.  It never exits: PID 1
 * exiting panics the kernel.  Every failure is reported and survived.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "net_setup.h"
#include "util.h"

#define MODULE_LIST  "/etc/sysgen/modules"
#define DT_NAME      "/proc/device-tree/chosen/sysgen,guest"
#define NAME_MAX_LEN 64

static void do_mount(const char *src, const char *dir, const char *type, unsigned long flags)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        logmsg("mkdir %s: %s", dir, strerror(errno));
    if (mount(src, dir, type, flags, NULL) < 0 && errno != EBUSY)
        logmsg("mount %s on %s: %s", type, dir, strerror(errno));
}

/* Make fds 0, 1 and 2 point at PATH (used when the kernel gave us none). */
static int attach_stdio(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
    return 0;
}

static int stdio_is_open(void)
{
    return fcntl(STDOUT_FILENO, F_GETFD) >= 0;
}

static void load_module(const char *name, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        logmsg("module %s absent (%s): %s", name, path, strerror(errno));
        return;
    }
    if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
        logmsg("module %s: load failed: %s", name, strerror(errno));
    close(fd);
}

/* Each line of the list: "NAME PATH"; '#' starts a comment line. */
static void load_modules(void)
{
    FILE *f = fopen(MODULE_LIST, "re");
    if (!f) {
        logmsg("no module list %s: %s", MODULE_LIST, strerror(errno));
        return;
    }
    char line[512], name[128], path[384];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%127s %383s", name, path) != 2) {
            logmsg("bad line in %s: %s", MODULE_LIST, line);
            continue;
        }
        load_module(name, path);
    }
    fclose(f);
}

/* Keep only characters that are safe to print and to use in a prompt. */
static int sane_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static void guest_name(char *out, size_t size)
{
    char buf[4096];
    ssize_t n = read_file(DT_NAME, buf, sizeof buf);
    /* A device-tree string property carries its NUL: buf stops at it. */
    if (n > 0 && strlen(buf) < size && sane_name(buf)) {
        snprintf(out, size, "%s", buf);
        return;
    }
    if (n > 0)
        logmsg("ignoring malformed %s", DT_NAME);
    if (read_file("/proc/cmdline", buf, sizeof buf) > 0) {
        char *save = NULL;
        for (char *tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
            const char *key = "sysgen.guest=";
            if (strncmp(tok, key, strlen(key)) != 0)
                continue;
            tok += strlen(key);
            if (strlen(tok) < size && sane_name(tok)) {
                snprintf(out, size, "%s", tok);
                return;
            }
            logmsg("ignoring malformed sysgen.guest= parameter");
        }
    }
    snprintf(out, size, "unnamed");
}

/* Does the virtio driver DRIVER drive at least one device? */
static int driver_bound(const char *driver)
{
    char path[128];
    snprintf(path, sizeof path, "/sys/bus/virtio/drivers/%s", driver);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(d));)
        found = strncmp(e->d_name, "virtio", 6) == 0;
    closedir(d);
    return found;
}

static void mount_disk(void)
{
    const char *devs[] = {"/dev/vda1", "/dev/vda"};
    struct stat st;
    if (!driver_bound("virtio_blk") || !wait_for_node(devs[1], 1000))
        return;
    if (mkdir("/mnt", 0755) < 0 && errno != EEXIST)
        logmsg("mkdir /mnt: %s", strerror(errno));
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        if (stat(devs[i], &st) < 0)
            continue;
        if (mount(devs[i], "/mnt", "vfat", 0, NULL) == 0)
            return;
        logmsg("mount %s on /mnt (vfat): %s", devs[i], strerror(errno));
    }
}

/* The device behind /dev/console: the last name in console/active. */
static void console_device(char *out, size_t size)
{
    struct stat st;
    /* virtio-serial ports are announced by the host after the probe. */
    if (driver_bound("virtio_console"))
        wait_for_node("/dev/hvc0", 1000);
    if (stat("/dev/hvc0", &st) == 0 && S_ISCHR(st.st_mode)) {
        snprintf(out, size, "/dev/hvc0");
        return;
    }
    char buf[256];
    snprintf(out, size, "/dev/console");
    if (read_file("/sys/class/tty/console/active", buf, sizeof buf) <= 0)
        return;
    char *last = NULL, *save = NULL;
    for (char *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
        last = tok;
    if (!last || strlen(last) > 32)
        return;
    char dev[48];
    snprintf(dev, sizeof dev, "/dev/%s", last);
    if (stat(dev, &st) == 0 && S_ISCHR(st.st_mode))
        snprintf(out, size, "%s", dev);
}

/*
 * init keeps the signals it acts on blocked and takes them with
 * sigwaitinfo(): no handler runs, and none can slip in between a check and
 * a wait.  busybox poweroff, halt and reboot send SIGUSR2, SIGUSR1, SIGTERM.
 */
static void init_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGUSR1);
    sigaddset(set, SIGUSR2);
    sigaddset(set, SIGTERM);
    sigprocmask(SIG_BLOCK, set, NULL);
}

static void shut_down(int sig)
{
    int cmd = (int)RB_AUTOBOOT;
    const char *what = "rebooting";
    if (sig == SIGUSR1) {
        cmd = (int)RB_HALT_SYSTEM;
        what = "halting";
    } else if (sig == SIGUSR2) {
        cmd = (int)RB_POWER_OFF;
        what = "powering off";
    }
    logmsg("%s", what);
    kill(-1, SIGTERM);
    sleep_ms(300);
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    if (umount("/mnt") < 0 && errno != EINVAL && errno != ENOENT)
        logmsg("umount /mnt: %s", strerror(errno));
    sync();
    if (reboot(cmd) < 0)
        logmsg("reboot: %s", strerror(errno));
}

static pid_t spawn_shell(const char *tty, const char *name)
{
    pid_t pid = fork();
    if (pid < 0) {
        logmsg("fork: %s", strerror(errno));
        return -1;
    }
    if (pid > 0)
        return pid;
    /* Child: a new session whose controlling terminal is TTY. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    int fd = open(tty, O_RDWR);
    if (fd < 0) {
        logmsg("open %s: %s", tty, strerror(errno));
        _exit(127);
    }
    if (ioctl(fd, TIOCSCTTY, 1) < 0)
        logmsg("%s: no job control: %s", tty, strerror(errno));
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
    char ps1[NAME_MAX_LEN + 16];
    snprintf(ps1, sizeof ps1, "PS1=%s# ", name);
    char *argv[] = {"sh", NULL};
    char *envp[] = {"PATH=/sbin:/bin:/usr/sbin:/usr/bin", "HOME=/", "TERM=vt100", ps1, NULL};
    execve("/bin/sh", argv, envp);
    logmsg("exec /bin/sh: %s", strerror(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    /* udhcpc runs this program as its script: `init bound` and the like. */
    if (getpid() != 1 && argc == 2)
        return net_setup_dhcp_event(argv[1]);
    if (getpid() != 1)
        logmsg("warning: not running as PID 1");
    umask(022);
    sigset_t sigs;
    init_signals(&sigs);
    do_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID);
    int have_console = stdio_is_open() || attach_stdio("/dev/console") == 0;
    if (!have_console)
        attach_stdio("/dev/null");
    do_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    do_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    do_mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC);

    load_modules();
    /* console=hvc0 only exists once virtio_console is loaded. */
    if (!have_console)
        attach_stdio("/dev/console");
    mount_disk();

    char name[NAME_MAX_LEN + 1];
    guest_name(name, sizeof name);
    net_setup(name, "/init");
    char ready[NAME_MAX_LEN + 32];
    int len = snprintf(ready, sizeof ready, "sysgen-guest %s: ready\n", name);
    if (write(STDOUT_FILENO, ready, (size_t)len) < 0) {
        /* no console: nothing to do but carry on */
    }

    char tty[64];
    console_device(tty, sizeof tty);
    pid_t shell = -1;
    for (;;) {
        if (shell < 0)
            shell = spawn_shell(tty, name);
        if (shell < 0) {
            sleep_ms(1000);
            continue;
        }
        /* Reap every child (PID 1 inherits orphans); notice the shell's end. */
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != shell)
                continue;
            logmsg("shell exited (status %d); restarting", status);
            shell = -1;
            /* do not spin if the shell cannot start at all */
            sleep_ms(WIFEXITED(status) && WEXITSTATUS(status) == 127 ? 1000 : 100);
        }
        if (shell < 0)
            continue;
        int sig = sigwaitinfo(&sigs, NULL);
        if (sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGTERM)
            shut_down(sig); /* returns only if the kernel refused */
    }
}
