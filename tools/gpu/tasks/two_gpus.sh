# #23 on two GPUs (kind nvidia-h200-x2): 70B decode tensor-parallel and placed; 7B data-parallel score and eval against one GPU [carry .qt6/deps .eval-data]
# two_gpus.log: `llmdrop bench` of the Llama-2-70B shape (random, bf16, batch 1, 2048 context, 128 new tokens)
# with --parallel tensor and with --parallel layers, one table; then the Llama-2-7B shape scored (256 × 2048
# random token ids, --target all) and evaluated (the first 256 HellaSwag documents: 1,024 requests) on cuda:0
# and data-parallel on both GPUs: times, the speedup, and whether the selections and predictions are equal.
needs .eval-data/hellaswag-256.jsonl tools/eval_data_subset.sh
logged build-llmdrop.log build_targets llmdrop
log=$out/two_gpus.log
two=(--devices cuda:0,cuda:1)
for how in tensor layers; do
  "$llmdrop" bench --random-weights --shape llama2-70b --dtype bfloat16 "${two[@]}" --parallel $how \
    --contexts 2048:128 --json >"$out/bench70b_$how.json" 2>>"$out/two_gpus.err"
done
timed() {  # NAME LLMDROP-ARGS…: NAME.json, and NAME.seconds with the start and end of the whole command
  local name=$1 start=$EPOCHREALTIME
  shift
  "$llmdrop" "$@" >"$out/$name.json" 2>>"$out/two_gpus.err"
  echo "$start $EPOCHREALTIME" >"$out/$name.seconds"
}
seven=(--random-weights --shape llama2-7b --dtype bfloat16)
timed score_one score "${seven[@]}" --device cuda:0 --samples 256 --seq-len 2048 --target all --json
timed score_two score "${seven[@]}" "${two[@]}" --samples 256 --seq-len 2048 --target all --json
for way in one two; do
  flags=(--device cuda:0)
  [ $way = two ] && flags=("${two[@]}")
  timed eval_$way eval "${seven[@]}" "${flags[@]}" --tasks hellaswag --data hellaswag=.eval-data/hellaswag-256.jsonl \
    --log-samples "$out/samples_$way.jsonl" --json
done
python3 - "$out" <<'PY' | tee "$log"
import json, sys
out = sys.argv[1]
load = lambda name: json.load(open(f"{out}/{name}"))
wall = lambda name: (lambda t: float(t[1]) - float(t[0]))(open(f"{out}/{name}.seconds").read().split())
print("Llama-2-70B shape, bf16, batch 1, 2048 context, 128 new tokens, cuda:0 + cuda:1")
print("| parallel | prefill tok/s | decode tok/s | decode p50 ms | peak GiB per GPU |")
print("|---|---|---|---|---|")
for how in ("tensor", "layers"):
    r = load(f"bench70b_{how}.json")["rounds"][0]
    print(f"| {how} | {r['prefill_tokens_per_second']:.0f} | {r['decode_tokens_per_second']:.1f} | "
          f"{r['decode_p50_ms']:.2f} | {r['peak_memory_bytes'] / 2**30:.1f} |")
one, two = load("score_one.json"), load("score_two.json")
order = lambda s: sorted(range(len(s)), key=lambda i: -s[i])
same = all(order(one[t]["similarity"]) == order(two[t]["similarity"]) for t in ("block", "attn", "mlp"))
worst = max(abs(x - y) for t in ("block", "attn", "mlp") for x, y in zip(one[t]["similarity"], two[t]["similarity"]))
print(f"7B scoring 256 x 2048: one GPU {one['seconds']:.2f} s, two (data parallel) {two['seconds']:.2f} s: "
      f"{one['seconds'] / two['seconds']:.2f}x; orders {'identical' if same else 'DIFFER'}, max |diff| {worst:.1e}")
rows = {w: [json.loads(l) for l in open(f"{out}/samples_{w}.jsonl")][1:] for w in ("one", "two")}
equal = sum(a["pred"] == b["pred"] for a, b in zip(rows["one"], rows["two"]))
print(f"7B eval 256 HellaSwag documents (1,024 requests), whole command: one GPU {wall('eval_one'):.2f} s, two "
      f"{wall('eval_two'):.2f} s: {wall('eval_one') / wall('eval_two'):.2f}x; predictions equal on {equal} of "
      f"{len(rows['one'])}")
PY
