#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""JSON Schema checks of the YAML language (test glue).

  check_schema.py validate FILE...   each file must validate (prints TAP)
  check_schema.py reject FILE...     each file must NOT validate
  check_schema.py keys REFERENCE     the schema's keys per object equal the
                                     keys `sysgen --yaml-reference` prints
"""
import json
import sys

import jsonschema
import yaml

SCHEMA = json.load(open("schemas/system.schema.json"))
jsonschema.Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def errors(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    return [e.message for e in VALIDATOR.iter_errors(doc)]


def main():
    mode, files = sys.argv[1], sys.argv[2:]
    failed = 0
    if mode in ("validate", "reject"):
        for path in files:
            errs = errors(path)
            good = (not errs) if mode == "validate" else bool(errs)
            print(f"{'ok' if good else 'not ok'} - schema {mode}s {path}")
            for e in errs if not good or mode == "reject" else []:
                print(f"#   {e}")
            failed += not good
    elif mode == "keys":
        objects = {"system": SCHEMA}
        objects.update(SCHEMA["$defs"])
        ref, current = {}, None
        for line in open(files[0]):
            if not line.startswith(" "):
                current = line.split(":")[0]
                ref[current] = set()
            else:
                ref[current].add(line.split()[0])
        for name, keys in sorted(ref.items()):
            schema_keys = set(objects.get(name, {}).get("properties", {}))
            good = schema_keys == keys
            print(f"{'ok' if good else 'not ok'} - schema keys of {name} match sysgen's")
            if not good:
                print(f"#   schema: {sorted(schema_keys)}  sysgen: {sorted(keys)}")
            failed += not good
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
