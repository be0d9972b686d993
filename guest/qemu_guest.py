# SPDX-License-Identifier: BSD-2-Clause
"""Boot the default sysgen guest on bare QEMU (no hypervisor) and drive its
console with pexpect.  Used by tests/suites/40-guest.sh (`test`, TAP output)
and tests/bench/guest-bare.sh (`bench`, a boot time figure).

Run with /usr/bin/python3 (Debian's, which has python3-pexpect)."""
import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

QEMU = "qemu-system-aarch64"
BASE = ["-M", "virt,gic-version=3", "-cpu", "cortex-a53", "-m", "512M"]


def ready_re(name):
    return re.compile(r"sysgen-guest %s: ready\r*\n" % re.escape(name))


class Guest:
    """One QEMU run.  `child` talks to the guest's shell console."""

    def __init__(self, argv, timeout, name):
        self.name = name
        self.log = ""
        self.start = time.monotonic()
        self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=timeout,
                                   dimensions=(50, 400))
        self.child.logfile_read = self

    # pexpect's logfile protocol: keep everything the guest printed.
    def write(self, s):
        self.log += s

    def flush(self):
        pass

    def prompt(self):
        self.child.expect_exact("%s# " % self.name)

    def shell_ready(self):
        """Wait for the first prompt; widen the terminal so that the shell
        does not wrap the commands it echoes."""
        self.prompt()
        self.child.sendline("stty cols 400")
        self.prompt()

    def run(self, cmd):
        """Run CMD in the guest shell; return (status, output)."""
        self.child.sendline('%s; echo "::""end:$?::"' % cmd)
        self.child.expect(r"::end:(\d+)::")
        out = self.child.before
        status = int(self.child.match.group(1))
        self.prompt()
        # drop the echoed command line (which the terminal may have wrapped)
        out = out.replace("\r", "")
        tail = out.find('$?::"')
        out = out[tail + 5:] if tail >= 0 else out
        out = out.split("\n", 1)[1] if "\n" in out else ""
        return status, out

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


def bare_argv(build, name, initrd=None):
    append = "console=ttyAMA0" + (" sysgen.guest=" + name if name else "")
    return [QEMU] + BASE + [
        "-nographic", "-nic", "none",
        "-kernel", os.path.join(build, "Image"),
        "-initrd", initrd or os.path.join(build, "initrd.cpio.gz"),
        "-append", append]


def newc(files):
    """A newc cpio archive of regular files {path: bytes}, with trailer."""
    out = b""
    for ino, (name, data) in enumerate(list(files.items()) + [("TRAILER!!!", None)], 1):
        mode = 0o100644 if data is not None else 0
        data = data or b""
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
        hdr = b"070701" + b"".join(b"%08X" % v for v in fields) + name.encode() + b"\0"
        out += hdr + b"\0" * (-len(hdr) % 4) + data + b"\0" * (-len(data) % 4)
    return out


def make_fat_disk(path, files):
    """A 16 MiB raw disk: MBR, one FAT partition at 1 MiB holding FILES."""
    size, start = 16 << 20, 1 << 20
    with open(path, "wb") as f:
        f.truncate(size)
        entry = bytes([0, 0, 0, 0, 0x0C, 0, 0, 0])  # FAT32 (LBA)
        entry += (start // 512).to_bytes(4, "little")
        entry += ((size - start) // 512).to_bytes(4, "little")
        f.seek(446)
        f.write(entry)
        f.seek(510)
        f.write(b"\x55\xaa")
    subprocess.run(["mkfs.fat", "-n", "SYSGEN", "--offset", str(start // 512),
                    path, str((size - start) // 1024)],
                   check=True, stdout=subprocess.DEVNULL)
    for name, data in files.items():
        src = os.path.join(os.path.dirname(path), name)
        with open(src, "w") as f:
            f.write(data)
        subprocess.run(["mcopy", "-i", "%s@@%d" % (path, start), src,
                        "::" + name], check=True)


def virtio_argv(build, tmp, name, serial_log, dtb):
    disk = os.path.join(tmp, "disk.img")
    make_fat_disk(disk, {"hello.txt": "hello from the fat partition\n"})
    return [QEMU] + BASE + [
        "-display", "none", "-monitor", "none", "-nic", "none",
        "-serial", "file:" + serial_log,
        "-global", "virtio-mmio.force-legacy=false",
        "-chardev", "stdio,id=vc0,signal=off",
        "-device", "virtio-serial-device",
        "-device", "virtconsole,chardev=vc0",
        "-drive", "if=none,id=d0,format=raw,file=" + disk,
        "-device", "virtio-blk-device,drive=d0",
        "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
        "-kernel", os.path.join(build, "Image"),
        "-initrd", os.path.join(build, "initrd.cpio.gz"),
        "-append", "console=ttyAMA0 sysgen.guest=cmdline-name",
    ] + (["-dtb", dtb] if dtb else [])


def named_dtb(argv, tmp, name):
    """QEMU's own DTB for ARGV, plus /chosen/sysgen,guest = NAME."""
    dtb = os.path.join(tmp, "virt.dtb")
    argv = [a for a in argv]
    argv[argv.index("-M") + 1] += ",dumpdtb=" + dtb
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["fdtput", "-t", "s", dtb, "/chosen", "sysgen,guest", name],
                   check=True)
    return dtb


class Tap:
    def __init__(self):
        self.failed = 0

    def check(self, name, cond, evidence=""):
        if cond:
            print("ok - " + name)
        else:
            self.failed += 1
            print("not ok - " + name)
            for line in str(evidence).replace("\r", "").splitlines()[-400:]:
                print("#   " + line)
        sys.stdout.flush()
        return cond


def expect_ready(tap, g, what):
    try:
        g.child.expect(ready_re(g.name))
        tap.check("%s: ready line" % what, True)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        tap.check("%s: ready line" % what, False,
                  "%s\n--- console log ---\n%s" % (type(e).__name__, g.log))
        return False


def modules_check(tap, g, what, names):
    st, out = g.run("cat /proc/modules")
    loaded = {line.split()[0] for line in out.splitlines() if line.strip()}
    missing = [m for m in names if m not in loaded]
    tap.check("%s: modules loaded (%s)" % (what, " ".join(names)),
              st == 0 and not missing,
              "missing: %s\n%s" % (" ".join(missing), out))


def test_bare(tap, build, timeout):
    what = "bare"
    g = Guest(bare_argv(build, "bare0"), timeout, "bare0")
    try:
        if not expect_ready(tap, g, what):
            return
        boot_log = g.log
        g.shell_ready()
        tap.check("%s: init reported no error while booting" % what,
                  "sysgen-init:" not in boot_log, boot_log)
        st, out = g.run("echo $((6*7))")
        tap.check("%s: shell computes 6*7" % what, st == 0 and out.strip() == "42", out)
        st, out = g.run("cat /proc/cmdline")
        tap.check("%s: /proc/cmdline has sysgen.guest=bare0" % what,
                  "sysgen.guest=bare0" in out, out)
        modules_check(tap, g, what, ["virtio_mmio", "virtio_blk", "virtio_net",
                                     "virtio_console", "vsock",
                                     "vmw_vsock_virtio_transport", "vfat"])
        st, out = g.run("rmmod nls_utf8 && modprobe nls_utf8 && grep -c '^nls_utf8 ' /proc/modules")
        tap.check("%s: busybox modprobe uses the carried modules.dep" % what,
                  st == 0 and out.strip() == "1", out)
        st, out = g.run("(sleep 0.2 &); sleep 1; ps -o stat,comm | grep -c '^Z'")
        tap.check("%s: init reaps orphans" % what, out.strip() == "0", out)
        st, out = g.run("set -o | grep monitor")
        tap.check("%s: shell has job control" % what,
                  re.search(r"monitor\s+on", out) is not None, out)
        g.child.sendline("exit")
        g.shell_ready()
        st, out = g.run("echo respawned")
        tap.check("%s: shell respawns after exit" % what,
                  out.strip() == "respawned", g.log[-2000:])
        n = len(ready_re("bare0").findall(g.log.replace("\r\n", "\n")))
        tap.check("%s: ready line printed exactly once" % what, n == 1,
                  "seen %d times\n%s" % (n, g.log))
        g.child.sendline("poweroff")
        try:
            g.child.expect(pexpect.EOF, timeout=30)
            off = True
        except pexpect.TIMEOUT:
            off = False
        tap.check("%s: poweroff stops QEMU" % what,
                  off and "sysgen-init: powering off" in g.log, g.log[-3000:])
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        tap.check("%s: console dialogue" % what, False,
                  "%s\n--- console log ---\n%s" % (type(e).__name__, g.log))
    finally:
        g.close()


def test_fallback(tap, build, timeout):
    """No name given: "unnamed".  A listed module that is absent: logged."""
    what = "fallback"
    tmp = tempfile.mkdtemp(prefix="sysgen-guest-")
    initrd = os.path.join(tmp, "initrd.cpio.gz")
    # A second archive appended to the initramfs replaces the module list.
    extra = newc({"etc/sysgen/modules":
                  b"nosuchmod /lib/modules/none/nosuchmod.ko\n"})
    with open(os.path.join(build, "initrd.cpio.gz"), "rb") as src:
        base = src.read()
    with open(initrd, "wb") as f:
        f.write(base + gzip.compress(extra, mtime=0))
    g = Guest(bare_argv(build, None, initrd), timeout, "unnamed")
    try:
        if not expect_ready(tap, g, what + " (unnamed)"):
            return
        g.shell_ready()
        tap.check("%s: absent module logged, not fatal" % what,
                  "module nosuchmod absent" in g.log, g.log)
        st, out = g.run("echo $((6*7))")
        tap.check("%s: shell computes 6*7" % what, out.strip() == "42", out)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        tap.check("%s: console dialogue" % what, False,
                  "%s\n--- console log ---\n%s" % (type(e).__name__, g.log))
    finally:
        g.close()
        shutil.rmtree(tmp, ignore_errors=True)


def test_virtio(tap, build, timeout):
    what = "virtio"
    tmp = tempfile.mkdtemp(prefix="sysgen-guest-")
    serial = os.path.join(tmp, "serial.log")
    argv = virtio_argv(build, tmp, "dt-name", serial, None)
    try:
        dtb = named_dtb(argv, tmp, "dt-name")
    except (subprocess.CalledProcessError, OSError) as e:
        tap.check("%s: device tree with /chosen/sysgen,guest" % what, False, e)
        return
    argv = virtio_argv(build, tmp, "dt-name", serial, dtb)
    g = Guest(argv, timeout, "dt-name")
    try:
        try:
            g.shell_ready()
            ok = True
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            ok = False
            evidence = type(e).__name__
        serial_text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
        if not tap.check("%s: shell prompt on virtio console" % what, ok,
                         "%s\n--- hvc0 ---\n%s\n--- serial ---\n%s" %
                         ("" if ok else evidence, g.log, serial_text)):
            return
        st, out = g.run("tty")
        tap.check("%s: shell runs on /dev/hvc0" % what, out.strip() == "/dev/hvc0", out)
        serial_text = open(serial, errors="replace").read()
        n = len(ready_re("dt-name").findall(serial_text.replace("\r\n", "\n")))
        tap.check("%s: device-tree name wins, ready line once on console" % what,
                  n == 1, serial_text)
        tap.check("%s: init reported no error" % what,
                  "sysgen-init:" not in serial_text + g.log, serial_text + g.log)
        st, out = g.run("cat /mnt/hello.txt")
        tap.check("%s: FAT partition mounted at /mnt" % what,
                  "hello from the fat partition" in out,
                  out + "\n--- serial ---\n" + serial_text)
        st, out = g.run("ls /sys/class/net")
        tap.check("%s: virtio-net interface eth0" % what, "eth0" in out.split(), out)
        modules_check(tap, g, what, ["virtio_mmio", "virtio_blk", "virtio_net",
                                     "virtio_console", "vfat", "fat",
                                     "vmw_vsock_virtio_transport"])
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        serial_text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
        tap.check("%s: console dialogue" % what, False,
                  "%s\n--- hvc0 ---\n%s\n--- serial ---\n%s" %
                  (type(e).__name__, g.log, serial_text))
    finally:
        g.close()
        shutil.rmtree(tmp, ignore_errors=True)


def bench(build, timeout, runs):
    times = []
    for _ in range(runs):
        g = Guest(bare_argv(build, "bare0"), timeout, "bare0")
        try:
            g.child.expect(ready_re("bare0"))
            times.append(time.monotonic() - g.start)
        except (pexpect.TIMEOUT, pexpect.EOF):
            print("# guest-bare: no ready line\n" + g.log, file=sys.stderr)
            return 1
        finally:
            g.close()
    print("guest-bare: qemu start to ready line: %.3f s (median of %d: %s)" %
          (statistics.median(times), runs, " ".join("%.3f" % t for t in times)))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["test", "bench"])
    ap.add_argument("--build", default="build/guest")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.action == "bench":
        return bench(a.build, a.timeout, a.runs)
    tap = Tap()
    test_bare(tap, a.build, a.timeout)
    test_virtio(tap, a.build, a.timeout)
    test_fallback(tap, a.build, a.timeout)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
