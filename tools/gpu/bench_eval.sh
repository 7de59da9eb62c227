#!/usr/bin/env bash
# On the GPU machine: the speed comparison of issue #5. A Llama-2-7B-shaped random model (bf16) written by
# transformers, hellaswag-shaped requests, transformers scoring them one by one (lm-eval's HF backend, batch 1)
# and benchmarks/bench_eval (batch 1 and 16) in the same run. Table in $OUT/bench_eval.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
tools/gpu/build_targets.sh "$out/build-bench.log" bench_eval
model=/dev/shm/llama2-7b
{
  [ -d $model ] || python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v Writing
  python3 tools/bench_eval_reference.py --make-requests /dev/shm/req.json --docs 256 --seed 1 --vocab 32000
  python3 tools/bench_eval_reference.py --model $model --requests /dev/shm/req.json --out /dev/shm/ref.json
  build-cuda/bin/bench_eval $model --requests /dev/shm/req.json --reference /dev/shm/ref.json --device cuda \
    --dtype bfloat16
} 2>&1 | tee "$out/bench_eval.log"
