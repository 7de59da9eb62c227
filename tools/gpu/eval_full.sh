#!/usr/bin/env bash
# On the GPU machine (carry ".eval-data" made by `tools/gpu/eval_data_subset.sh full`): builds the CLI against
# python3's CUDA libtorch and evaluates the demo model on every task's whole evaluation set (gsm8k: the first
# 200 questions — generation runs one sequence at a time), float32. Tables and results JSON land in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
tools/gpu/build_targets.sh "$out/build-cli.log" llmdrop
eval_demo() { build-cuda/bin/llmdrop eval resources/models/demo --device cuda --dtype float32 --data-dir .eval-data "$@"; }
{
  eval_demo --tasks arc_easy,arc_challenge,hellaswag,piqa,boolq,winogrande,openbookqa,rte,mmlu,lambada_openai,wikitext \
    --out "$out/eval_full.json" 2>/dev/null
  eval_demo --tasks gsm8k --limit 200 --out "$out/eval_gsm8k.json" 2>/dev/null
} | tee "$out/eval_full.log"
