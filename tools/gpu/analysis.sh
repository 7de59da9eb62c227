#!/usr/bin/env bash
# On the GPU machine: regenerate the analysis reference (tools/make_analysis_fixtures.py), build, and check the
# block-pruned export with plain transformers (tools/check_pruned_export.py). Returns the fixture in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
python3 tools/make_analysis_fixtures.py 2>&1 | grep -v "Loading weights" | tee "$out/analysis.log"
cp tests/data/reference/analysis.json tests/data/calibration/calib.jsonl "$out/"
tools/gpu/build.sh > "$out/build-cuda.log" 2>&1 || { tail -30 "$out/build-cuda.log"; exit 1; }
export LD_LIBRARY_PATH=$PWD/.qt6/root/usr/lib/x86_64-linux-gnu
python3 tools/check_pruned_export.py --llmdrop build-cuda/bin/llmdrop --model tests/data/models/llama \
  --data tests/data/calibration/calib.jsonl 2>&1 | grep -v "Loading weights" | tee -a "$out/analysis.log"
