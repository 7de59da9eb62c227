# regenerate tests/data's models and references (tools/make_fixtures.py)
# In $OUT: fixtures.tgz (tests/data/models, reference, tokenizer/reference.json), fixtures.log.
python3 tools/make_fixtures.py --out tests/data 2>&1 | tee "$out/fixtures.log"
tar czf "$out/fixtures.tgz" tests/data/models tests/data/reference tests/data/tokenizer/reference.json
