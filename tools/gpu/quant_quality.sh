#!/usr/bin/env bash
# On the GPU machine: issue #8's quality table (tools/quant_quality.sh: held-out perplexity of the demo model
# unquantized, RTN, GPTQ, AWQ, and GPTQ with 4 attention layers dropped), on the GPU in float32: minutes instead
# of the CPU's 40. The calibration file is not on that machine: carry a copy under an ignored path, e.g.
#   mkdir -p out/quant-data && cp ../shared/data/calibration/c4_demo.json out/quant-data/    (carry out/quant-data)
# Usage: tools/gpu/quant_quality.sh     (DATA names another calibration file; table in $OUT/quality.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}
tools/gpu/build_targets.sh "$out/build-cli.log" llmdrop
DEVICE=cuda LLMDROP=build-cuda/bin/llmdrop DATA=${DATA:-out/quant-data/c4_demo.json} \
  tools/quant_quality.sh /tmp/llmdrop-quant-quality | tee "$out/quality.md"
