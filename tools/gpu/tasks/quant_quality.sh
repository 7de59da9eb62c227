# the demo model's quantization quality table, in float32 [carry .qt6/deps out/quant-data]
# Table in quality.md.
# Held-out perplexity unquantized, RTN, GPTQ, AWQ, and GPTQ with 4 attention layers dropped: minutes instead of
# the CPU's 40. The calibration file is not on that machine: carry a copy under an ignored path, e.g.
#   mkdir -p out/quant-data && cp ../shared/data/calibration/c4_demo.json out/quant-data/    (carry out/quant-data)
# DATA names another calibration file. Also build-cli.log.
logged build-cli.log build_targets llmdrop
DEVICE=cuda LLMDROP=$llmdrop DATA=${DATA:-out/quant-data/c4_demo.json} \
  tools/quant_quality.sh /tmp/llmdrop-quant-quality | tee "$out/quality.md"
