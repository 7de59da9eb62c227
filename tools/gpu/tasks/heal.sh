# #26 healing: the transformers references, our trainer on cuda against them, the PEFT adapter check and the 7B
# step time against transformers' LoRA [carry .qt6/debs .qt6/deps]
# STEPS picks among "fixtures tests adapter speed" (default: all), after a build of tst_heal and llmdrop into
# build-cuda/:
#   fixtures  tools/make_heal_fixtures.py: LoRA gradients and 10 AdamW steps of transformers + a hand-written
#             LoRA on the test model (fp32) → heal_fixtures.tgz (tests/data/reference/heal.*)
#   tests     tst_heal on cuda (its first test reads those fixtures) → heal_tests.log
#   adapter   tools/check_heal_adapter.py: our PEFT-layout adapter loaded by PEFT (or the hand-written LoRA)
#             onto the pruned model, against our merged checkpoint, fp32 → heal_adapter.log
#   speed     the Llama-2-7B shape (random, bf16), rank 16, 2 x 2048-token batches: `llmdrop heal` (median step
#             after the first, from its heal_log.json, and its peak memory) beside tools/bench_heal_reference.py
#             (PEFT when installed) → heal_speed.log (and heal_ours.json / .err)
set +e
steps=" ${STEPS:-fixtures tests adapter speed} "
torch_env && qt_env && export LLMDROP_QT_PREFIX=$qt_lib/cmake
logged build-cuda.log bash -c "cmake --preset cuda -DLLMDROP_TESTS=ON && cmake --build --preset cuda -j $(nproc) \
  --target tst_heal llmdrop"
python3 -c "import peft; print('peft', peft.__version__)" 2>&1 | tail -1
if [[ $steps == *" fixtures "* ]]; then
  python3 tools/make_heal_fixtures.py 2>&1 | tee "$out/heal_fixtures.log"
  tar czf "$out/heal_fixtures.tgz" tests/data/reference/heal.safetensors tests/data/reference/heal.json
fi
if [[ $steps == *" tests "* ]]; then
  LLMDROP_TEST_DATA=$PWD/tests/data LLMDROP_TEST_DEVICE=cuda build-cuda/bin/tst_heal >"$out/heal_tests.log" 2>&1
  grep -E "QINFO|FAIL|Totals|what" "$out/heal_tests.log" | cut -c1-300
fi
[[ $steps == *" adapter "* ]] && python3 tools/check_heal_adapter.py --llmdrop "$llmdrop" \
  --model tests/data/models/llama --data tests/data/calibration/calib.jsonl 2>&1 | tee "$out/heal_adapter.log"
[[ $steps == *" speed "* ]] || exit 0
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
