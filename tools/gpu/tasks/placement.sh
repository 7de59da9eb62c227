# layers placed over cuda:0 and the CPU (--parallel layers) against cuda:0 alone, the demo model [carry .qt6/deps .eval-data]
# With one GPU the hidden states, attention inputs and KV cache still cross a device boundary at the ranges'
# end. placement.log: score (similarities, base NLL) and eval (arc_easy and hellaswag, 200 documents each,
# log-likelihoods and predictions per document), float32, both ways and compared; then
# `llmdrop bench` both ways (the placed decode has neither fused kernels nor CUDA graphs).
needs .eval-data/arc_easy tools/eval_data_subset.sh
logged build-llmdrop.log build_targets llmdrop
log=$out/placement.log
demo=resources/models/demo
data=resources/text/demo_heldout.txt
placed=(--devices cuda:0,cpu --parallel layers)
for way in one placed; do
  flags=(--device cuda:0)
  [ $way = placed ] && flags=("${placed[@]}")
  "$llmdrop" score $demo --data $data --samples 16 --seq-len 256 --target all --dtype float32 --no-cache --json \
    "${flags[@]}" >"$out/score_$way.json" 2>>"$out/placement.err"
  "$llmdrop" eval $demo --tasks arc_easy,hellaswag --data-dir .eval-data --limit 200 --dtype float32 \
    --log-samples "$out/samples_$way.jsonl" "${flags[@]}" >/dev/null 2>>"$out/placement.err"
done
python3 - "$out" <<'PY' | tee "$log"
import json, sys
out = sys.argv[1]
load = lambda name: json.load(open(f"{out}/{name}"))
one, placed = load("score_one.json"), load("score_placed.json")
print(f"score: base NLL {one['base_nll']:.9f} / {placed['base_nll']:.9f}; device {placed.get('device', '?')}")
for target in ("block", "attn", "mlp"):
    a, b = one[target]["similarity"], placed[target]["similarity"]
    print(f"  {target}: max |one - placed| similarity {max(abs(x - y) for x, y in zip(a, b)):.2e}")
rows = {way: [json.loads(l) for l in open(f"{out}/samples_{way}.jsonl")][1:] for way in ("one", "placed")}
worst = max(abs(x - y) for r, s in zip(rows["one"], rows["placed"]) for x, y in zip(r["lls"], s["lls"]))
same = sum(r["pred"] == s["pred"] for r, s in zip(rows["one"], rows["placed"]))
print(f"eval: {len(rows['one'])} documents, predictions equal on {same}, max |Δ log-likelihood| {worst:.2e}")
PY
for way in one placed; do
  flags=(--device cuda:0)
  [ $way = placed ] && flags=("${placed[@]}")
  "$llmdrop" bench $demo --dtype float32 --contexts 128:64,512:64 "${flags[@]}" 2>>"$out/placement.err" | tee -a "$log"
done
