#!/usr/bin/env bash
# Demo model recipe, step 1 of 2 (Debian 12): gather English prose from Debian documentation packages and
# train the sentencepiece tokenizer. Step 2 (tools/demo/train.py) trains the model on the GPU machine.
#   tools/demo/prepare.sh [WORK]   (default WORK=.demo-work; the GPU run carries WORK/corpus)
# Packages are downloaded and unpacked into WORK (nothing is installed system-wide); the text keeps each
# package's license (see resources/models/demo/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$root/.demo-work}
packages=(debian-handbook debian-reference-en gnu-standards python3.11-doc postgresql-doc-15 git-doc debian-policy
  perl-doc jargon-text fortunes fortunes-min bible-kjv bible-kjv-text)
if ! command -v spm_train >/dev/null || ! command -v pod2text >/dev/null; then
  apt-get update -q && apt-get install -y -q sentencepiece perl
fi
mkdir -p "$work/debs" "$work/unpacked" "$work/corpus"
(cd "$work/debs" && apt-get download "${packages[@]}" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/unpacked"; done
python3 "$root/tools/demo/extract_corpus.py" --root "$work/unpacked" --out "$work/corpus"
# Llama's tokenizer settings: BPE with byte fallback, no normalisation, unk=0 bos=1 eos=2, digits split.
spm_train --input="$work/corpus/spm_input.txt" --model_prefix="$work/corpus/tokenizer" --vocab_size=4096 \
  --model_type=bpe --byte_fallback=true --character_coverage=0.9995 --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1 \
  --normalization_rule_name=identity --remove_extra_whitespaces=false --add_dummy_prefix=true --split_digits=true \
  --allow_whitespace_only_pieces=true --input_sentence_size=2000000 --shuffle_input_sentence=true \
  --random_seed=1234 --num_threads=2 --minloglevel=1
rm -f "$work/corpus/tokenizer.vocab" "$work/corpus/spm_input.txt"
gzip -9 -n -f "$work/corpus/train.jsonl"
sha256sum "$work"/debs/*.deb > "$work/corpus/packages.sha256"
ls -la "$work/corpus"
