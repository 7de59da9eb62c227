#!/usr/bin/env bash
# Compiles the CUDA kernels (core/model/cuda, core/quant/cuda) for Hopper with this machine's nvcc, without a GPU
# or libtorch, and prints each kernel's registers, stack and spills (ptxas -v): a compile check before spending
# device time. NVCC (default /usr/local/cuda/bin/nvcc) picks the compiler; a GREP pattern narrows the kernels
# shown (default int4_gemv).
#   tools/check_kernels.sh [GREP]
set -euo pipefail
cd "$(dirname "$0")/.."
nvcc=${NVCC:-/usr/local/cuda/bin/nvcc}
[ -x "$nvcc" ] || { echo "check_kernels: no nvcc at $nvcc (set NVCC)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for source in core/model/cuda/*.cu core/quant/cuda/*.cu; do
  "$nvcc" -arch=sm_90a -std=c++20 -O3 -cubin -Xptxas -v -I core "$source" -o "$out/kernel.cubin" 2>"$out/ptxas.log" ||
    { cat "$out/ptxas.log" >&2; exit 1; }
  # ptxas prints a kernel's name, then its stack and spills, then its registers.
  awk -v pattern="${1:-int4_gemv}" '
    /Compiling entry function/ { name = $0; sub(/.*function ./, "", name); sub(/. for .*/, "", name); keep = name ~ pattern }
    keep && /spill/ { spills = $0; sub(/^ +/, "", spills) }
    keep && /Used [0-9]+ registers/ { match($0, /Used [0-9]+ registers/); print substr($0, RSTART, RLENGTH) ", " spills ": " name; keep = 0 }
  ' "$out/ptxas.log" | c++filt | sed 's/llmdrop::cuda:://g; s/(anonymous namespace):://g'
done
