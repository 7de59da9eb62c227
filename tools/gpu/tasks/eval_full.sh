# the demo model on every task's whole evaluation set [carry .qt6/deps .eval-data (full)]
# Results: eval_full.json, eval_full.log.
# .eval-data from `tools/eval_data_subset.sh full`; gsm8k only its first 200 questions (generation runs one
# sequence at a time). Also eval_gsm8k.json and build-cli.log.
needs .eval-data "tools/eval_data_subset.sh full"
logged build-cli.log build_targets llmdrop
eval_demo() { "$llmdrop" eval resources/models/demo --device cuda --dtype float32 --data-dir .eval-data "$@"; }
{
  eval_demo --tasks arc_easy,arc_challenge,hellaswag,piqa,boolq,winogrande,openbookqa,rte,mmlu,lambada_openai,wikitext \
    --out "$out/eval_full.json" 2>/dev/null
  eval_demo --tasks gsm8k --limit 200 --out "$out/eval_gsm8k.json" 2>/dev/null
} | tee "$out/eval_full.log"
