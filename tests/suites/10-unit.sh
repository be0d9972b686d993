#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# cmocka unit tests of every pass, TAP output.
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make -s BUILD="$BUILD" SAN="${SAN:-}" unit-tests >/dev/null || { echo "not ok - unit tests build"; exit 1; }
rc=0
for t in "$BUILD"/tests/unit/test_*; do
  CMOCKA_MESSAGE_OUTPUT=TAP "$t" || rc=1
done
exit $rc
