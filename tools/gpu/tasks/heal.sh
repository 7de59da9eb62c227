# #26 healing: the transformers references and the 7B step time against transformers' LoRA [carry .qt6/deps]
# STEPS picks among "fixtures speed" (default both):
#   fixtures  tools/make_heal_fixtures.py: LoRA gradients and 10 AdamW steps of transformers + a hand-written
#             LoRA on the test model (fp32) → heal_fixtures.tgz (tests/data/reference/heal.*)
#   speed     the Llama-2-7B shape (random, bf16), rank 16, 2 x 2048-token batches: `llmdrop heal` (median step
#             after the first, from its heal_log.json, and its peak memory) beside tools/bench_heal_reference.py
#             (PEFT when installed) → heal_speed.log (and heal_ours.json / .err, build-cli.log)
set +e
steps=" ${STEPS:-fixtures speed} "
if [[ $steps == *" fixtures "* ]]; then
  python3 tools/make_heal_fixtures.py 2>&1 | tee "$out/heal_fixtures.log"
  tar czf "$out/heal_fixtures.tgz" tests/data/reference/heal.safetensors tests/data/reference/heal.json
fi
[[ $steps == *" speed "* ]] || exit 0
logged build-cli.log build_targets llmdrop
write_model7b
cp resources/models/demo/tokenizer.model $model7b/
for i in 1 2 3 4; do cat resources/text/demo_heldout.txt; done >/dev/shm/calibration.txt
rm -rf /dev/shm/healed
"$llmdrop" heal $model7b --data /dev/shm/calibration.txt --steps 6 --batch-size 2 --seq-len 2048 --rank 16 \
  --alpha 32 --save-every 0 --device cuda --dtype bfloat16 --out /dev/shm/healed --json \
  >"$out/heal_ours.json" 2>"$out/heal_ours.err" || tail -5 "$out/heal_ours.err"
{
  echo "| Llama-2-7B shape, bf16, rank 16, 2 x 2048 tokens | median step s | tokens/s | peak GiB |"
  echo "|---|---|---|---|"
  python3 - "$out/heal_ours.json" /dev/shm/healed/heal_log.json <<'PY'
import json, statistics, sys
ours, log = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rates = [s["tokens_per_second"] for s in log["steps"][1:]]
rate = statistics.median(rates)
print(f"| llmdrop heal | {2 * 2048 / rate:.3f} | {rate:.0f} | {ours['peak_memory_bytes'] / 2**30:.2f} |")
PY
  python3 tools/bench_heal_reference.py --model $model7b --steps 6 --batch-size 2 --seq-len 2048 --rank 16
} 2>&1 | tee "$out/heal_speed.log"
