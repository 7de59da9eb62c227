# engine suite on cuda, bench_decode_kernels, llmdrop bench on the 7B shape [carry .qt6/debs .qt6/deps]
# Builds build-cuda/ (as `build`), runs tst_engine on cuda (the fused 16-bit decode step against float32),
# bench_decode_kernels (each fused kernel against cuBLAS / SDPA) and `llmdrop bench` on the Llama-2-7B shape
# (bf16, batch 1) for the full model and the last 8 blocks / attention layers / MLPs dropped. Goes on past a
# failing step. CONTEXTS overrides the rounds. Logs: engine.log, kernels.log, speed_ours.log/.csv/.err.
set +e
logged build-cuda.log build_cuda
(cd build-cuda && LLMDROP_TEST_DEVICE=cuda ctest -R tst_engine --output-on-failure -V) >"$out/engine.log" 2>&1
grep -E "sixteenBit|FAIL|Totals" "$out/engine.log" | grep -E "QINFO|FAIL|Totals"
build-cuda/bin/bench_decode_kernels 2>&1 | tee "$out/kernels.log"
bench7b --contexts "${CONTEXTS:-32,512,2048:256}" --compare block=$last8 --compare attn=$last8 --compare mlp=$last8 \
  --csv "$out/speed_ours.csv" >"$out/speed_ours.log" 2>"$out/speed_ours.err"
cat "$out/speed_ours.log"
tail -3 "$out/speed_ours.err"
