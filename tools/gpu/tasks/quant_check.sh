# our GPTQ / AWQ files against plain-torch dequantization [carry quant-check, or .qt6/deps to make it here]
# Log: quant_check.log (and build-cli.log when it makes quant-check).
# tools/quant_reference.py dequantizes each export of quant-check/ (tools/quant_check_prepare.sh: GPTQ, AWQ and a
# mixed-precision GPTQ with per-module rules) the way the GPTQ and AWQ loaders do and compares the weights with
# ours bit for bit and transformers' log-probabilities with ours (and loads the quantized checkpoint through
# transformers' GPTQ integration where it is installed).
set +e
# Not carried: made here by tools/quant_check_prepare.sh with a CUDA build of the CLI, calibrated on the demo
# model's held-out text.
if [ ! -d quant-check ]; then
  logged build-cli.log build_targets llmdrop
  LLMDROP=$llmdrop COMPRESS=0 tools/quant_check_prepare.sh resources/text/demo_heldout.txt
fi
for check in gptq awq mixed; do
  dir=quant-check/$check
  [ -d $dir ] || continue  # a call may carry only some of them (the device call takes at most 64 MiB)
  [ -e $dir/dense/model.safetensors.xz ] &&
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1] + ".xz"), open(sys.argv[1], "wb"))' \
      $dir/dense/model.safetensors
  python3 tools/quant_reference.py --quantized $dir/quantized --dense $dir/dense --ours $dir/ours.json \
    --ids "$(cat $dir/ids)" 2>&1 | grep -v Warning
done | tee "$out/quant_check.log"
