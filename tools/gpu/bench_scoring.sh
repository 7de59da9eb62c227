#!/usr/bin/env bash
# On the GPU machine: a Llama-2-7B-shaped random model (written by transformers into /dev/shm), then
# benchmarks/bench_scoring (ours: n=256 x 2048 and n=32 x 2048) and tools/bench_llmdrop_way.py (transformers'
# plain forward and LLM-Drop's host-side way, n=32) in the same run. Tables in $OUT/bench_scoring.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=${OUT:-/tmp}/bench_scoring.log
export PYTHONUNBUFFERED=1
model=/dev/shm/llama2-7b
python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v "Writing" | tee -a "$log"
tools/gpu/build_targets.sh "${OUT:-/tmp}/build-bench.log" bench_scoring
for n in 256 32; do
  build-cuda/bin/bench_scoring $model --samples $n --seq-len 2048 --device cuda --dtype bfloat16 2>&1 | tee -a "$log"
done
python3 tools/bench_llmdrop_way.py --model $model --samples 32 --seq-len 2048 2>&1 | grep -v "Loading" | tee -a "$log"
