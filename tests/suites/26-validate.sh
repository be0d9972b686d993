#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The generated artefacts, judged by the tools people would use on them:
# xmllint (SDF schema), dtc and fdtoverlay (device trees), fsck.fat and
# mtools (disk), python3-jsonschema (YAML schema); and the config headers
# compiled and compared with the bytes sysgen writes.
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/golden/common.sh
work=build/validate
rm -rf "$work"; mkdir -p "$work"

# --- the YAML schema --------------------------------------------------------
$PY tests/tools/check_schema.py validate systems/*.yaml
# It must also reject what it can see is wrong (not a schema that says yes).
$PY tests/tools/check_schema.py reject tests/errors/unknown-key.yaml \
  tests/errors/wrong-type.yaml tests/errors/missing-field.yaml tests/errors/bad-size.yaml \
  tests/errors/malformed-mac.yaml tests/errors/cid-reserved.yaml tests/errors/bad-name.yaml \
  tests/errors/too-many-partitions.yaml tests/errors/unknown-key-console.yaml
"$SYSGEN" --yaml-reference > "$work/reference.txt"
$PY tests/tools/check_schema.py keys "$work/reference.txt"

for yaml in systems/*.yaml; do
  name=$(basename "$yaml" .yaml)
  out=$work/$name
  check "$name: builds" golden_build "$yaml" "$out"
  gen=$out/generated

  # --- SDF -------------------------------------------------------------------
  check "$name: system.sdf is valid SDF (xmllint --schema)" \
    xmllint --noout --schema schemas/sdf.xsd "$gen/system.sdf"

  # --- device trees -----------------------------------------------------------
  board=$(sed -n 's/^board: *//p' "$yaml")
  dtc -q -I dts -O dtb -o "$work/$name-base.dtb" "boards/$board/guest-base.dts"
  for dts in "$gen"/guests/*.overlay.dts; do
    g=$(basename "$dts" .overlay.dts)
    check "$name/$g: dtb decompiles cleanly (dtc)" \
      sh -c "dtc -I dtb -O dts -o /dev/null '$gen/guests/$g.dtb' 2>&1 | (! grep -i error)"
    dtc -q -I dtb -O dts -o "$work/$g.from-dtbo.dts" "$gen/guests/$g.dtbo"
    dtc -q -I dts -O dts -o "$work/$g.from-dts.dts" "$dts"
    check "$name/$g: .dtbo is what .overlay.dts says" \
      diff "$work/$g.from-dts.dts" "$work/$g.from-dtbo.dts"
    fdtoverlay -i "$work/$name-base.dtb" -o "$work/$g.fdtoverlay.dtb" "$gen/guests/$g.dtbo"
    check "$name/$g: fdtoverlay gives the same DTB" cmp "$work/$g.fdtoverlay.dtb" "$gen/guests/$g.dtb"
    check "$name/$g: DTB names its guest" \
      test "$(fdtget "$gen/guests/$g.dtb" /chosen sysgen,guest)" = "$g"
    check "$name/$g: DTB keeps the base GIC" \
      test "$(fdtget "$gen/guests/$g.dtb" /interrupt-controller@8000000 compatible)" = "arm,gic-v3"
  done

  # --- disk image ---------------------------------------------------------------
  if ! parts=$($PY tests/tools/check_disk.py "$out" 2>&1); then
    not_ok "$name: MBR matches the manifest"; printf '%s\n' "$parts" | sed 's/^/#   /'; continue
  fi
  ok "$name: MBR matches the manifest"
  image=$out/$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["disk"]["image"])' \
                 "$gen/manifest.json")
  while read -r idx start size label; do
    dd if="$image" of="$work/part$idx.img" bs=1M iflag=skip_bytes,count_bytes \
      skip="$start" count="$size" status=none
    check "$name: partition $idx passes fsck.fat" fsck.fat -n "$work/part$idx.img"
    check "$name: partition $idx has label $label (mtools)" \
      sh -c "MTOOLS_SKIP_CHECK=1 mlabel -s -i '$image@@$start' :: | grep -qx ' *Volume label is $label *'"
  done <<< "$parts"
done

# The file single_guest.yaml copies in is there, byte for byte.
check "single_guest: hello.txt copied in (mtools)" \
  sh -c "MTOOLS_SKIP_CHECK=1 mtype -i $work/single_guest/disk.img@@1M ::/hello.txt | cmp - systems/files/hello.txt"

# --- determinism: same input, same bytes (whatever the files' mtimes) -------
golden_build systems/two_guests.yaml "$work/again-1" >/dev/null 2>&1
touch systems/files/hello.txt systems/two_guests.yaml
sleep 1
golden_build systems/two_guests.yaml "$work/again-2" >/dev/null 2>&1
check "two runs are byte-identical" diff -r "$work/again-1" "$work/again-2"

# --- every device the YAML asks for is in the guest's tree --------------------
dtb=$work/two_guests/generated/guests/linux0.dtb
check "two_guests: linux0 has its console" fdtget "$dtb" /virtio_mmio@a000000 compatible
check "two_guests: linux0 has its disk" fdtget "$dtb" /virtio_mmio@a000200 compatible
check "two_guests: linux0 has its NIC" fdtget "$dtb" /virtio_mmio@a000400 compatible
check "two_guests: linux0 has its vsock device" fdtget "$dtb" /virtio_mmio@a000600 compatible

# --- config ABI: the header is the bytes (two_guests has every PD kind) ------------
gen=$work/two_guests/generated
for h in "$gen"/include/*.h; do
  pd=$(basename "$h" .h)
  cat > "$work/dump_$pd.c" <<C
#include <stdio.h>
#include "$pd.h"
int main(void)
{
    const unsigned char *p = (const unsigned char *)&${pd}_config;
    for (size_t i = 0; i < sizeof(${pd}_config); i++)
        printf("%02x%s", p[i], (i + 1) % 16 == 0 ? "\n" : " ");
    if (sizeof(${pd}_config) % 16)
        putchar('\n');
    return 0;
}
C
  if gcc -std=c11 -Wall -Werror -Iinclude -I"$gen/include" -o "$work/dump_$pd" "$work/dump_$pd.c" &&
     aarch64-linux-gnu-gcc -std=c11 -ffreestanding -Wall -Werror -Iinclude -I"$gen/include" \
       -c -o /dev/null "$work/dump_$pd.c"; then
    "$work/dump_$pd" > "$work/$pd.from-header"
    "$SYSGEN" --guest-dir tests/fixtures/guest --dump-config "$pd" systems/two_guests.yaml > "$work/$pd.from-sysgen"
    check "config ABI: include/$pd.h is the bytes sysgen writes" \
      cmp "$work/$pd.from-header" "$work/$pd.from-sysgen"
  else
    not_ok "config ABI: include/$pd.h compiles for host and aarch64"
  fi
done

# --- a user's own base device tree ---------------------------------------------
if "$SYSGEN" --guest-dir tests/fixtures/guest -o "$work/custom" tests/fixtures/custom_base.yaml; then
  dtb=$work/custom/generated/guests/mine.dtb
  check "base_dts: the user's tree is the base" \
    test "$(fdtget "$dtb" / model)" = "my own guest board"
  check "base_dts: the user's node is kept" \
    test "$(fdtget "$dtb" /my-device@9100000 compatible)" = "example,my-device"
  check "base_dts: sysgen's overlay is applied on top" \
    test "$(fdtget "$dtb" /chosen sysgen,guest)" = "mine"
else
  not_ok "base_dts: builds"
fi
