# SPDX-License-Identifier: BSD-2-Clause
# Helpers for shell test suites: TAP output that tests/run.sh counts.
# Each check is one "ok"/"not ok" line; on failure the evidence follows.
SYSGEN=${SYSGEN:-build/bin/sysgen}
PY=/usr/bin/python3
ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
skip()   { echo "skip - $*"; }      # a check this machine cannot run: never counted as passed
# check NAME CMD...: run CMD; ok if it exits 0, else not ok with its output.
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
# system_cores OUT: the cores a system built into OUT uses (its manifest's
# "cores"), for QEMU's -smp when a test starts QEMU itself.
system_cores() {
  sed -n 's/^  "cores": \([0-9]*\),$/\1/p' "$1/generated/manifest.json"
}
