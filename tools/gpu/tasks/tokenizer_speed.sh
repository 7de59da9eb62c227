# bench_tokenizer on every tokenizer.json fixture: ours next to Python's tokenizers, single-threaded [carry .qt6/deps .eval-data]
# Builds bench_tokenizer into build-cuda/ and encodes WikiText-2 test (from .eval-data, tools/eval_data_subset.sh)
# with each fixture of tests/data/tokenizer_json, ours and tools/tokenizer_json_speed.py in the same run, both
# on one thread. Log: tokenizer_speed.log.
needs .eval-data/wikitext/wiki.test.raw tools/eval_data_subset.sh
logged build-tokenizer.log build_targets bench_tokenizer
for name in gpt2 llama3 qwen2 sentencepiece metaspace; do
  build-cuda/bin/bench_tokenizer --tokenizer tests/data/tokenizer_json/$name/tokenizer.json \
    --text .eval-data/wikitext/wiki.test.raw --repeats 3
done 2>&1 | tee "$out/tokenizer_speed.log"
