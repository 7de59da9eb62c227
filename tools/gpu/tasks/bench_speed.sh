# decode / prefill speed: llmdrop bench against transformers (Llama-2-7B shape) [carry .qt6/deps]
# Table in speed.log.
# `llmdrop bench --random-weights` (bf16, batch 1) for the full model and the last 8 attention layers / MLPs /
# blocks dropped, then tools/bench_speed_reference.py (transformers on the same rounds and configurations, the
# copy bandwidth and the decode roofline) with our numbers next to theirs; last, the full model's decode step
# run eagerly (no CUDA graph) for the launch overhead. CONTEXTS overrides the rounds. Also speed_ours.csv/.err.
logged build-cli.log build_targets llmdrop
compare=(--compare attn=$last8 --compare mlp=$last8 --compare block=$last8)
# LLM-Drop's rounds (new tokens = context) and a 2048-token context with 256 decode steps.
contexts=${CONTEXTS:-32,64,128,256,512,2048:256}
bench7b --contexts "$contexts" "${compare[@]}" --csv "$out/speed_ours.csv" --json >"$out/speed_ours.json" \
  2>"$out/speed_ours.err"
python3 tools/bench_speed_reference.py --shape llama2-7b --contexts "$contexts" "${compare[@]}" \
  --ours "$out/speed_ours.json" --out "$out/speed_theirs.json" | tee "$out/speed.log"
bench7b --contexts 512,2048:256 --no-cuda-graphs --json >"$out/speed_ours_eager.json" 2>>"$out/speed_ours.err"
python3 -c "import json,sys
for r in json.load(open(sys.argv[1]))['rounds']:
    print(f\"eager decode (no CUDA graph), context {r['context']}: {r['decode_tokens_per_second']:.1f} tok/s\")" \
  "$out/speed_ours_eager.json" | tee -a "$out/speed.log"
