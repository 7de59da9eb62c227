#!/usr/bin/env bash
# Here (CPU build): what `tools/gpu/run.sh quant_check` checks on the GPU machine. Quantizes the demo model with GPTQ
# (act-order) and AWQ, 4 bits, group 128, and mixed (GPTQ act-order: attention 8 bits, MLPs 4, lm_head and layer
# 0's MLP left 16-bit, as GPTQModel's `dynamic` rules), writes each back dense (`llmdrop dequantize`) and our float32
# log-probabilities of 64 token ids, under quant-check/METHOD/ (git-ignored: the device run carries it).
# LLMDROP (build/bin/llmdrop) names the CLI; COMPRESS=0 leaves the dense weights uncompressed (when the
# GPU machine prepares them itself: tools/gpu/tasks/quant_check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/calibration/c4_demo.json}
llmdrop=${LLMDROP:-build/bin/llmdrop}
ids=1$(for i in $(seq 1 63); do printf ",%d" $(( (i * 2654435761) % 4093 + 3 )); done)
rm -rf quant-check
for check in gptq awq mixed; do
  dir=quant-check/$check
  method=$check extra=()
  [ $check = gptq ] && extra=(--desc-act)
  [ $check = mixed ] && method=gptq extra=(--desc-act --bits attn=8 --skip lm_head,layers.0.mlp)
  "$llmdrop" quantize --method $method "${extra[@]}" --data "$data" --samples 16 --seq-len 512 \
    --out $dir/quantized 2>/dev/null
  "$llmdrop" dequantize $dir/quantized --out $dir/dense 2>/dev/null
  [ "${COMPRESS:-1}" = 0 ] || xz -T0 -6 $dir/dense/model.safetensors # a device call carries at most 64 MiB
  "$llmdrop" logprobs $dir/quantized --dtype float32 --ids "$ids" --json >$dir/ours.json 2>/dev/null
  echo "$ids" >$dir/ids
done
du -sh quant-check
