#!/usr/bin/env bash
# On the GPU machine: issue #8's format check. tools/quant_reference.py dequantizes our GPTQ and AWQ exports in
# plain torch (the loaders' layouts) and compares them with our engine's weights and log-probabilities. Needs
# quant-check/ from tools/quant_check_prepare.sh (run on the CPU machine first; carry ["quant-check"]). Log in
# $OUT/quant_check.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
for method in gptq awq; do
  dir=quant-check/$method
  python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1] + ".xz"), open(sys.argv[1], "wb"))' \
    $dir/dense/model.safetensors
  python3 tools/quant_reference.py --quantized $dir/quantized --dense $dir/dense --ours $dir/ours.json \
    --ids "$(cat $dir/ids)" 2>&1 | grep -v Warning
done | tee "$out/quant_check.log"
