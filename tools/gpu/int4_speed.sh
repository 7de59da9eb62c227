#!/usr/bin/env bash
# On the GPU machine: issue #8's 4-bit decode path. Builds build-cuda/ (build.sh), runs the engine suite on
# cuda (4-bit decode steps against float32; under compute-sanitizer when SANITIZE names a test function),
# bench_decode_kernels (each 4-bit product against cuBLAS on the dequantized weights), then quantizes a
# Llama-2-7B-shaped random model with round-to-nearest (the GPTQ layout in seconds; quant_speed.sh times GPTQ)
# and benches its decode against bf16. Logs under $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
export PYTHONUNBUFFERED=1
tools/gpu/build.sh >"$out/build-cuda.log" 2>&1 || { grep -E "error|Error" "$out/build-cuda.log" | head -40; exit 1; }
export LD_LIBRARY_PATH=$PWD/.qt6/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LLMDROP_TEST_DATA=$PWD/tests/data LLMDROP_TEST_DEVICE=cuda
if [ -n "${SANITIZE:-}" ]; then
  CUDA_LAUNCH_BLOCKING=1 build-cuda/bin/tst_engine "$SANITIZE" >"$out/blocking.log" 2>&1
  grep -E "FAIL|Totals|what|frame #[0-9]:" "$out/blocking.log" | head -20 | cut -c1-300
  timeout 150 compute-sanitizer --print-limit 5 build-cuda/bin/tst_engine "$SANITIZE" >"$out/sanitize.log" 2>&1
  grep -vE "^(PASS|QINFO)" "$out/sanitize.log" | head -40 | cut -c1-300
fi
build-cuda/bin/tst_engine sixteenBitDecodeStepIsAsAccurateAsTheCachedForward >"$out/engine.log" 2>&1
grep -E "QINFO|FAIL|Totals|what" "$out/engine.log" | cut -c1-400
model=/dev/shm/llama2-7b
[ -d $model ] || python3 tools/bench_llmdrop_way.py --write $model --shape llama2-7b 2>&1 | grep -v Writing
cp resources/models/demo/tokenizer.model $model/
llmdrop=build-cuda/bin/llmdrop
/usr/bin/time -f "rtn: %e s wall" $llmdrop quantize $model --method rtn --device cuda --dtype bfloat16 \
  --out $model-rtn 2>&1 | tail -2
for m in $model $model-rtn; do
  $llmdrop bench $m --device cuda --contexts "${CONTEXTS:-128,2048:128}" 2>/dev/null | grep -E "^\| (config|full)"
done | tee "$out/int4_bench.log"
build-cuda/bin/bench_decode_kernels 2>&1 | tee "$out/kernels.log"
