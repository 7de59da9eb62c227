#!/usr/bin/env bash
# On the GPU machine, after a CUDA build of llmdrop (build.sh, eval.sh or bench_speed.sh): issue #6's token
# checks (tools/greedy_reference.py) on a Llama-2-7B-shaped random model written by transformers: ours vs
# transformers' greedy tokens in float32, and CUDA graphs vs none. Log in $OUT/tokens.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
model=/dev/shm/llama2-7b
[ -d $model ] || python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v Writing
python3 tools/greedy_reference.py --model $model --llmdrop build-cuda/bin/llmdrop 2>&1 | grep -v "Loading" |
  tee "$out/tokens.log"
