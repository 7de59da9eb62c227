# tensor-parallel decode under CUDA graphs, on one GPU as a one-rank NCCL group: tokens and speed [carry .qt6/deps]
# tp_graphs.log: the demo model's greedy tokens (float32, 48 new) on cuda:0, and with --devices cuda:0 --parallel
# tensor with and without CUDA graphs: all equal; then `llmdrop bench` of the Llama-2-7B shape (random, bf16,
# 2048 context) the same three ways, and whether any capture failed (tp_graphs.err).
logged build-llmdrop.log build_targets llmdrop
log=$out/tp_graphs.log
tp=(--devices cuda:0 --parallel tensor)
gen() { "$llmdrop" generate --ids 1,306,1074,338,263 --max-new-tokens 48 --dtype float32 --json "$@" 2>>"$out/tp_graphs.err"; }
{
  echo "one device:        $(gen --device cuda:0)"
  echo "tensor, graphs:    $(gen "${tp[@]}")"
  echo "tensor, no graphs: $(gen "${tp[@]}" --no-cuda-graphs)"
} | tee "$log"
for flags in "--device cuda:0" "${tp[*]}" "${tp[*]} --no-cuda-graphs"; do
  echo "bench $flags" | tee -a "$log"
  # shellcheck disable=SC2086
  bench7b $flags --contexts 128:64,2048:64 2>>"$out/tp_graphs.err" | tail -n 2 | tee -a "$log"
done
grep -i "capture failed" "$out/tp_graphs.err" | tee -a "$log" || echo "no capture failed" | tee -a "$log"
