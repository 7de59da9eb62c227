# streamed scoring of the Llama-2-70B shape on one GPU, beside resident scoring of the 7B shape (#23) [carry .qt6/deps]
# stream_70b.log: `llmdrop score --random-weights --stream-layers` (bf16, --target all, 32 × 2048 random token
# ids) on llama2-70b, and the same scoring of llama2-7b resident and streamed; JSON lines with "seconds", then
# the per-parameter time ratio 70B-streamed / 7B-resident (parameters 68.98e9 and 6.74e9). Then the 7B as a bf16
# checkpoint written by transformers, streamed from it (8 × 1024 tokens of the bundled text): its layers are
# real host-to-device copies, where random weights are made on the device. Each streamed run's "[score]
# streamed layers" line says how much of the loading hid behind the computation.
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
write_model7b
cp resources/models/demo/tokenizer* "$model7b/"
"$llmdrop" score "$model7b" --device cuda --dtype bfloat16 --data resources/text/demo_heldout.txt --samples 8 \
  --seq-len 1024 --target all --stream-layers --no-cache --json 2>>"$out/stream_70b.err" >/dev/null
grep "streamed layers" "$out/stream_70b.err" | tee -a "$log"
python3 - "$log" <<'PY' | tee -a "$log"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
resident7 = next(r for r in rows if r["shape"] == "llama2-7b" and not r["flags"])
streamed70 = next(r for r in rows if r["shape"] == "llama2-70b")
print(f"per-parameter time, 70B streamed / 7B resident: "
      f"{(streamed70['seconds'] / 68.98e9) / (resident7['seconds'] / 6.74e9):.2f}")
PY
