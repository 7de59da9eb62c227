# importance scoring cost: bench_scoring against transformers and LLM-Drop's hooks [carry .qt6/deps]
# Tables in bench_scoring.log.
# On the Llama-2-7B-shaped random model (bf16): bench_scoring (ours, 256 and 32 blocks of 2048 tokens), then
# tools/bench_llmdrop_way.py (transformers' plain forward and LLM-Drop's host-side hooks, 32 blocks).
log=$out/bench_scoring.log
write_model7b | tee -a "$log"
logged build-bench.log build_targets bench_scoring
for n in 256 32; do
  build-cuda/bin/bench_scoring $model7b --samples $n --seq-len 2048 --device cuda --dtype bfloat16 2>&1 | tee -a "$log"
done
python3 tools/bench_llmdrop_way.py --model $model7b --samples 32 --seq-len 2048 2>&1 | grep -v "Loading" |
  tee -a "$log"
