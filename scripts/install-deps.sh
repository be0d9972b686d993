#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Installs every Debian package that building and testing sysgen needs.
# Why each is here: docs/dependencies.md.
set -eu
PKGS="make gcc pkg-config libc6-dev libyaml-dev libfdt-dev libelf-dev libxml2-dev libssl-dev
      libcmocka-dev device-tree-compiler dosfstools mtools libxml2-utils
      python3 python3-jsonschema python3-pexpect python3-yaml cpio kmod
      gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
      qemu-system-arm u-boot-qemu ca-certificates gcc-arm-none-eabi
      u-boot-tools"
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -z "$missing" ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "sysgen needs these Debian packages:$missing" >&2
  echo "run as root: apt-get install --no-install-recommends$missing" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
