#!/usr/bin/env bash
# The tokenizer.json fixtures (tests/data/tokenizer_json/): installs the Node bindings of Hugging Face's
# `tokenizers` (npm @anush008/tokenizers, into node_modules/, git-ignored; a fixture tool, never a run-time
# dependency) and runs tools/tokenizer_json_fixtures.mjs on the demo model's held-out text.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -d node_modules/@anush008/tokenizers ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund @anush008/tokenizers@0.6.0 >/dev/null
fi
node tools/tokenizer_json_fixtures.mjs resources/text/demo_heldout.txt tests/data/tokenizer_json
