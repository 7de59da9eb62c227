#!/usr/bin/env bash
# On the GPU machine: regenerate tests/data fixtures with transformers; copies them to $OUT as a tarball.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
python3 tools/make_fixtures.py --out tests/data 2>&1 | tee "${OUT:-/tmp}/fixtures.log"
tar czf "${OUT:-/tmp}/fixtures.tgz" tests/data/models tests/data/reference tests/data/tokenizer/reference.json
