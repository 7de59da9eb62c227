# the tokenizer.json fixtures' ids and decoded texts from Python's tokenizers; the demo tokenizer as AutoTokenizer converts it
# In $OUT: tokenizer_check.log; reference.tgz, each fixture's reference.json as Python's tokenizers gives it
# (unpack into tests/data/tokenizer_json/; tools/make_tokenizer_json_fixtures.sh wrote them first through the
# Node bindings, whose older Rust library decodes a normalized added token unnormalized); converted-spm/
# (tokenizer.json, tokenizer_config.json, reference.json: copy to tests/data/tokenizer_json/converted-spm/).
# Fails on any difference from the committed fixtures.
python3 tools/tokenizer_json_check.py --out "$out" --write /tmp/python-reference 2>&1 | tee "$out/tokenizer_check.log"
tar czf "$out/reference.tgz" -C /tmp/python-reference .
