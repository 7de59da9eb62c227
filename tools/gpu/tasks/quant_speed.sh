# GPTQ (act-order) / AWQ quantization time on the 7B shape (group 128), decode against bf16 [carry .qt6/deps]
# Table in quant_bench.log.
# The random model gets the demo tokenizer; calibration: 128 blocks x 2048 tokens (the demo held-out text four
# times over: only the time matters here). METHODS picks the methods (default "gptq awq"). Also
# quantize_METHOD.json/.err, build-cli.log.
set +e
logged build-cli.log build_targets llmdrop
write_model7b
cp resources/models/demo/tokenizer.model $model7b/
for i in 1 2 3 4; do cat resources/text/demo_heldout.txt; done >/dev/shm/calibration.txt
methods=${METHODS:-gptq awq}
for method in $methods; do
  extra=(--group-size 128)
  [ $method = gptq ] && extra+=(--desc-act)  # the setting: act-order, group 128
  /usr/bin/time -f "$method: %e s wall, %M KiB peak host memory" "$llmdrop" quantize $model7b --method $method \
    "${extra[@]}" --data /dev/shm/calibration.txt --samples 128 --seq-len 2048 --device cuda --dtype bfloat16 \
    --out $model7b-$method --json >"$out/quantize_$method.json" 2>"$out/quantize_$method.err"
  tail -3 "$out/quantize_$method.err"
  cat "$out/quantize_$method.json"
done
for m in $model7b $(for method in $methods; do echo $model7b-$method; done); do
  "$llmdrop" bench $m --device cuda --contexts 128,2048:128 2>/dev/null | grep -E "^\| (config|full)"
done | tee "$out/quant_bench.log"
