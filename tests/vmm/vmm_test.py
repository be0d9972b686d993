# SPDX-License-Identifier: BSD-2-Clause
"""End-to-end tests of the VMM (vmm/): boots tests/vmm/*.yaml with
`sysgen --run-qemu` under `timeout` and drives the shared console with
pexpect, as a person would: guests reach their shells, input goes where
Ctrl-\\ N sends it, output comes back tagged with the guest's name, a
guest that panics, powers off, resets or touches unmapped memory stops
alone.  Prints TAP lines; exits 1 if any check failed.

Run with /usr/bin/python3 (Debian's, which has python3-pexpect)."""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

import pexpect

SWITCH = "\x1c"  # Ctrl-\, serial_virt_rx's switch character
QEMU_QUIT = "\x01x"  # Ctrl-A x: QEMU's -nographic monitor escape, quit


def tagged(guest, text):
    """A console line from `guest`, as serial_virt_tx tags it."""
    return r"\[%s\] %s\r*\n" % (re.escape(guest), text)


def ready_re(guest):
    return tagged(guest, r"sysgen-guest %s: ready" % re.escape(guest))


class Run:
    """One boot of one system: sysgen --run-qemu on a pty."""

    def __init__(self, args, name, qemu=None):
        """Boot tests/vmm/NAME.yaml with sysgen --run-qemu, or run the QEMU
        command `qemu` (a list) as it is."""
        self.name = name
        self.log = ""
        self.failed = False
        self.times = {}
        self.direct = qemu is not None
        out = os.path.join(args.out, name)
        yaml = os.path.join("tests", "vmm", name + ".yaml")
        argv = ["timeout", "--foreground", "-k", "5", str(args.limit)]
        argv += qemu if qemu else [args.sysgen, "--run-qemu", "-o", out, yaml]
        self.t0 = time.monotonic()
        self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=args.timeout,
                                   dimensions=(50, 400))
        self.child.logfile_read = self

    # pexpect's logfile protocol: keep everything the console printed.
    def write(self, s):
        self.log += s

    def flush(self):
        pass

    def ok(self, what):
        print("ok - %s: %s" % (self.name, what), flush=True)

    def not_ok(self, what, why=""):
        self.failed = True
        print("not ok - %s: %s%s" % (self.name, what, " (%s)" % why if why else ""),
              flush=True)

    def expect(self, what, pattern, timeout=None):
        """Check that `pattern` (a regex) appears; TAP line either way."""
        try:
            self.child.expect(pattern, timeout=timeout or self.child.timeout)
        except pexpect.TIMEOUT:
            self.not_ok(what, "timed out waiting for %r" % pattern)
            return False
        except pexpect.EOF:
            self.not_ok(what, "the run ended before %r" % pattern)
            return False
        self.ok(what)
        return True

    def seen(self, what, pattern):
        """Check that `pattern` is somewhere in the console so far."""
        if re.search(pattern, self.log):
            self.ok(what)
            return True
        self.not_ok(what, "no %r on the console" % pattern)
        return False

    def wait_for(self, pattern, timeout=None):
        """As expect, without a TAP line: True if it came."""
        try:
            self.child.expect(pattern, timeout=timeout or self.child.timeout)
            return True
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False

    def boot(self, guests):
        """QEMU starts, every guest reaches its shell; seconds to ready."""
        if not self.direct and not self.expect(
                "sysgen --run-qemu prints the QEMU command and starts it",
                r"qemu-system-aarch64 [^\r\n]*-kernel [^\r\n]*loader\.img\r*\n"):
            return False
        self.t0 = time.monotonic()
        pending = list(guests)
        while pending:
            pats = [ready_re(g) for g in pending]
            try:
                i = self.child.expect(pats)
            except (pexpect.TIMEOUT, pexpect.EOF) as e:
                for g in pending:
                    self.not_ok("guest %s reaches 'sysgen-guest %s: ready'" % (g, g),
                                type(e).__name__)
                return False
            g = pending.pop(i)
            self.times[g] = time.monotonic() - self.t0
            self.ok("guest %s reaches 'sysgen-guest %s: ready' (%.1f s after QEMU start)"
                    % (g, g, self.times[g]))
        # Let the shells print their prompts before anybody types.  Guests on
        # their own cores print at once, so a prompt may already have gone by
        # while another guest's ready line was awaited: look in the log too.
        deadline = time.monotonic() + 30
        while True:
            pending = [g for g in guests if not re.search(
                ready_re(g) + r"[\s\S]*" + re.escape("%s# " % g), self.log)]
            if not pending:
                break
            try:
                self.child.expect([re.escape("%s# " % g) for g in pending],
                                  max(1, deadline - time.monotonic()))
            except (pexpect.TIMEOUT, pexpect.EOF):
                self.not_ok("every guest's shell prompt appears", "none from %s" % pending)
                return False
        self.ok("every guest's shell prompt appears")
        return True

    def switch(self, index, guest):
        self.child.send(SWITCH + str(index))
        return self.expect("Ctrl-\\ %d sends input to %s" % (index, guest),
                           r"serial: input now goes to %s\r*\n" % re.escape(guest), 20)

    def ask(self, guest, a, b):
        """Type a sum into the current guest; the answer must come tagged
        with `guest` (and not from any other guest)."""
        key = "answer%d" % (a * b)
        self.child.sendline("echo %s-$((%d*%d))" % (key[:6], a, b))
        want = "%s-%d" % (key[:6], a * b)
        if not self.expect("typed into %s, the answer comes back from %s" % (guest, guest),
                           tagged(guest, re.escape(want)), 30):
            return False
        others = re.findall(r"(?m)^\[([\w.-]+)\] %s\r*$" % re.escape(want), self.log)
        if any(o != guest for o in others):
            self.not_ok("the answer came only from %s" % guest, "also from %s" % others)
            return False
        return True

    def finish(self):
        """Quit QEMU (Ctrl-A x) and make sure nothing of this run is left."""
        if self.child.isalive():
            try:
                self.child.send(QEMU_QUIT)
                self.child.expect(pexpect.EOF, timeout=10)
            except (pexpect.TIMEOUT, pexpect.EOF, OSError):
                pass
        if self.child.isalive():
            kill_tree(self.child.pid)
            self.child.terminate(force=True)
        self.child.close()
        if self.failed:
            print("# console of %s:" % self.name)
            for line in self.log.replace("\r", "").split("\n"):
                print("#   " + line)
        return not self.failed


def kill_tree(pid):
    """Kill pid's descendants (sysgen's QEMU) by id, then pid."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = [int(k) for k in f.read().split()]
    except OSError:
        kids = []
    for k in kids:
        kill_tree(k)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def one_guest(args):
    r = Run(args, "one_guest")
    try:
        if not r.boot(["linux0"]):
            return r
        r.seen("the VMM started vcpu 0 at the preloaded kernel with x0 = the DTB",
                 r"vmm_linux0: guest linux0: starting vcpu 0 at 0x[0-9a-f]+, dtb 0x[0-9a-f]+")
        r.ask("linux0", 6, 7)
        # 300 numbered lines through the transmit queue: none lost, in order.
        r.child.sendline("i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done; echo done-$i")
        if r.expect("300 lines of output arrive", tagged("linux0", "done-300"), 60):
            got = re.findall(r"\[linux0\] line-(\d+)\r*\n", r.log)
            if [int(n) for n in got] == list(range(300)):
                r.ok("... complete and in order, each tagged [linux0]")
            else:
                r.not_ok("... complete and in order, each tagged [linux0]",
                         "got %d lines" % len(got))
        r.child.sendline("poweroff")
        r.expect("poweroff: the VMM reports the guest powered off",
                 r"vmm_linux0: guest linux0 powered off\r*\n", 60)
    finally:
        r.finish()
    return r


def smp_guest(args):
    """Guests on four cores: linux0's two vCPUs run a parallel workload,
    linux1 on its own core answers meanwhile."""
    r = Run(args, "smp_guest")
    try:
        if not r.expect("sysgen --run-qemu starts QEMU with the 4 cores the system uses",
                        r"qemu-system-aarch64 [^\r\n]* -smp 4 [^\r\n]*-kernel [^\r\n]*loader\.img\r*\n"):
            return r
        r.direct = True  # the command line is checked: boot() need not look again
        if not r.boot(["linux0", "linux1"]):
            return r
        r.seen("the kernel runs all four cores", r"KERN\|INFO: core 3 of 4 running")
        r.child.sendline("echo cpus-$(nproc)-$(grep -c ^processor /proc/cpuinfo)")
        r.expect("linux0 has 2 CPUs (nproc and /proc/cpuinfo)", tagged("linux0", "cpus-2-2"), 30)
        # Two checksums of the same 24 MiB at once, one per vCPU.
        r.child.sendline("dd if=/dev/urandom of=/tmp/big bs=1M count=24 2>/dev/null; "
                         "(md5sum /tmp/big > /tmp/a &); (md5sum /tmp/big > /tmp/b &); "
                         "sleep 1; wait; while [ $(cat /tmp/a /tmp/b | wc -l) -lt 2 ]; do sleep 1; "
                         "done; cat /tmp/a /tmp/b; echo parallel-$((4*5))")
        if r.expect("linux0 runs two md5sum processes at once to the end",
                    tagged("linux0", "parallel-20"), 300):
            sums = re.findall(r"\[linux0\] ([0-9a-f]{32})  /tmp/big", r.log)
            if len(sums) == 2 and sums[0] == sums[1]:
                r.ok("... and both give the same sum")
            else:
                r.not_ok("... and both give the same sum", str(sums))
        if r.switch(1, "linux1"):
            r.child.sendline("echo cpus-$(nproc)")
            r.expect("linux1 has 1 CPU", tagged("linux1", "cpus-1"), 30)
            r.ask("linux1", 6, 8)
    finally:
        r.finish()
    return r


def switch_guests(args):
    """Three guests networked only with each other (no uplink, no NIC):
    TCP between two with the same checksum at both ends, a frame with a
    spoofed source that never arrives, and the others still talking after
    one powers off.  /bin/net_test (tests/vmm/net_test.c) is in their
    initramfs."""
    r = Run(args, "switch_guests")
    guests = ["linux0", "linux1", "linux2"]
    try:
        if not r.boot(guests):
            return r
        cmd = re.search(r"qemu-system-aarch64 [^\r\n]*", r.log).group(0)
        if "-netdev" not in cmd and "-device virtio-net" not in cmd:
            r.ok("QEMU gets no NIC: the guests have no uplink")
        else:
            r.not_ok("QEMU gets no NIC: the guests have no uplink", cmd)
        if "pd net_virt_tx:" in r.log and "pd net_driver:" not in r.log:
            r.ok("the net virtualisers run, and no NIC driver")
        else:
            r.not_ok("the net virtualisers run, and no NIC driver")
        # TCP, linux0 to linux1, 1 MB (make bench times larger transfers).
        if not r.switch(1, "linux1"):
            return r
        r.child.sendline("net_test listen 5001 &")
        r.expect("linux1 listens on TCP port 5001", r"net_test: listening on port 5001", 30)
        if not r.switch(0, "linux0"):
            return r
        r.child.sendline("net_test send 10.0.3.2 5001 1000000")
        pats = {"linux0": r"\[linux0\] net_test: sent 1000000 bytes, checksum ([0-9a-f]{16})",
                "linux1": r"\[linux1\] net_test: received (\d+) bytes, checksum ([0-9a-f]{16})"}
        if r.expect("linux0 sends 1 MB over TCP to linux1", pats["linux0"], 300) and \
                r.wait_for(pats["linux1"], 60):
            sent = re.search(pats["linux0"], r.log).group(1)
            got = re.search(pats["linux1"], r.log).groups()
            if got == ("1000000", sent):
                r.ok("linux1 received the 1 MB with the same checksum (%s)" % sent)
            else:
                r.not_ok("linux1 received the 1 MB with the same checksum", "%s vs %s" % (got, sent))
        # A spoofed source: net_virt_tx refuses it; linux1 sees only the real one.
        if not r.switch(1, "linux1"):
            return r
        r.child.sendline("net_test sniff eth0 15")
        r.expect("linux1 listens for test frames", tagged("linux1", "net_test: sniffing eth0"), 30)
        if not r.switch(0, "linux0"):
            return r
        r.child.sendline("net_test spoof eth0 52:54:01:00:00:21; net_test spoof eth0 ff:ff:ff:ff:ff:ff")
        r.expect("net_virt_tx refuses linux0's frame with a source MAC not its own",
                 r"net_virt_tx: client 0: frame at offset 0x[0-9a-f]+ len \d+ refused: source mac "
                 r"is not the client's", 30)
        r.expect("linux1 got linux0's two real test frames (unicast and broadcast) and no spoofed one",
                 tagged("linux1", "net_test: 2 test frames from other guests, 0 from the spoofed "
                        "address"), 60)
        # linux2 goes; linux1 keeps reaching linux0.
        if not r.switch(2, "linux2"):
            return r
        r.child.sendline("ping -c 1 10.0.3.1 && poweroff")
        r.expect("linux2 powers off", r"vmm_linux2: guest linux2 powered off\r*\n", 60)
        if r.switch(1, "linux1"):
            r.child.sendline("ping -c 3 10.0.3.1 && echo still-$((3*3))")
            r.expect("linux1 still reaches linux0 with linux2 off", tagged("linux1", "still-9"), 60)
    finally:
        r.finish()
    return r


def two_guests_abort(args):
    r = Run(args, "two_guests")
    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        r.ask("linux0", 6, 7)
        if not r.switch(1, "linux1"):
            return r
        r.ask("linux1", 6, 8)
        # A read outside the guest's RAM and devices: the VMM logs it and
        # the guest gets an external abort, as from a bus error on hardware:
        # Linux sends devmem SIGBUS, and the guest goes on.
        r.child.sendline("busybox devmem 0x20000000")
        r.expect("linux1 reads unmapped 0x20000000: its VMM logs the access",
                 r"vmm_linux1: guest linux1: access to unmapped 0x20000000 \(read, pc 0x[0-9a-f]+",
                 30)
        r.expect("... and the guest gets an abort: devmem dies of SIGBUS",
                 tagged("linux1", r"Bus error"), 30)
        r.ask("linux1", 5, 5)  # linux1 still answers
        if re.search(r"vmm_linux0: guest linux0: access to unmapped|vmm_linux0: guest linux0 stopped"
                     r"|vmm_linux1: guest linux1 stopped", r.log):
            r.not_ok("no guest was stopped, and linux0's VMM saw nothing of it")
        else:
            r.ok("no guest was stopped, and linux0's VMM saw nothing of it")
        if r.switch(0, "linux0"):
            r.ask("linux0", 7, 7)
    finally:
        r.finish()
    return r


def two_guests_panic(args):
    r = Run(args, "two_guests")
    r.name = "two_guests (panic)"
    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        r.child.sendline("echo c > /proc/sysrq-trigger")
        r.expect("linux0 panics (sysrq c)",
                 tagged("linux0", r"\[ *[0-9.]+\] Kernel panic - not syncing: sysrq triggered crash"),
                 60)
        if r.switch(1, "linux1"):
            r.ask("linux1", 9, 9)
            r.child.sendline("echo still-$((2*3)) && echo still-$((2*4))")
            r.expect("linux1 keeps working after linux0's panic", tagged("linux1", "still-8"), 30)
            # A reset request: images are not reloaded, so the guest stays off.
            r.child.sendline("reboot -f")
            r.expect("linux1 asks for a reset: its VMM stops it and says why",
                     r"vmm_linux1: guest linux1 stopped: it asked for a reset", 60)
    finally:
        r.finish()
    return r


def hostile_guest(args):
    """linux1 (booted with iomem=relaxed) programs its own virtio transport
    through /dev/mem as a hostile driver would."""
    r = Run(args, "hostile_guest")
    try:
        if not r.boot(["linux0", "linux1"]) or not r.switch(1, "linux1"):
            return r
        r.child.sendline("D='busybox devmem'; $D 0x0a000000; $D 0x0a000071 8; "
                         "$D 0x0a000030 32 1; $D 0x0a000044 32 0; $D 0x0a000080 32 0x1000; "
                         "$D 0x0a000044 32 1")
        r.expect("linux1 reads its transport's MagicValue through /dev/mem",
                 tagged("linux1", "0x74726976"), 30)
        r.expect("a byte-wide register read is refused and logged by vmm_linux1",
                 r"vmm_linux1: guest linux1: virtio console: register access not 32-bit "
                 r"aligned, ignored; offset \(0x71\)", 30)
        r.expect("a queue whose descriptor table is outside guest RAM is refused and logged",
                 r"vmm_linux1: guest linux1: virtio console: ring outside guest RAM \(0x1\)", 30)
        if r.switch(0, "linux0"):
            r.ask("linux0", 8, 8)
        if re.search(r"vmm_linux0: guest linux0: virtio", r.log):
            r.not_ok("vmm_linux0 saw nothing of it")
        else:
            r.ok("vmm_linux0 saw nothing of it")
    finally:
        r.finish()
    return r


def blk_guest(args):
    """virtio-blk: each guest's disk is its own partition of the board's
    disk (sysgen --run-qemu attaches disk.img)."""
    out = os.path.join(args.out, "blk_guest")
    r = Run(args, "blk_guest")
    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        # Each guest: its disk, a small file, then 1 MiB of random data
        # written, its caches dropped and its MD5 checked against what comes
        # back from the disk, both guests at the same time.
        for i, g in enumerate(["linux0", "linux1"]):
            if i and not r.switch(i, g):
                return r
            r.child.sendline("cat /proc/partitions; mount | grep ' /mnt '; echo parts-$((1+1))")
            if r.expect("%s has /dev/vda, its partition's size (4 MiB)" % g,
                        tagged(g, r"\s*254\s+0\s+4096 vda"), 60):
                r.expect("%s's init mounted it (FAT) on /mnt" % g,
                         tagged(g, r"/dev/vda on /mnt type vfat \(rw[^\r\n]*"), 30)
            r.child.sendline("echo hello-from-%s > /mnt/%s.TXT; (dd if=/dev/urandom of=/mnt/BIG.BIN "
                             "bs=4096 count=256 2>/dev/null && md5sum /mnt/BIG.BIN > /mnt/BIG.MD5 && "
                             "sync && echo 3 > /proc/sys/vm/drop_caches && md5sum -c /mnt/BIG.MD5; "
                             "echo fin-%s-$((3*3))) &" % (g, g.upper(), g))
        pending = ["linux0", "linux1"]
        while pending:
            try:
                pending.pop(r.child.expect([tagged(g, "fin-%s-9" % g) for g in pending], 300))
            except (pexpect.TIMEOUT, pexpect.EOF) as e:
                r.not_ok("both guests finish their disk I/O", "%s: %s" % (type(e).__name__, pending))
                return r
        for g in ("linux0", "linux1"):
            if re.search(r"(?m)^\[%s\] /mnt/BIG\.BIN: OK" % g, r.log):
                r.ok("%s: 1 MiB written (both guests at once), read back from disk: same "
                     "MD5" % g)
            else:
                r.not_ok("%s: 1 MiB written (both guests at once), read back from disk: same "
                         "MD5" % g)
        r.child.sendline("poweroff")
        r.expect("linux1 powers off", r"vmm_linux1: guest linux1 powered off\r*\n", 60)
        if r.switch(0, "linux0"):
            r.child.sendline("poweroff")
            r.expect("linux0 powers off", r"vmm_linux0: guest linux0 powered off\r*\n", 60)
    finally:
        r.finish()
    # On the host: each guest's file is in its own partition, and only there.
    disk = os.path.join(out, "disk.img")
    for g, at, other in (("linux0", "1M", "LINUX1"), ("linux1", "5M", "LINUX0")):
        m = subprocess.run(["mtype", "-i", "%s@@%s" % (disk, at), "::%s.TXT" % g.upper()],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        d = subprocess.run(["mdir", "-b", "-i", "%s@@%s" % (disk, at), "::"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        what = "the host finds %s.TXT in %s's partition, and not the other guest's file" % (
            g.upper(), g)
        if m.stdout.strip() == "hello-from-%s" % g and other not in d.stdout:
            r.ok(what)
        else:
            r.not_ok(what, m.stdout + d.stdout)
    return r



def built_run(args, yaml, name, what):
    """Build `yaml` with sysgen into OUT/name and set up a Run of the QEMU
    command sysgen prints (--qemu-command); `what` names the build check.
    r.ready is False (and the Run finished) if the build failed."""
    out = os.path.join(args.out, name)
    p = subprocess.run([args.sysgen, "--qemu-command", "-o", out, "--components", args.components,
                        "--guest-dir", args.guest_dir, yaml], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    lines = p.stdout.strip().split("\n")
    ok = p.returncode == 0 and lines[-1].startswith("qemu-system-aarch64 ")
    r = Run(args, name, lines[-1].split() if ok else ["false"])
    r.ready = ok
    if ok:
        r.ok(what)
    else:
        r.not_ok(what, p.stdout)
        r.finish()
    return r


def net_guest(args):
    """virtio-net: two guests on the board's NIC (QEMU user-mode network):
    linux0 configured by hand (the YAML gives it no address), linux1 by
    DHCP (ip: dhcp), from QEMU's DHCP server.
    sysgen --qemu-command builds the system and prints the QEMU command."""
    r = built_run(args, "tests/vmm/net_guest.yaml", "net_guest",
                  "sysgen links tests/vmm/net_guest.yaml with its NICs")
    if not r.ready:
        return r
    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        r.seen("linux1's init got 10.0.2.15 by DHCP (ip: dhcp) before its ready line",
               tagged("linux1", r"sysgen-init: eth0 10\.0\.2\.15 \(dhcp\)"))
        r.seen("linux1's init set the default route from the lease",
               tagged("linux1", r"sysgen-init: default route via 10\.0\.2\.2"))
        setup = {"linux0": "ip link set eth0 up && ip addr add 10.0.2.20/24 dev eth0",
                 "linux1": "ip addr show eth0 | grep -q 'inet 10.0.2.15/24'"}
        for i, (g, mac) in enumerate((("linux0", "52:54:01:00:00:10"),
                                      ("linux1", "52:54:01:00:00:11"))):
            if i and not r.switch(i, g):
                return r
            r.child.sendline("cat /sys/class/net/eth0/address; %s && echo up-$((1+1))" % setup[g])
            r.expect("%s's eth0 has the MAC from the YAML (%s)" % (g, mac),
                     tagged(g, re.escape(mac)), 60)
            r.expect("%s's eth0 is up" % g, tagged(g, "up-2"), 30)
            r.child.sendline("ping -c 3 10.0.2.2 && ping -c 2 -s 1472 10.0.2.2 && "
                             "echo pinged-$((1+2))")
            if r.expect("%s pings the gateway (ARP, ICMP), and with full-size frames" % g,
                        tagged(g, "pinged-3"), 90):
                got = re.findall(r"(?m)^\[%s\] (\d+) bytes from 10\.0\.2\.2" % g, r.log)
                if got.count("64") == 3 and got.count("1480") == 2:
                    r.ok("%s: 3 + 2 replies, 1480-byte ones among them" % g)
                else:
                    r.not_ok("%s: 3 + 2 replies, 1480-byte ones among them" % g, str(got))
        # Guest to guest, through the net virtualisers' switch: the frames
        # never leave the board (the gateway cannot answer for 10.0.2.20).
        r.child.sendline("ping -c 3 10.0.2.20 && echo peer-$((3+4))")
        r.expect("linux1 pings linux0 (10.0.2.20)", tagged("linux1", "peer-7"), 60)
        if not r.switch(0, "linux0"):
            return r
        r.child.sendline("ping -c 3 -s 1472 10.0.2.15 && echo peer-$((4+4))")
        r.expect("linux0 pings linux1 (10.0.2.15) with full-size frames",
                 tagged("linux0", "peer-8"), 60)
        if not r.switch(1, "linux1"):
            return r
        r.child.sendline("poweroff")
        r.expect("linux1 powers off", r"vmm_linux1: guest linux1 powered off\r*\n", 60)
        if r.switch(0, "linux0"):
            r.child.sendline("ping -c 2 10.0.2.2 && echo alone-$((2+5))")
            r.expect("linux0 still pings with linux1 off", tagged("linux0", "alone-7"), 60)
    finally:
        r.finish()
    return r


def vsock_guest(args):
    """virtio-vsock between two guests (CIDs 3 and 4) through their VMMs,
    with /bin/vsock_test (tests/vmm/vsock_test.c) in their initramfs.
    sysgen --qemu-command builds the system and prints the QEMU command."""
    r = built_run(args, "tests/vmm/vsock_guest.yaml", "vsock_guest",
                  "sysgen links tests/vmm/vsock_guest.yaml with its vsock devices")
    if not r.ready:
        return r

    def transfer(frm, to, cid, port, size):
        """`to` listens, `frm` sends `size` bytes: same count and sum."""
        if not r.switch(int(to[-1]), to):
            return False
        r.child.sendline("vsock_test listen %d &" % port)
        if not r.expect("%s listens on vsock port %d" % (to, port),
                        r"vsock_test: listening on port %d" % port, 30):
            return False
        if not r.switch(int(frm[-1]), frm):
            return False
        r.child.sendline("vsock_test send %d %d %d" % (cid, port, size))
        # Both lines, in whichever order they come, up to their ends (a
        # number half printed must not match).
        pats = {frm: r"\[%s\] vsock_test: sent (\d+) bytes, sum (\d+)\r*\n" % frm,
                to: r"\[%s\] vsock_test: received (\d+) bytes, sum (\d+)\r*\n" % to}
        pending = [frm, to]
        got = {}
        while pending:
            try:
                i = r.child.expect([pats[g] for g in pending], 120)
            except (pexpect.TIMEOUT, pexpect.EOF):
                r.not_ok("%s -> %s: %d bytes over vsock" % (frm, to, size),
                         "no line from %s" % pending)
                return False
            got[pending[i]] = r.child.match.groups()
            pending.pop(i)
        if got[frm] == got[to] and int(got[to][0]) == size:
            r.ok("%s -> %s: %d bytes over vsock, same checksum both ends" % (frm, to, size))
            return True
        r.not_ok("%s -> %s: %d bytes over vsock" % (frm, to, size), str(got))
        return False

    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        if transfer("linux0", "linux1", 4, 1234, 300000):
            transfer("linux1", "linux0", 3, 4321, 100000)
        # Nobody has CID 9: the VMM answers the connection request with RST.
        r.child.sendline("vsock_test send 9 1234 10; echo nobody-$((3+4))")
        r.expect("a connection to a CID nobody has is reset at once",
                 r"vsock_test: connect: Connection reset by peer", 30)
        # linux0 goes; linux1 still works, its packets to linux0 go nowhere.
        if r.switch(0, "linux0"):
            r.child.sendline("poweroff")
            r.expect("linux0 powers off", r"vmm_linux0: guest linux0 powered off\r*\n", 60)
        if r.switch(1, "linux1"):
            r.child.sendline("vsock_test send 3 1234 10; echo after-$((4+4))")
            r.expect("linux1 trying to reach the gone linux0 is not stuck",
                     tagged("linux1", "after-8"), 60)
    finally:
        r.finish()
    return r


def default_system(args):
    """The project's default system, systems/two_guests.yaml, with every
    device (console, block, net, vsock) in both guests."""
    r = built_run(args, "systems/two_guests.yaml", "default_system",
                  "sysgen links systems/two_guests.yaml with every device")
    if not r.ready:
        return r
    try:
        if not r.boot(["linux0", "linux1"]):
            return r
        for i, g in enumerate(["linux0", "linux1"]):
            r.seen("%s's init set eth0 to 10.0.2.%d/24 from the YAML before its ready line"
                   % (g, 15 + i), tagged(g, r"sysgen-init: eth0 10\.0\.2\.%d/24" % (15 + i)))
        for i, g in enumerate(["linux0", "linux1"]):
            if i and not r.switch(i, g):
                return r
            # Nothing typed first: the addresses and routes come from the YAML.
            r.child.sendline("mount | grep ' /mnt '; ls /dev/vsock; echo host-$(hostname); "
                             "ping -c 2 10.0.2.%d && ping -c 2 10.0.2.2 && echo all-$((1+1))"
                             % (16 - i))
            r.expect("%s: its partition is mounted on /mnt" % g,
                     tagged(g, r"/dev/vda on /mnt type vfat[^\r\n]*"), 60)
            r.expect("%s: /dev/vsock is there" % g, tagged(g, "/dev/vsock"), 30)
            r.expect("%s: hostname is the guest's name" % g, tagged(g, "host-" + g), 30)
            r.expect("%s: pings the other guest (10.0.2.%d) and the gateway, nothing typed first"
                     % (g, 16 - i), tagged(g, "all-2"), 60)
        # Both guests at the gateway at once: linux1 (current) in the background.
        r.child.sendline("ping -c 6 10.0.2.2 > /tmp/gw 2>&1 &")
        if not r.switch(0, "linux0"):
            return r
        r.child.sendline("ping -c 6 10.0.2.2 | grep -c 'bytes from 10.0.2.2' | sed 's/^/gw0-/'")
        r.expect("linux0 pings the gateway while linux1 does: 6 of 6 replies",
                 tagged("linux0", "gw0-6"), 60)
        if r.switch(1, "linux1"):
            r.child.sendline("wait; grep -c 'bytes from 10.0.2.2' /tmp/gw | sed 's/^/gw1-/'")
            r.expect("... and linux1 got its 6 of 6 meanwhile", tagged("linux1", "gw1-6"), 60)
    finally:
        r.finish()
    return r


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sysgen", default="build/bin/sysgen")
    p.add_argument("--out", default="build/vmm-test")
    p.add_argument("--timeout", type=int, default=180, help="seconds per expected line")
    p.add_argument("--limit", type=int, default=600, help="seconds per QEMU run, at most")
    p.add_argument("--components", default="build/runtime")
    p.add_argument("--guest-dir", default="build/guest")
    p.add_argument("tests", nargs="*", default=["one_guest", "two_guests_abort", "two_guests_panic", "hostile_guest",
                            "blk_guest", "net_guest", "switch_guests", "vsock_guest", "default_system",
                            "smp_guest"])
    args = p.parse_args()
    runs = []
    for t in args.tests:
        runs.append(globals()[t](args))
    for run in runs:
        for g, s in sorted(run.times.items()):
            print("# %s: %s ready %.1f s after QEMU start" % (run.name, g, s))
    return 0 if not any(r.failed for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
