#!/usr/bin/env bash
# The quantization quality table of the bundled demo model (CPU is enough, ~40 min on 2 cores, most of it AWQ's
# searches): held-out perplexity of the model as shipped (bf16 weights, run in float32), 4-bit group-128
# round-to-nearest, GPTQ (act-order, range search) and AWQ, and the same GPTQ on the model with the 4
# attention layers LLM-Drop ranks least important dropped (against that dropped model unquantized).
# Calibration: C4 (../shared, as the paper) unless DATA is set.
# Usage: tools/quant_quality.sh [OUT_DIR]     (SAMPLES, SEQ_LEN override the calibration size; DEVICE=cuda runs
# everything on a GPU, still in float32: tools/gpu/run.sh quant_quality, about 3 minutes on an H200)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/llmdrop-quant-quality}
data=${DATA:-../shared/data/calibration/c4_demo.json}
calibration=(--data "$data" --samples "${SAMPLES:-128}" --seq-len "${SEQ_LEN:-512}")
heldout=resources/text/demo_heldout.txt
llmdrop=${LLMDROP:-build/bin/llmdrop}
device=(--device "${DEVICE:-cpu}" --dtype float32)
rm -rf "$work" && mkdir -p "$work"
ppl() { $llmdrop perplexity "$1" "${device[@]}" --data $heldout --seq-len 512 --json 2>/dev/null | python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['ppl']:.3f}\")"; }
quantize() {  # NAME SOURCE ARGS…
  local name=$1 source=$2
  shift 2
  $llmdrop quantize "$source" "${device[@]}" "$@" --out "$work/$name" >/dev/null 2>&1
}
demo=resources/models/demo
full=$(ppl $demo)
$llmdrop drop $demo "${device[@]}" --target attn --n 4 "${calibration[@]}" --out "$work/attn4" >/dev/null 2>&1
dropped=$(python3 -c "import json; print(json.load(open('$work/attn4/config.json'))['drop_attn_list'])")
full_dropped=$(ppl "$work/attn4")
echo "| model | method | perplexity | vs unquantized |"
echo "|---|---|---|---|"
echo "| demo | none (bf16 weights) | $full | |"
row() {  # NAME BASELINE_PPL METHOD_LABEL MODEL_LABEL
  local p
  p=$(ppl "$work/$1")
  python3 -c "print(f'| $4 | $3 | $p | {100 * ($p / $2 - 1):+.2f} % |')"
}
quantize rtn $demo --method rtn && row rtn $full "RTN 4-bit g128" demo
gptq=(--method gptq --desc-act --mse "${calibration[@]}")
quantize gptq $demo "${gptq[@]}" && row gptq $full "GPTQ 4-bit g128, act-order, range search" demo
quantize awq $demo --method awq "${calibration[@]}" && row awq $full "AWQ 4-bit g128" demo
echo "| demo, attention $dropped dropped | none | $full_dropped | |"
quantize gptq-attn4 "$work/attn4" "${gptq[@]}" &&
  row gptq-attn4 $full_dropped "GPTQ 4-bit g128, act-order, range search" "demo, attention $dropped dropped"
