#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""uboot_booti.py IMAGE TIMEOUT EXPECT...: boot IMAGE the way the
MaaXBoard's U-Boot would, with `booti`, under Debian's U-Boot for QEMU
(which runs at EL2 like the board's), and wait for each EXPECT regex on
the console in turn; an EXPECT starting with '+' need only have appeared
somewhere by the end.  Prints TAP lines; the console log on failure."""
import os
import re
import sys

import pexpect

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
LOAD = 0x44000000  # where QEMU puts the file; booti moves it to RAM + text_offset


def main():
    image, timeout, expects = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    argv = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
            "-cpu", "cortex-a53", "-smp", os.environ.get("QEMU_SMP", "1"), "-m", "2048M", "-nographic", "-semihosting", "-nic", "none",
            "-global", "virtio-mmio.force-legacy=false", "-bios", UBOOT,
            "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, LOAD)]
    log = []

    class Log:
        def write(self, s):
            log.append(s)

        def flush(self):
            pass

    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          timeout=timeout)
    child.logfile_read = Log()
    failed = 0
    steps = [("U-Boot stops at its prompt", None),
             ("booti moves the image to RAM + text_offset and starts it",
              r"Moving Image from 0x%x to 0x40080000" % LOAD)]
    steps += [("console shows /%s/" % e, e) for e in expects if not e.startswith("+")]
    anywhere = [e[1:] for e in expects if e.startswith("+")]
    try:
        child.expect("Hit any key to stop autoboot")
        child.send(" ")
        child.expect("=> ")
        print("ok - u-boot: " + steps[0][0])
        child.sendline("booti 0x%x - ${fdtcontroladdr}" % LOAD)
        for what, regex in steps[1:]:
            child.expect(regex)
            print("ok - u-boot: " + what)
        for regex in anywhere:
            if re.search(regex, "".join(log)):
                print("ok - u-boot: console showed /%s/" % regex)
            else:
                print("not ok - u-boot: console showed /%s/" % regex)
                failed = 1
    except (pexpect.TIMEOUT, pexpect.EOF):
        print("not ok - u-boot: a step did not happen in %d s" % timeout)
        failed = 1
    finally:
        if failed:
            print("".join("#   " + line + "\n" for line in "".join(log).splitlines()))
        child.terminate(force=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
