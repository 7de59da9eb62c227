#!/usr/bin/env bash
# On the GPU machine: issue #6's comparison. Builds the CLI against python3's CUDA libtorch, runs
# `llmdrop bench --random-weights --shape llama2-7b` (bf16, batch 1) for the full model and 8 dropped attention
# layers / MLPs / blocks, then tools/bench_speed_reference.py (transformers, same rounds and configurations,
# copy bandwidth and decode roofline) with our numbers side by side. Logs and JSON in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
tools/gpu/build_targets.sh "$out/build-cli.log" llmdrop
last8=24,25,26,27,28,29,30,31
compare=(--compare attn=$last8 --compare mlp=$last8 --compare block=$last8)
# LLM-Drop's rounds (new tokens = context) and the 2048-token context of the acceptance, with 256 decode steps.
contexts=${CONTEXTS:-32,64,128,256,512,2048:256}
build-cuda/bin/llmdrop bench --random-weights --shape llama2-7b --device cuda --dtype bfloat16 --contexts "$contexts" \
  "${compare[@]}" --csv "$out/speed_ours.csv" --json >"$out/speed_ours.json" 2>"$out/speed_ours.err"
python3 tools/bench_speed_reference.py --shape llama2-7b --contexts "$contexts" "${compare[@]}" \
  --ours "$out/speed_ours.json" --out "$out/speed_theirs.json" | tee "$out/speed.log"
# Launch overhead: the full model's decode step run eagerly instead of as a CUDA graph.
build-cuda/bin/llmdrop bench --random-weights --shape llama2-7b --device cuda --dtype bfloat16 --contexts 512,2048:256 \
  --no-cuda-graphs --json >"$out/speed_ours_eager.json" 2>>"$out/speed_ours.err"
python3 -c "import json,sys
for r in json.load(open(sys.argv[1]))['rounds']:
    print(f\"eager decode (no CUDA graph), context {r['context']}: {r['decode_tokens_per_second']:.1f} tok/s\")" \
  "$out/speed_ours_eager.json" | tee -a "$out/speed.log"
