#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The error catalogue: one bad YAML per rule, each with the exact messages
# and positions expected (tests/errors/NAME.expected) and exit status 1.
cd "$(dirname "$0")/../.."
. tests/lib.sh
for yaml in tests/errors/*.yaml; do
  name=$(basename "$yaml" .yaml)
  expected="tests/errors/$name.expected"
  got=$("$SYSGEN" --guest-dir tests/fixtures/guest --check "$yaml" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -eq 1 ] && [ "$got" = "$(cat "$expected")" ]; then
    ok "error: $name"
  else
    not_ok "error: $name (exit $rc)"
    diff <(cat "$expected") <(printf '%s\n' "$got") | sed 's/^/#   /'
  fi
done

# Invalid input writes nothing, not even the output directory's contents.
out=$(mktemp -d)
"$SYSGEN" --guest-dir tests/fixtures/guest -o "$out/sys" tests/errors/several-errors.yaml 2>/dev/null
if [ "$?" -eq 1 ] && [ -z "$(ls -A "$out/sys" 2>/dev/null)" ]; then
  ok "invalid input leaves no output"
else
  not_ok "invalid input leaves no output"; ls -laR "$out" | sed 's/^/#   /'
fi

# A run that fails half-way (mkfs.fat missing) keeps the previous output
# as it was and leaves no staging files behind.
"$SYSGEN" --guest-dir tests/fixtures/guest -o "$out/ok" systems/single_guest.yaml
before=$(cd "$out/ok" && find . -type f | sort | xargs sha256sum)
mkdir "$out/bin"
for t in dtc mcopy; do ln -s "$(command -v $t)" "$out/bin/$t"; done
sed 's/memory: 256 MiB/memory: 128 MiB/' systems/single_guest.yaml > systems/.changed.yaml
PATH="$out/bin" "$SYSGEN" --guest-dir tests/fixtures/guest -o "$out/ok" systems/.changed.yaml \
  > "$out/log" 2>&1
rc=$?
rm -f systems/.changed.yaml
after=$(cd "$out/ok" && find . -type f | sort | xargs sha256sum)
if [ "$rc" -eq 2 ] && [ "$before" = "$after" ] && grep -q "cannot run mkfs.fat" "$out/log" &&
   [ -z "$(ls -A "$out" "$out/ok" | grep sysgen-)" ]; then
  ok "a failed run keeps the previous output whole"
else
  not_ok "a failed run keeps the previous output whole (exit $rc)"; sed 's/^/#   /' "$out/log"
  diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'
fi

# Usage errors exit 2.
"$SYSGEN" >/dev/null 2>&1; rc1=$?
"$SYSGEN" --no-such-option x.yaml >/dev/null 2>&1; rc2=$?
"$SYSGEN" a.yaml b.yaml >/dev/null 2>&1; rc3=$?
if [ "$rc1$rc2$rc3" = 222 ]; then ok "usage errors exit 2"; else not_ok "usage errors exit 2 ($rc1 $rc2 $rc3)"; fi
"$SYSGEN" --help | grep -q -- "--check" && ok "--help documents --check" || not_ok "--help documents --check"
rm -rf "$out"
