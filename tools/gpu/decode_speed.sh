#!/usr/bin/env bash
# On the GPU machine: the decode-speed loop of issue #6 in one call. Builds build-cuda/ (build.sh), runs the
# engine suite on cuda (the fused 16-bit decode step against float32), bench_decode_kernels (each fused kernel
# against cuBLAS / SDPA) and `llmdrop bench` on the Llama-2-7B shape (bf16, batch 1) for the full model and
# 8 dropped blocks / attention layers / MLPs. Logs under $OUT. CONTEXTS overrides the rounds.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
tools/gpu/build.sh >"$out/build-cuda.log" 2>&1 || { grep -E "error|Error" "$out/build-cuda.log" | head -40; exit 1; }
export LD_LIBRARY_PATH=$PWD/.qt6/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
(cd build-cuda && LLMDROP_TEST_DEVICE=cuda ctest -R tst_engine --output-on-failure -V) >"$out/engine.log" 2>&1
grep -E "sixteenBit|FAIL|Totals" "$out/engine.log" | grep -E "QINFO|FAIL|Totals"
build-cuda/bin/bench_decode_kernels 2>&1 | tee "$out/kernels.log"
last8=24,25,26,27,28,29,30,31
build-cuda/bin/llmdrop bench --random-weights --shape llama2-7b --device cuda --dtype bfloat16 \
  --contexts "${CONTEXTS:-32,512,2048:256}" --compare block=$last8 --compare attn=$last8 --compare mlp=$last8 \
  --csv "$out/speed_ours.csv" >"$out/speed_ours.log" 2>"$out/speed_ours.err"
cat "$out/speed_ours.log"
tail -3 "$out/speed_ours.err"
