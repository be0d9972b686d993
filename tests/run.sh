#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Test driver: runs each suite (an executable printing TAP lines "ok ..." /
# "not ok ..."), keeps its output under build/test-logs/, and ends with the
# one summary line CI reads: "N passed, N failed".  A check a machine
# cannot run prints "skip - WHAT: WHY": shown and counted apart, never as
# passed.
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
passed=0 failed=0 skipped=0
for suite in "$@"; do
  name=$(basename "$suite" .sh)
  log="$logs/$name.log"
  echo "== $name"
  "$suite" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$log")
  f=$(grep -c '^not ok ' "$log")
  s=$(grep -c '^skip ' "$log")
  grep -E '^((not )?ok|skip) ' "$log" | sed 's/^/   /'
  if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
    if [ "$f" -eq 0 ]; then
      echo "   not ok $name: suite exited $rc without reporting a failure"
      f=1
    fi
    echo "   --- $log (last 60 lines) ---"
    tail -n 60 "$log" | sed 's/^/   | /'
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "   not ok $name: suite ran no test"
    f=1
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
[ "$skipped" -gt 0 ] && echo "$skipped skipped (not counted as passed; see the skip lines)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
