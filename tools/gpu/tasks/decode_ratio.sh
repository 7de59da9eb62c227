# decode speed ours / transformers at 2048 context, repeated (REPEATS, 3), median [carry .qt6/deps]
# Ratios in ratio.log.
# Transformers' decode step is bound by Python on the CPU, so its speed moves from one run to the next (28-54
# tok/s at 2048 over nine runs on the H200 machines), while ours moves by under 2 %: one run's ratio says little.
# Each repeat runs `llmdrop bench` (Llama-2-7B shape, bf16, batch 1, 2048 + 256 tokens) and then
# tools/bench_speed_reference.py in the same call, and prints its transformers passes (the process's first, then
# a warmed one) with the ratios; last, the median of the warmed ratios. Also ratio_*_N.json, ratio.err.
repeats=${1:-3}
logged build-cli.log build_targets llmdrop
for i in $(seq "$repeats"); do
  bench7b --contexts 2048:256 --json >"$out/ratio_ours_$i.json" 2>>"$out/ratio.err"
  python3 tools/bench_speed_reference.py --shape llama2-7b --contexts 2048:256 --ours "$out/ratio_ours_$i.json" \
    --out "$out/ratio_theirs_$i.json" | grep "^| full" | tee -a "$out/ratio.log"
done
python3 - "$out" "$repeats" <<'PY'
import json, statistics, sys
out, repeats = sys.argv[1], int(sys.argv[2])
ratios = []
for i in range(1, repeats + 1):
    ours = json.load(open(f"{out}/ratio_ours_{i}.json"))["rounds"][0]["decode_tokens_per_second"]
    theirs = json.load(open(f"{out}/ratio_theirs_{i}.json"))["rounds"]
    warmed = [r for r in theirs if r["config"] == "full (again)"][0]
    ratios.append(ours / warmed["decode_tokens_per_second"])
print("decode ours / warmed transformers at 2048: " + ", ".join(f"{r:.2f}" for r in ratios) +
      f"; median {statistics.median(ratios):.2f}")
PY
