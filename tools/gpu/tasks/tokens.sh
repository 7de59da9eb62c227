# greedy tokens: ours vs transformers, CUDA graphs vs none (after a build of llmdrop)
# Log: tokens.log.
# tools/greedy_reference.py on the Llama-2-7B-shaped random model: ours and transformers' greedy continuation in
# float32, and `llmdrop generate` with and without CUDA graphs; fails when any pair differs.
[ -x "$llmdrop" ] || { echo "run.sh tokens: no $llmdrop; run build, eval or bench_speed first" >&2; exit 1; }
write_model7b
python3 tools/greedy_reference.py --model $model7b --llmdrop "$llmdrop" 2>&1 | grep -v "Loading" |
  tee "$out/tokens.log"
