#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds the default sysgen Linux guest from Debian arm64 packages:
#   OUT/Image            raw arm64 kernel Image (from linux-image-*-arm64)
#   OUT/initrd.cpio.gz   newc initramfs: INIT as /init, busybox-static and
#                        the kernel modules the guest needs, with their deps
# Usage: guest/build-guest.sh OUT INIT
# Downloads only with apt-get, into OUT/cache; once cached it runs offline.
# Set GUEST_REFRESH=1 to fetch the current Debian versions again.
# Output is byte-for-byte reproducible for the same .debs, INIT and
# SOURCE_DATE_EPOCH (default: time of the last commit touching guest/).
set -euo pipefail

out=${1:?usage: build-guest.sh OUT INIT}
init=${2:?usage: build-guest.sh OUT INIT}
cache=$out/cache
here=$(cd "$(dirname "$0")" && pwd)

# Modules the guest loads, in this order (each after its dependencies).
MODULES=${GUEST_MODULES:-"virtio_mmio virtio_console virtio_blk virtio_net vsock
  vmw_vsock_virtio_transport vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1"}
# busybox applets that get a symlink (run `busybox --install -s` for all).
APPLETS="sh ash cat chmod cp date dd df dmesg echo env false free grep head
  hostname kill less ln ls mkdir mknod more
  mount mv ping ps pwd rm rmdir sed seq sleep sort stat
  stty sync tail tee test top touch tr true umount uname uptime vi wc which
  awk basename cut dirname du find hexdump od printf readlink realpath xargs"
SBIN_APPLETS="modprobe insmod rmmod lsmod halt poweroff reboot ifconfig ip"

die() { echo "build-guest: $*" >&2; exit 1; }

# Host tools, by the Debian package that provides each.
need_tools() {
  local missing="" tool pkg
  for tool in apt-get:apt dpkg-deb:dpkg cpio:cpio gzip:gzip depmod:kmod; do
    pkg=${tool#*:}; tool=${tool%%:*}
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-guest: missing host packages:$missing; run as root:" >&2
    echo "  apt-get install --no-install-recommends$missing" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

# The newest cached .deb matching a glob, or nothing.
cached() {
  local f last=""
  for f in "$cache"/$1; do [ -e "$f" ] && last=$f; done
  echo "$last"
}

# Make apt know the arm64 packages (root), or say exactly how to.
ensure_arm64_lists() {
  if dpkg --print-foreign-architectures | grep -qx arm64 &&
     apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-guest: apt does not know the arm64 packages; run as root:" >&2
    echo "  dpkg --add-architecture arm64 && apt-get update" >&2
    exit 1
  fi
  dpkg --add-architecture arm64
  apt-get update
}

download() {
  ensure_arm64_lists
  local kpkg
  kpkg=$(apt-cache depends linux-image-arm64:arm64 |
         sed -n 's/^ *Depends: \(linux-image-[^ ]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
  [ -n "$kpkg" ] || die "cannot resolve the kernel package behind linux-image-arm64:arm64"
  echo "build-guest: downloading $kpkg:arm64 busybox-static:arm64 into $cache"
  local tmp=$cache/.download
  rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$kpkg:arm64" busybox-static:arm64)
  rm -f "$cache"/*.deb
  mv "$tmp"/*.deb "$cache"/
  rmdir "$tmp"
}

export PATH=$PATH:/usr/sbin:/sbin
need_tools
[ -x "$init" ] || die "init binary $init not found (make guest-init)"
mkdir -p "$cache"
kdeb=$(cached 'linux-image-*-arm64_*_arm64.deb')
bdeb=$(cached 'busybox-static_*_arm64.deb')
if [ "${GUEST_REFRESH:-0}" = 1 ] || [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
  download
  kdeb=$(cached 'linux-image-*-arm64_*_arm64.deb')
  bdeb=$(cached 'busybox-static_*_arm64.deb')
fi
if [ -z "$kdeb" ] || [ -z "$bdeb" ]; then die "download left no .deb in $cache"; fi
for d in "$kdeb" "$bdeb"; do
  echo "build-guest: using $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version)"
done

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct -- . 2>/dev/null || true)
  [ -n "$SOURCE_DATE_EPOCH" ] ||
    echo "build-guest: no git history for guest/; SOURCE_DATE_EPOCH=0" >&2
fi
: "${SOURCE_DATE_EPOCH:=0}"
export SOURCE_DATE_EPOCH
echo "build-guest: SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"

work=$out/work
rm -rf "$work"
mkdir -p "$work/kernel" "$work/busybox"
dpkg-deb -x "$kdeb" "$work/kernel"
dpkg-deb -x "$bdeb" "$work/busybox"

# --- kernel Image -----------------------------------------------------------
set -- "$work"/kernel/boot/vmlinuz-*
[ -f "$1" ] || die "$kdeb has no /boot/vmlinuz-*"
vmlinuz=$1
kver=${vmlinuz##*/vmlinuz-}
if [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
  gzip -dc "$vmlinuz" >"$work/Image"
else
  cp "$vmlinuz" "$work/Image"
fi
magic=$(dd if="$work/Image" bs=1 skip=56 count=4 status=none | od -An -tx1 | tr -d ' \n')
[ "$magic" = 41524d64 ] || die "$vmlinuz: no arm64 Image magic at 0x38 (got $magic)"

# --- module load order, from a modules.dep made by depmod --------------------
mods=$work/kernel/lib/modules/$kver
depmod -b "$work/kernel" "$kver"
[ -s "$mods/modules.dep" ] || die "depmod made no modules.dep"
# Depth-first over modules.dep: every module comes after all it depends on.
order=$(awk -v want="$MODULES" '
  function key(p) { sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p); gsub(/-/, "_", p); return p }
  function visit(m,   n, i, d) {
    if (m in done) return
    done[m] = 1
    n = split(deps[m], d, " ")
    for (i = n; i >= 1; i--) visit(key(d[i]))
    print m, path[m]
  }
  { f = $1; sub(/:$/, "", f); k = key(f); path[k] = f
    deps[k] = ""; for (i = 2; i <= NF; i++) deps[k] = deps[k] " " $i }
  END { n = split(want, w, /[ \n]+/)
        for (i = 1; i <= n; i++) { k = key(w[i]); if (k == "") continue
          if (!(k in path)) { print "missing", w[i] > "/dev/stderr"; continue }
          visit(k) } }' "$mods/modules.dep")
[ -n "$order" ] || die "no module of the list is in $kver"

# --- initramfs tree ----------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/sysgen,proc,sys,mnt,tmp,root,lib/modules/"$kver"}
install -m 0755 "$init" "$root/init"
install -m 0755 "$work/busybox/bin/busybox" "$root/bin/busybox"
for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
# The kernel runs /sbin/modprobe for request_module(); the rest is habit.
for a in $SBIN_APPLETS; do ln -s ../bin/busybox "$root/sbin/$a"; done
{
  echo "# sysgen guest modules for $kver, in load order: NAME PATH"
  while read -r name rel; do
    mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
    cp "$mods/$rel" "$root/lib/modules/$kver/$rel"
    echo "$name /lib/modules/$kver/$rel"
  done <<<"$order"
} >"$root/etc/sysgen/modules"
# A modules.dep restricted to what is carried, so busybox modprobe works.
(cd "$root/lib/modules/$kver" && find kernel -name '*.ko' | sort) >"$work/carried"
awk 'NR == FNR { have[$1] = 1; next } { f = $1; sub(/:$/, "", f) } f in have' \
  "$work/carried" "$mods/modules.dep" >"$root/lib/modules/$kver/modules.dep"
cat >"$root/etc/profile" <<'EOF'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
EOF
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f ! -perm -u+x -exec chmod 0644 {} +
chmod 0700 "$root/root"; chmod 1777 "$root/tmp"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# newc header for one entry without data (directory or device node).
newc() { # name mode rdevmajor rdevminor ino
  local name=$1 n=$((${#1} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
    "$5" "$2" 0 0 1 "$SOURCE_DATE_EPOCH" 0 0 0 "$3" "$4" "$n" 0 "$name"
  # header (110 bytes) + name is padded to a multiple of 4
  head -c $(((4 - (110 + n) % 4) % 4)) /dev/zero
}
# First a tiny archive with /dev/console, so the kernel can give init a
# console (making device nodes in the tree would need root); then the tree.
{
  newc dev $((0040755)) 0 0 1
  newc dev/console $((0020600)) 5 1 2
  newc 'TRAILER!!!' 0 0 0 0
  (cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
     cpio --quiet -o -H newc -R 0:0 --reproducible)
} | gzip -9 -n >"$work/initrd.cpio.gz"

mv "$work/Image" "$out/Image"
mv "$work/initrd.cpio.gz" "$out/initrd.cpio.gz"
echo "build-guest: kernel $kver; modules: $(awk '{printf "%s ", $1}' <<<"$order")"
stat -c 'build-guest: %s bytes %n' "$out/Image" "$out/initrd.cpio.gz"
rm -rf "$work"
