# #25's cost check: `score --metric kl` on the Llama-2-7B shape (random bf16, 32 x 2048) against one forward pass [carry .qt6/deps]
# One forward pass over the 32 blocks, F, and the fixed cost of making the random model, S, come from two cosine
# runs (32 and 4 blocks: cosine is one pass); the kl run's time less S, over F, is printed next to the issue's
# bound 2 x modules + 1 = 129. Log: kl_timing.log (and build-cli.log).
logged build-cli.log build_targets llmdrop
run() {  # metric, blocks → seconds
  "$llmdrop" score --random-weights --shape llama2-7b --device cuda --dtype bfloat16 --samples "$2" \
    --seq-len 2048 --metric "$1" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'
}
run cosine 4 >/dev/null  # warm-up: kernels loaded, the allocator grown
cos32=$(run cosine 32) cos4=$(run cosine 4) kl32=$(run kl 32)
python3 - "$cos32" "$cos4" "$kl32" <<'PY' | tee "$out/kl_timing.log"
import sys
cos32, cos4, kl32 = map(float, sys.argv[1:])
forward = (cos32 - cos4) * 32 / 28
setup = cos32 - forward
ratio = (kl32 - setup) / forward
print(f"cosine 32 x 2048: {cos32:.2f} s, 4 x 2048: {cos4:.2f} s -> one forward pass {forward:.2f} s, setup {setup:.2f} s")
print(f"kl 32 x 2048: {kl32:.2f} s -> {ratio:.1f} forward passes (bound: 2 x 64 modules + 1 = 129): "
      + ("within" if ratio <= 129 else "OVER"))
PY
