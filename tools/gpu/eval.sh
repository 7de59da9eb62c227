#!/usr/bin/env bash
# On the GPU machine (carry ".qt6" and ".eval-data", made by tools/gpu/fetch-qt.sh and eval_data_subset.sh):
#  1. builds the CUDA variant in the background (build.sh);
#  2. regenerates the evaluation fixtures with transformers (tools/eval_reference.py, float32, sentencepiece ids)
#     for the demo model and a random model (llama-demo-vocab; tools/make_random_model.py), on tests/data/eval
#     and on the ../shared subset, and for the 256-token test llama on tests/data/eval;
#  3. the speed comparison of issue #5: a Llama-2-7B-shaped random model (bf16), hellaswag-shaped requests,
#     transformers one by one (lm-eval's HF backend, batch 1) and benchmarks/bench_eval (batch 1 and 16).
# Everything lands in $OUT: eval_fixtures.tgz, eval.log, bench_eval.log, build-cuda.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
(tools/gpu/build.sh -DLLMDROP_TESTS=ON >"$out/build-cuda.log" 2>&1; echo "build rc $?" >>"$out/build-cuda.log") &
build=$!

mkdir -p tests/data/reference/eval
ref() { python3 tools/eval_reference.py --device cuda --tokenizer sentencepiece "$@" 2>&1 | tail -n 40; }
{
  for model in resources/models/demo tests/data/models/llama-demo-vocab; do
    name=$(basename $model)
    ref --model $model --data-dir tests/data/eval/shared --out tests/data/reference/eval/$name-testdata.json
    ref --model $model --data-dir .eval-data --limit 200 --mmlu-limit 4 \
      --out tests/data/reference/eval/$name-shared.json
  done
  # A 256-token context: left truncation of long prompts, rolling windows, gsm8k with 64 new tokens.
  ref --model tests/data/models/llama --data-dir tests/data/eval/shared --gsm8k-max-gen-toks 64 \
    --out tests/data/reference/eval/llama-testdata.json
  # lm-eval would tokenize with transformers: count where its ids differ from sentencepiece's.
  python3 tools/eval_reference.py --device cuda --model resources/models/demo --data-dir .eval-data --limit 200 \
    --mmlu-limit 4 --out /tmp/hf-tok.json 2>&1 | grep -i "mismatch\|tokenizer"
} >"$out/eval.log" 2>&1
tar czf "$out/eval_fixtures.tgz" tests/data/reference/eval

model=/dev/shm/llama2-7b
{
  python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v Writing
  python3 tools/bench_eval_reference.py --make-requests /dev/shm/req.json --docs 256 --seed 1 --vocab 32000
  python3 tools/bench_eval_reference.py --model $model --requests /dev/shm/req.json --out /dev/shm/ref.json
  wait $build || true
  tail -n 3 "$out/build-cuda.log"
  build-cuda/bin/bench_eval $model --requests /dev/shm/req.json --reference /dev/shm/ref.json --device cuda \
    --dtype bfloat16
} >"$out/bench_eval.log" 2>&1
cat "$out/eval.log" "$out/bench_eval.log"
