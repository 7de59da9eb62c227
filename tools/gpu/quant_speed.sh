#!/usr/bin/env bash
# On the GPU machine: issue #8's speed rows. Writes a Llama-2-7B-shaped random model (transformers, bf16) with
# the demo tokenizer, times `llmdrop quantize` with GPTQ and AWQ (METHODS) on 128 blocks x 2048 tokens (the demo
# held-out text four times over: only the time matters here), and benches decode of each quantized model
# against bf16. Logs and JSON in $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
tools/gpu/build_targets.sh "$out/build-cli.log" llmdrop || exit 1
model=/dev/shm/llama2-7b
[ -d $model ] || python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v Writing
cp resources/models/demo/tokenizer.model $model/
for i in 1 2 3 4; do cat resources/text/demo_heldout.txt; done >/dev/shm/calibration.txt
llmdrop=build-cuda/bin/llmdrop
methods=${METHODS:-gptq awq}
for method in $methods; do
  /usr/bin/time -f "$method: %e s wall, %M KiB peak host memory" $llmdrop quantize $model --method $method \
    --data /dev/shm/calibration.txt --samples 128 --seq-len 2048 --device cuda --dtype bfloat16 \
    --out /dev/shm/llama2-7b-$method --json >"$out/quantize_$method.json" 2>"$out/quantize_$method.err"
  tail -3 "$out/quantize_$method.err"
  cat "$out/quantize_$method.json"
done
for m in $model $(for method in $methods; do echo /dev/shm/llama2-7b-$method; done); do
  $llmdrop bench $m --device cuda --contexts 128,2048:128 2>/dev/null | grep -E "^\| (config|full)"
done | tee "$out/quant_bench.log"
