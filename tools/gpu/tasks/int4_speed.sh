# 4-bit decode: engine test, RTN 7B decode against bf16, kernel bench [carry .qt6]
# Table in int4_bench.log.
# Builds build-cuda/ (as `build`), runs tst_engine's 16/4-bit decode step test on cuda (under compute-sanitizer
# when SANITIZE names a test function), quantizes the Llama-2-7B-shaped random model with round-to-nearest (the
# GPTQ layout in seconds; quant_speed times GPTQ), benches its decode against bf16 (CONTEXTS overrides the
# rounds), then bench_decode_kernels (each 4-bit product against cuBLAS on the dequantized weights). Goes on
# past a failing step. Also engine.log, kernels.log (blocking.log, sanitize.log).
set +e
logged build-cuda.log build_cuda
export LLMDROP_TEST_DATA=$PWD/tests/data LLMDROP_TEST_DEVICE=cuda
if [ -n "${SANITIZE:-}" ]; then
  CUDA_LAUNCH_BLOCKING=1 build-cuda/bin/tst_engine "$SANITIZE" >"$out/blocking.log" 2>&1
  grep -E "FAIL|Totals|what|frame #[0-9]:" "$out/blocking.log" | head -20 | cut -c1-300
  timeout 150 compute-sanitizer --print-limit 5 build-cuda/bin/tst_engine "$SANITIZE" >"$out/sanitize.log" 2>&1
  grep -vE "^(PASS|QINFO)" "$out/sanitize.log" | head -40 | cut -c1-300
fi
build-cuda/bin/tst_engine sixteenBitDecodeStepIsAsAccurateAsTheCachedForward >"$out/engine.log" 2>&1
grep -E "QINFO|FAIL|Totals|what" "$out/engine.log" | cut -c1-400
write_model7b
cp resources/models/demo/tokenizer.model $model7b/
/usr/bin/time -f "rtn: %e s wall" "$llmdrop" quantize $model7b --method rtn --device cuda --dtype bfloat16 \
  --out $model7b-rtn 2>&1 | tail -2
for m in $model7b $model7b-rtn; do
  "$llmdrop" bench $m --device cuda --contexts "${CONTEXTS:-128,2048:128}" 2>/dev/null | grep -E "^\| (config|full)"
done | tee "$out/int4_bench.log"
build-cuda/bin/bench_decode_kernels 2>&1 | tee "$out/kernels.log"
