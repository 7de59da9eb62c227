# regenerate tests/data/reference/eval with transformers [carry .qt6/debs .qt6/deps .eval-data]
#  1. builds build-cuda/ with the test suites in the background (as `build`);
#  2. runs tools/eval_reference.py (float32, sentencepiece ids) for the demo model and the random model
#     tests/data/models/llama-demo-vocab (tools/make_random_model.py) on tests/data/eval and on the subset of
#     ../shared in .eval-data (tools/eval_data_subset.sh), and for the 256-token test llama on tests/data/eval;
#     with AutoTokenizer for the tokenizer.json model when the `fixtures` task has made it;
#  3. waits for the build, so that `test` or `tokens` can follow in the same device call.
# In $OUT: eval_fixtures.tgz (tests/data/reference/eval), eval.log, build-cuda.log. TOKENIZER_MISMATCHES=1
# also counts where transformers' tokenizer (lm-eval's) gives other ids than ours.
needs .eval-data tools/eval_data_subset.sh
(
  rc=0
  build_cuda -DLLMDROP_TESTS=ON >"$out/build-cuda.log" 2>&1 || rc=$?
  echo "build rc $rc" >>"$out/build-cuda.log"
) &
build=$!

mkdir -p tests/data/reference/eval
ref() { python3 tools/eval_reference.py --device cuda --tokenizer sentencepiece "$@" 2>&1 | tail -n 40; }
{
  for model in resources/models/demo tests/data/models/llama-demo-vocab; do
    name=$(basename $model)
    ref --model $model --data-dir tests/data/eval/shared --out tests/data/reference/eval/$name-testdata.json
    ref --model $model --data-dir .eval-data --limit 200 --mmlu-limit 4 \
      --out tests/data/reference/eval/$name-shared.json
  done
  # A 256-token context: left truncation of long prompts, rolling windows, gsm8k with 64 new tokens.
  ref --model tests/data/models/llama --data-dir tests/data/eval/shared --gsm8k-max-gen-toks 64 \
    --out tests/data/reference/eval/llama-testdata.json
  # The Llama-3-style model with a tokenizer.json (made by `tools/gpu/run.sh fixtures`; #22): tokenized by
  # AutoTokenizer, as lm-eval tokenizes it, on 200 documents of arc_easy and hellaswag.
  if [ -d tests/data/models/llama3-tokenizer-json ]; then
    ref --model tests/data/models/llama3-tokenizer-json --tokenizer auto --data-dir .eval-data \
      --tasks arc_easy,hellaswag --limit 200 --out tests/data/reference/eval/llama3-tokenizer-json-shared.json
  fi
  if [ -n "${TOKENIZER_MISMATCHES:-}" ]; then
    python3 tools/eval_reference.py --device cuda --model resources/models/demo --data-dir .eval-data --limit 200 \
      --mmlu-limit 4 --out /tmp/hf-tok.json 2>&1 | grep -i "mismatch\|tokenizer"
  fi
} >"$out/eval.log" 2>&1
tar czf "$out/eval_fixtures.tgz" tests/data/reference/eval

wait $build || true
tail -n 3 "$out/build-cuda.log"
cat "$out/eval.log"
