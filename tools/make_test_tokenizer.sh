#!/usr/bin/env bash
# Trains the small sentencepiece tokenizer used by the test fixtures (tests/data/tokenizer/).
# Input: license texts every Debian system ships, so the result is reproducible on any Debian 12.
# Needs Debian's `sentencepiece` package (spm_train).
set -euo pipefail
out=${1:-"$(dirname "$0")/../tests/data/tokenizer"}
mkdir -p "$out"
corpus=$(mktemp)
trap 'rm -f "$corpus"' EXIT
cat /usr/share/common-licenses/{GPL-3,Apache-2.0,LGPL-2.1,MPL-2.0,Artistic} > "$corpus"
spm_train --input="$corpus" --model_prefix="$out/tokenizer" --vocab_size=384 \
  --model_type=bpe --byte_fallback=true --character_coverage=1.0 \
  --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1 --num_threads=1 \
  --split_digits=true --normalization_rule_name=identity --remove_extra_whitespaces=false --add_dummy_prefix=true --seed_sentencepiece_size=100000 --minloglevel=1
rm -f "$out/tokenizer.vocab"
echo "wrote $out/tokenizer.model"
