# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# Bad input for the image linker: each case must fail with exit code 1, an
# error at the right file and line naming the culprit, and no image.
# Sourced by tests/suites/30-runtime.sh after tests/runtime/lib.sh.

# rt_bad SDF: the SDF says what it expects in a comment
#   <!-- expect: error: MESSAGE -->
# and marks the line the error must point at with <!-- here -->.
rt_bad() {
  local sdf=$1 name out line msg err rc
  name=$(basename "$sdf" .system)
  out=$RT_OUT/bad/$name
  line=$(grep -n '<!-- here -->' "$sdf" | cut -d: -f1)
  msg=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$sdf")
  rm -rf "$out"
  err=$(rt_sysgen "$sdf" "$out" 2>&1)
  rc=$?
  if [ "$rc" -eq 1 ] && printf '%s\n' "$err" | grep -F -- "$sdf:$line:" | grep -qF -- "$msg" &&
     [ ! -e "$out/loader.img" ]; then
    ok "link error $name: exit 1, '$msg' at line $line, no image"
  else
    not_ok "link error $name: exit 1, '$msg' at line $line, no image"
    echo "#   exit code $rc; output:"
    printf '%s\n' "$err" | sed 's/^/#   /'
    [ -e "$out/loader.img" ] && echo "#   and $out/loader.img was written"
  fi
}

for sdf in tests/runtime/bad/*.system; do
  rt_bad "$sdf"
done

# Broken program images, made from a good one at test time.
elfdir=$RT_OUT/bad-elf
rm -rf "$elfdir" && mkdir -p "$elfdir"
good=$RT_COMPONENTS/tests/hello.elf
bad_elf_case() { # NAME EXPECT: an SDF whose only PD runs $elfdir/NAME.elf
  cat >"$elfdir/$1.system" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- expect: $2 -->
<system>
    <protection_domain name="p">
        <program_image path="$1.elf" /> <!-- here -->
    </protection_domain>
</system>
XML
  rt_bad "$elfdir/$1.system"
}
echo "this is not an ELF file at all" >"$elfdir/not-elf.elf"
bad_elf_case not-elf "error: program image '$elfdir/not-elf.elf' of protection domain 'p': not an ELF file"
head -c 40 "$good" >"$elfdir/truncated-header.elf"
bad_elf_case truncated-header "truncated ELF header"
head -c 300 "$good" >"$elfdir/truncated.elf"
bad_elf_case truncated "lies past the end of the file (truncated?)"
cp "$good" "$elfdir/oversized.elf" && truncate -s 100M "$elfdir/oversized.elf"
bad_elf_case oversized "oversized ELF (104857600 bytes, the limit is 67108864)"
cp /bin/true "$elfdir/x86.elf"
bad_elf_case x86 "not an AArch64 ELF (e_machine 62)"
# Second program header's p_memsz (offset 64 + 56 + 40) set to 1 GiB.
cp "$good" "$elfdir/huge-bss.elf"
printf '\x00\x00\x00\x40\x00\x00\x00\x00' |
  dd of="$elfdir/huge-bss.elf" bs=1 seek=$((64 + 56 + 40)) conv=notrunc status=none
bad_elf_case huge-bss "segment 1 is oversized (0x40000000 bytes in memory)"
# e_entry (offset 24) moved into the data segment.
cp "$good" "$elfdir/bad-entry.elf"
printf '\x00\x20\x20\x00\x00\x00\x00\x00' |
  dd of="$elfdir/bad-entry.elf" bs=1 seek=24 conv=notrunc status=none
bad_elf_case bad-entry "entry point 0x202000 is not in an executable segment"
