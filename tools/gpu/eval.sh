#!/usr/bin/env bash
# On the GPU machine (carry ".qt6" and ".eval-data", made by tools/gpu/fetch-qt.sh and eval_data_subset.sh):
#  1. builds the CUDA variant in the background (build.sh);
#  2. regenerates the evaluation fixtures with transformers (tools/eval_reference.py, float32, sentencepiece ids)
#     for the demo model and a random model (llama-demo-vocab; tools/make_random_model.py), on tests/data/eval
#     and on the ../shared subset, and for the 256-token test llama on tests/data/eval;
#  3. waits for the build (build-cuda/ then serves test.sh and tokens.sh in the same run).
# Everything lands in $OUT: eval_fixtures.tgz, eval.log, build-cuda.log.
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
  # lm-eval would tokenize with transformers: TOKENIZER_MISMATCHES=1 counts where its ids differ from ours.
  if [ -n "${TOKENIZER_MISMATCHES:-}" ]; then
    python3 tools/eval_reference.py --device cuda --model resources/models/demo --data-dir .eval-data --limit 200 \
      --mmlu-limit 4 --out /tmp/hf-tok.json 2>&1 | grep -i "mismatch\|tokenizer"
  fi
} >"$out/eval.log" 2>&1
tar czf "$out/eval_fixtures.tgz" tests/data/reference/eval

wait $build || true
tail -n 3 "$out/build-cuda.log"
cat "$out/eval.log"
