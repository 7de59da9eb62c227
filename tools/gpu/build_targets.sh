#!/usr/bin/env bash
# On the GPU machine: configure build-cuda/ against python3's CUDA libtorch without the test suites and build
# the named targets (e.g. llmdrop, bench_eval). Usage: tools/gpu/build_targets.sh LOG TARGET...
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$1
shift
export LLMDROP_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') TORCH_CUDA_ARCH_LIST=9.0
targets=()
for t in "$@"; do targets+=(--target "$t"); done
{ cmake --preset cuda -DLLMDROP_TESTS=OFF && cmake --build --preset cuda "${targets[@]}"; } >"$log" 2>&1 ||
  { tail -30 "$log"; exit 1; }
