#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The MaaXBoard image, checked as far as can be done without the board
# (QEMU has no i.MX8M machine; the drivers' register logic is tested
# against QEMU's i.MX models and host models in 34-imx): the system links
# with the board's own drivers into a loader.img U-Boot's booti takes, with
# the board's facts in its boot info, every byte of it placed in the
# board's RAM and nowhere the image itself sits; the card carries it.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
BUILD=${BUILD:-build}
W=$BUILD/maaxboard-test
rm -rf "$W"; mkdir -p "$W"
YAML=systems/maaxboard_two_guests.yaml
show() { sed 's/^/#   /' "$1"; }

make -s BUILD="$BUILD" runtime guest >"$W/make.log" 2>&1 || { not_ok "maaxboard: components and guest build"; show "$W/make.log"; exit 1; }
if "$SYSGEN" -o "$W/out" "$YAML" >"$W/build.log" 2>&1 && [ -s "$W/out/loader.img" ] &&
   [ -s "$W/out/sdcard.img" ] && ! grep -q warning "$W/build.log"; then
  ok "maaxboard: $YAML links with the i.MX drivers into loader.img and sdcard.img"
else
  not_ok "maaxboard: $YAML links with the i.MX drivers into loader.img and sdcard.img"
  show "$W/build.log"; exit 1
fi
"$PY" tests/tools/check_loader.py boards/maaxboard/board.yaml "$W/out/loader.img" \
  "$W/out/loader.map" | sed 's/^\(\(not \)\?ok - \)/\1maaxboard: /'

# Same YAML, same bytes: the image and the map (which names OUT, not the
# staging directory) again.
cp "$W/out/loader.img" "$W/loader.first"; cp "$W/out/loader.map" "$W/map.first"
"$SYSGEN" -o "$W/out" "$YAML" >"$W/again.log" 2>&1
check "maaxboard: building again gives the same loader.img and loader.map" \
  cmp "$W/loader.first" "$W/out/loader.img" && cmp "$W/map.first" "$W/out/loader.map"

# The card: U-Boot's boot script and this loader.img in partition 1, at
# the board's first partition offset (8 MiB: U-Boot and its environment
# live below).
start=$("$PY" -c 'import struct,sys; print(struct.unpack_from("<I", open(sys.argv[1], "rb").read(512), 454)[0])' "$W/out/sdcard.img")
check "maaxboard: the card's partition 1 starts at 8 MiB" test "${start:-0}" -eq 16384
mcopy -n -i "$W/out/sdcard.img@@$((start * 512))" ::/loader.img "$W/loader.card" 2>"$W/mcopy.log"
check "maaxboard: the card's boot partition holds this loader.img" cmp "$W/loader.card" "$W/out/loader.img"
mcopy -n -i "$W/out/sdcard.img@@$((start * 512))" ::/boot.scr "$W/boot.scr" 2>>"$W/mcopy.log"
check "maaxboard: boot.scr is a U-Boot script that loads loader.img and boots it with booti" \
  sh -c "mkimage -l '$W/boot.scr' | grep -q 'Script' && grep -aq 'load .*loader.img' '$W/boot.scr' && grep -aq '^booti ' '$W/boot.scr'"
