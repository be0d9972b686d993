#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""uboot_card.py CARD TIMEOUT SYSTEM GUEST...: boot a card that `sysgen
--sdcard` wrote the way the board would: Debian's U-Boot for QEMU
(-bios, at EL2 like the MaaXBoard's) with CARD as the only disk, and
nothing else: U-Boot's own distro boot must find boot.scr on partition 1,
load loader.img and booti it.  Then each GUEST must reach ready, have its
partition of the card mounted on /mnt, and write /mnt/CARD.TXT there
(the suite reads it back from the card file).  Prints TAP lines; the
console log on failure."""
import os
import re
import sys

import pexpect

UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
SWITCH = "\x1c"  # Ctrl-\, serial_virt_rx's switch character


def tagged(guest, text):
    return r"\[%s\] %s\r*\n" % (re.escape(guest), text)


def main():
    card, timeout, system, guests = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
    argv = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
            "-cpu", "cortex-a53", "-smp", os.environ.get("QEMU_SMP", "1"), "-m", "2048M", "-nographic", "-semihosting", "-nic", "none",
            "-global", "virtio-mmio.force-legacy=false", "-bios", UBOOT,
            "-drive", "if=none,id=disk,format=raw,file=%s" % card,
            "-device", "virtio-blk-device,drive=disk"]
    log = []

    class Log:
        def write(self, s):
            log.append(s)

        def flush(self):
            pass

    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          timeout=timeout, dimensions=(50, 400))
    child.logfile_read = Log()
    steps = [("U-Boot's distro boot finds boot.scr on the card's partition 1",
              r"Scanning virtio 0:1\.\.\.\s+Found U-Boot script /boot\.scr"),
             ("the script loads loader.img from that partition",
              r"sysgen: booting %s from virtio 0:1\s+\d+ bytes read" % re.escape(system)),
             ("booti moves the image to RAM + text_offset and starts it",
              r"Moving Image from 0x50000000 to 0x40080000"),
             ("the kernel starts at EL2", r"KERN\|INFO: sysgen kernel at EL2")]
    failed = False
    try:
        for what, regex in steps:
            child.expect(regex)
            print("ok - card: " + what, flush=True)
        pending = list(guests)
        while pending:
            i = child.expect([tagged(g, "sysgen-guest %s: ready" % g) for g in pending])
            print("ok - card: guest %s reaches ready" % pending.pop(i), flush=True)
        for n, g in enumerate(guests):
            child.send(SWITCH + str(n))
            child.sendline("mount | grep ' /mnt '; echo card-ok-%s > /mnt/CARD.TXT; sync; "
                           "echo wrote-$((1+1))" % g)
            child.expect(tagged(g, r"/dev/vda on /mnt type vfat[^\r\n]*"))
            child.expect(tagged(g, "wrote-2"))
            print("ok - card: guest %s has its card partition on /mnt and wrote to it" % g,
                  flush=True)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        print("not ok - card: a step did not happen (%s after %d s)"
              % (type(e).__name__, timeout), flush=True)
        failed = True
    finally:
        if failed:
            print("".join("#   " + line + "\n" for line in "".join(log).splitlines()))
        child.terminate(force=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
