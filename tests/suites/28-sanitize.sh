#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The host compiler under AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer: the unit, error and golden suites again,
# against a sanitized build; any report fails the run.
cd "$(dirname "$0")/../.."
export BUILD=build/asan
export SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if ! make -s BUILD=$BUILD SAN="$SAN" sysgen unit-tests >/dev/null 2>build/asan-build.log; then
  echo "not ok - sanitized build"; cat build/asan-build.log; exit 1
fi
export SYSGEN=$BUILD/bin/sysgen
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:exitcode=99
rc=0
for suite in 10-unit 20-errors 25-golden; do
  tests/suites/$suite.sh > "$BUILD/$suite.log" 2>&1 || rc=1
  sed -E 's/^((not )?ok( [0-9]+)? - )/\1[asan+ubsan] /;t;d' "$BUILD/$suite.log"
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$BUILD/$suite.log"; then
    echo "not ok - [asan+ubsan] $suite: sanitizer report"
    grep -B2 -A20 -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$BUILD/$suite.log" | head -60 | sed 's/^/#   /'
    rc=1
  fi
done
exit $rc
