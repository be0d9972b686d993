#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make golden`: regenerate tests/golden/ from systems/*.yaml.  Run it by
# hand after a change you meant, then read `git diff tests/golden` before
# committing: that diff is what your change does to every example system.
set -eu
cd "$(dirname "$0")/../.."
SYSGEN=${SYSGEN:-build/bin/sysgen}
. tests/golden/common.sh
: > tests/golden/binaries.sha256.new
golden_cases | while read -r name yaml opts; do
  out=build/golden/$name
  # shellcheck disable=SC2086
  golden_build "$yaml" "$out" $opts 2>/dev/null
  rm -rf "tests/golden/$name"
  mkdir -p "tests/golden/$name"
  golden_text_files "$out" | while read -r f; do
    mkdir -p "tests/golden/$name/$(dirname "$f")"
    cp "$out/$f" "tests/golden/$name/$f"
  done
  golden_binaries "$out" "$name" >> tests/golden/binaries.sha256.new
done
mv tests/golden/binaries.sha256.new tests/golden/binaries.sha256
echo "golden files updated: review with 'git diff tests/golden'"
