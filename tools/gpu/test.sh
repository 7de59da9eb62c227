#!/usr/bin/env bash
# On the GPU machine: build (build.sh) and run every test suite, the engine suites on cuda.
# Usage: tools/gpu/test.sh            (logs under $OUT when set)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
tools/gpu/build.sh 2>&1 | tee "$out/build-cuda.log" | tail -5
export LD_LIBRARY_PATH=$PWD/.qt6/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ctest --preset cuda 2>&1 | tee "$out/ctest-cuda.log" | grep -E "max \||bf16 vs|Totals|tests passed|FAIL" || true
grep -q "100% tests passed" "$out/ctest-cuda.log"
