#!/usr/bin/env bash
# Here (not on the GPU machine): copies the part of ../shared/data that the evaluation fixtures use into the
# ignored folder .eval-data/ (carry it: "carry": [".eval-data"]) for `tools/gpu/run.sh eval`: the first 200
# documents of every task file, the first 4 of every MMLU subject, all MMLU dev and GSM8K train documents
# (few-shot pools), WikiText-2 test; and hellaswag-256.jsonl, the first 256 HellaSwag documents (1,024
# requests: `tools/gpu/run.sh two_gpus`). `eval_data_subset.sh full` copies every evaluation file whole instead
# (for `tools/gpu/run.sh eval_full`).
set -euo pipefail
cd "$(dirname "$0")/.."
src=../shared/data
rm -rf .eval-data && mkdir -p .eval-data
head -n 256 "$src/eval/hellaswag/validation.part1-of-3.jsonl" >.eval-data/hellaswag-256.jsonl
if [ "${1:-}" = full ]; then
  cp -r "$src/eval/." .eval-data/
  mkdir -p .eval-data/wikitext && cp "$src/lm_text/wikitext-2-raw/wiki.test.raw" .eval-data/wikitext/
  du -sh .eval-data
  exit 0
fi
for f in arc_easy/test.jsonl arc_challenge/test.jsonl hellaswag/validation.part1-of-3.jsonl piqa/validation.jsonl \
  boolq/validation.jsonl winogrande/winogrande_xl_validation.jsonl openbookqa/main_test.jsonl rte/validation.jsonl \
  lambada_openai/test.jsonl gsm8k/test.jsonl; do
  mkdir -p ".eval-data/$(dirname "$f")"
  head -n 200 "$src/eval/$f" >".eval-data/$f"
done
cp "$src/eval/gsm8k/train.jsonl" .eval-data/gsm8k/
mkdir -p .eval-data/mmlu/test .eval-data/mmlu/dev .eval-data/wikitext
for f in "$src"/eval/mmlu/test/*.jsonl; do head -n 4 "$f" >".eval-data/mmlu/test/$(basename "$f")"; done
cp "$src"/eval/mmlu/dev/*.jsonl .eval-data/mmlu/dev/
cp "$src/lm_text/wikitext-2-raw/wiki.test.raw" .eval-data/wikitext/
du -sh .eval-data
