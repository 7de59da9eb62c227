# streamed scoring of the Llama-2-70B shape on one GPU, beside resident scoring of the 7B shape (#23) [carry .qt6/deps .eval-data]
# stream_70b.log: `llmdrop score --random-weights --stream-layers` (bf16, --target all, 32 × 2048 random token
# ids) on llama2-70b, and the same scoring of llama2-7b resident and streamed; JSON lines with "seconds", then
# the per-parameter time ratios 70B-streamed / 7B (parameters 68.98e9 and 6.74e9). Then the 7B as a bf16
# checkpoint written by transformers, scored resident and streamed from the file (32 × 2048 tokens of WikiText-2
# test): streamed, its layers are real host-to-device copies, where random weights are made on the device; the
# two runs' similarities and selections are compared. Each streamed run's "[score] streamed layers" line says
# how much of the loading hid behind the computation.
needs .eval-data/wikitext/wiki.test.raw tools/eval_data_subset.sh
log=$out/stream_70b.log
logged build-llmdrop.log build_targets llmdrop
score() {  # SHAPE [FLAGS…]
  local shape=$1
  shift
  "$llmdrop" score --random-weights --shape "$shape" --device cuda --dtype bfloat16 --samples 32 --seq-len 2048 \
    --target all --json "$@" 2>>"$out/stream_70b.err" | python3 -c \
    "import json,sys; d=json.load(sys.stdin); print(json.dumps({'shape': '$shape', 'flags': '$*', 'seconds': d['seconds'], 'base_nll': d['base_nll']}))"
}
{
  score llama2-7b
  score llama2-7b --stream-layers
  score llama2-70b --stream-layers
} | tee "$log"
# The 7B checkpoint on 32 × 2048 tokens of WikiText-2 test (demo tokenizer), resident and streamed from its file.
write_model7b
cp resources/models/demo/tokenizer* "$model7b/"
for flags in "" --stream-layers; do
  start=$EPOCHREALTIME
  "$llmdrop" score "$model7b" --device cuda --dtype bfloat16 --data .eval-data/wikitext/wiki.test.raw --samples 32 \
    --seq-len 2048 --target all --no-cache --json $flags 2>>"$out/stream_70b.err" >"$out/score7b${flags:+-streamed}.json"
  echo "$start $EPOCHREALTIME" >"$out/score7b${flags:+-streamed}.seconds"  # start and end
done
grep "streamed layers" "$out/stream_70b.err" | tee -a "$log"
python3 - "$out/score7b.json" "$out/score7b-streamed.json" <<'PY' | tee -a "$log"
import json, sys
resident, streamed = (json.load(open(f)) for f in sys.argv[1:])
seconds = [(lambda t: float(t[1]) - float(t[0]))(open(f.replace(".json", ".seconds")).read().split())
           for f in sys.argv[1:]]
print(f"7B checkpoint, the whole command (loading included): resident {seconds[0]:.2f} s, streamed from the "
      f"file {seconds[1]:.2f} s")
for target in ("block", "attn", "mlp"):
    a, b = resident[target]["similarity"], streamed[target]["similarity"]
    order = lambda s: sorted(range(len(s)), key=lambda i: -s[i])  # most similar (least important) first
    print(f"{target}: max |resident - streamed| similarity {max(abs(x - y) for x, y in zip(a, b)):.2e}; "
          f"8 most droppable {order(a)[:8]} / {order(b)[:8]}; whole order "
          f"{'identical' if order(a) == order(b) else 'differs'}")
PY
python3 - "$log" <<'PY' | tee -a "$log"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
streamed70 = next(r for r in rows if r["shape"] == "llama2-70b")
for r in rows:
    if r["shape"] == "llama2-7b":
        print(f"per-parameter time, 70B streamed / 7B {'streamed' if r['flags'] else 'resident'}: "
              f"{(streamed70['seconds'] / 68.98e9) / (r['seconds'] / 6.74e9):.2f}")
PY
