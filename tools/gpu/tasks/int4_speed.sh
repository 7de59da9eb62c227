# 4-bit decode (#24): layout and kernel tests, kernel bench, decode table with rooflines, token checks [carry .qt6/debs .qt6/deps]
# STEPS picks among "tests kernels models tokens" (default: all), after a build of tst_quant, tst_engine,
# bench_decode_kernels and llmdrop into build-cuda/:
#   tests    the 4-bit tests on cuda: tst_quant's layout and dequantization, tst_engine's decode steps against
#            float32;
#   kernels  bench_decode_kernels (each product against cuBLAS on the dequantized weights);
#   models   the Llama-2-7B-shaped random model quantized with round-to-nearest (group 128) and GPTQ act-order
#            (group 128, a short calibration: only the layout matters here); 16-bit / 4-bit g128 / 4-bit act-order
#            g128 decode at CONTEXTS (default 128 and 2048, 64 new tokens) in DTYPE (default bfloat16) with each
#            one's roofline;
#   shapes   after models: the 4-bit models' decode again with one launch shape forced on every 4-bit product
#            (LLMDROP_INT4_SHAPE), for each shape in SHAPES (indices into bench_decode_kernels' sweep rows, e.g.
#            SHAPES="0 1"), or else the one with the least time summed over kernels.log's shape rows
#            (int4_shapes.log);
#   tokens   64 greedy tokens of 4-bit models (the demo model's GPTQ act-order and AWQ, the 7B's RTN) against the
#            same model dequantized to float16, in float16 and bfloat16 (16-bit vs 4-bit decode kernels):
#            tools/int4_tokens.py, which prints where they part and the two tokens' log-probabilities there.
# Goes on past a failing step. Logs: build-cuda.log, quant.log, engine.log, kernels.log, int4_bench.log,
# tokens.log.
set +e
steps=" ${STEPS:-tests kernels models tokens} "
torch_env && qt_env && export LLMDROP_QT_PREFIX=$qt_lib/cmake
logged build-cuda.log bash -c "cmake --preset cuda -DLLMDROP_TESTS=ON && cmake --build --preset cuda -j $(nproc) \
  --target tst_quant tst_engine bench_decode_kernels llmdrop"
if [[ $steps == *" tests "* ]]; then
  export LLMDROP_TEST_DATA=$PWD/tests/data LLMDROP_TEST_DEVICE=cuda
  build-cuda/bin/tst_quant >"$out/quant.log" 2>&1
  grep -E "FAIL|Totals|what" "$out/quant.log" | cut -c1-300
  build-cuda/bin/tst_engine sixteenBitDecodeStepIsAsAccurateAsTheCachedForward >"$out/engine.log" 2>&1
  grep -E "QINFO|FAIL|Totals|what" "$out/engine.log" | cut -c1-400
fi
[[ $steps == *" kernels "* ]] && build-cuda/bin/bench_decode_kernels 2>&1 | tee "$out/kernels.log"
[[ $steps == *" models "* || $steps == *" shapes "* || $steps == *" tokens "* ]] || exit 0

write_model7b
cp resources/models/demo/tokenizer.model $model7b/
for i in 1 2 3 4; do cat resources/text/demo_heldout.txt; done >/dev/shm/calibration.txt
[ -d $model7b-rtn ] || /usr/bin/time -f "rtn g128: %e s wall" "$llmdrop" quantize $model7b --method rtn \
  --group-size 128 --device cuda --dtype bfloat16 --out $model7b-rtn 2>&1 | tail -3
[[ $steps == *" models "* || ($steps == *" shapes "* && ! -d $model7b-gptq-act) ]] &&
  /usr/bin/time -f "gptq act-order g128 (8 x 512 tokens): %e s wall" \
  "$llmdrop" quantize $model7b --method gptq --desc-act --group-size 128 --data /dev/shm/calibration.txt --samples 8 --seq-len 512 --device cuda \
  --dtype bfloat16 --out $model7b-gptq-act 2>&1 | tail -3
bench_models() {
  for m in "$@"; do
    "$llmdrop" bench $m --device cuda --dtype "${DTYPE:-bfloat16}" --contexts "${CONTEXTS:-128:64,2048:64}" 2>/dev/null |
      grep -E "^(model|\| (config|full))"
  done
}
[[ $steps == *" models "* ]] && bench_models $model7b $model7b-rtn $model7b-gptq-act | tee "$out/int4_bench.log"
if [[ $steps == *" shapes "* ]]; then
  forced=${SHAPES:-}
  [ -z "$forced" ] && [ -f "$out/kernels.log" ] && forced=$(awk -F'|' '/^\|   [0-9]+ warps/ { name = $2; gsub(/^ +| +$/, "", name); if (!(name in sum)) order[n++] = name; sum[name] += $4 }
    END { best = 0; for (i = 0; i < n; i++) { printf "shape %d (%s): %.1f us\n", i, order[i], sum[order[i]] >"/dev/stderr"
      if (sum[order[i]] < sum[order[best]]) best = i }; print best }' "$out/kernels.log")
  [ -n "$forced" ] || echo "shapes: neither SHAPES nor a kernels.log (run with STEPS=\"kernels ... shapes\"): nothing forced"
  for shape in $forced; do
    echo "LLMDROP_INT4_SHAPE=$shape"
    LLMDROP_INT4_SHAPE=$shape bench_models $model7b-rtn $model7b-gptq-act
  done | tee "$out/int4_shapes.log"
fi
[[ $steps == *" tokens "* ]] || exit 0

# Greedy tokens: each 4-bit model against itself dequantized to float16, both in DTYPE on their 16-bit / 4-bit
# decode kernels.
"$llmdrop" quantize resources/models/demo --method gptq --desc-act --group-size 32 --samples 16 --seq-len 256 \
  --data resources/text/demo_heldout.txt --device cuda --dtype float32 --out /dev/shm/demo-gptq >/dev/null 2>&1
"$llmdrop" quantize resources/models/demo --method awq --group-size 64 --samples 16 --seq-len 256 \
  --data resources/text/demo_heldout.txt --device cuda --dtype float32 --out /dev/shm/demo-awq >/dev/null 2>&1
for m in /dev/shm/demo-gptq /dev/shm/demo-awq $model7b-rtn; do
  rm -rf $m-dense  # an earlier run's may be unfinished
  "$llmdrop" dequantize $m --device cuda --out $m-dense >/dev/null 2>&1 || echo "dequantize $m failed"
  for dtype in float16 bfloat16; do
    python3 tools/int4_tokens.py --llmdrop "$llmdrop" --quantized $m --dense $m-dense --dtype $dtype
  done
done | tee "$out/tokens.log"
