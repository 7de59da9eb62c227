# the tokenizer.json fixtures against Python tokenizers / AutoTokenizer; the test sentencepiece model converted
# In $OUT: tokenizer_check.log, converted-spm/ (tokenizer.json, tokenizer_config.json, reference.json: copy to
# tests/data/tokenizer_json/converted-spm/). Fails on any difference from the fixtures.
python3 tools/tokenizer_json_check.py --out "$out" 2>&1 | tee "$out/tokenizer_check.log"
