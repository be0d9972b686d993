# SPDX-License-Identifier: BSD-2-Clause
# What the golden files are made of: shared by update.sh and the suite.
# Systems are built with the small stand-in guest of tests/fixtures, so
# the outputs do not depend on which Debian kernel happens to be current.
GOLDEN_ENV="SOURCE_DATE_EPOCH=1700000000"

golden_build() { # yaml outdir [sysgen options...]
  local yaml=$1 out=$2
  shift 2
  rm -rf "$out"
  env $GOLDEN_ENV "$SYSGEN" --no-image --guest-dir tests/fixtures/guest "$@" -o "$out" "$yaml"
}

# "NAME YAML [OPTIONS]" per golden case: every example.
golden_cases() {
  for yaml in systems/*.yaml; do echo "$(basename "$yaml" .yaml) $yaml"; done
}

# Text files, relative to the output dir, sorted.
golden_text_files() {
  (cd "$1" && find generated -type f \( -name '*.sdf' -o -name '*.h' -o -name '*.dts' \
      -o -name '*.txt' -o -name '*.json' -o -name '*.cmd' \) | LC_ALL=C sort)
}

# "sha256  system/relative-path" for every binary output.
golden_binaries() { # outdir name
  (cd "$1" && find . -type f \( -name '*.dtb' -o -name '*.dtbo' -o -name '*.img' -o -name '*.scr' \) \
      | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
        echo "$(sha256sum "$f" | cut -d' ' -f1)  $2/$f"
      done)
}
