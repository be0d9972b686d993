#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Golden files: every systems/*.yaml compiles to exactly the committed text
# files and binary hashes.  `make golden` refreshes them, by hand only.
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/golden/common.sh
while read -r name yaml opts; do
  out=build/golden-check/$name
  # shellcheck disable=SC2086
  if ! log=$(golden_build "$yaml" "$out" $opts 2>&1); then
    not_ok "golden: $name builds"; printf '%s\n' "$log" | sed 's/^/#   /'; continue
  fi
  ok "golden: $name builds"
  want=$(cd "tests/golden/$name" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
  have=$(golden_text_files "$out")
  if [ "$want" != "$have" ]; then
    not_ok "golden: $name has the same files"
    diff <(echo "$want") <(echo "$have") | sed 's/^/#   /'
  else
    ok "golden: $name has the same files"
  fi
  for f in $have; do
    if [ -f "tests/golden/$name/$f" ] && cmp -s "tests/golden/$name/$f" "$out/$f"; then
      ok "golden: $name/$f"
    else
      not_ok "golden: $name/$f"
      diff -u "tests/golden/$name/$f" "$out/$f" 2>&1 | head -40 | sed 's/^/#   /'
    fi
  done
  golden_binaries "$out" "$name" | while read -r sum path; do
    if grep -qx "$sum  $path" tests/golden/binaries.sha256; then
      ok "golden: sha256 of $path"
    else
      not_ok "golden: sha256 of $path"
      echo "#   expected: $(grep "  $path\$" tests/golden/binaries.sha256)"
      echo "#   got:      $sum  $path"
    fi
  done
done < <(golden_cases)
